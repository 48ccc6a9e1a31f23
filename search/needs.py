"""Technology needs (技术需求) as the second kind of search document, on every backend.

Each backend keeps needs apart from listings (own FTS tables in the embedded
file, own alias `<alias>-needs` on Elasticsearch) and reaches them through its
`needs` attribute, a NeedIndex (search.backend, with NeedDocument). Queries are the listings' SearchQuery with the
need facets and sorts below; text goes through the same analysis (jieba for
Chinese, stemming for English), so a need is found as a listing is.

`related()` serves matching: it ranks documents sharing *any* word of a long
text (a need's problem, a listing's summary), where a search requires every
word. Words that occur in more than RELATED_MAX_DOC_SHARE of a large index say
nothing about likeness and are left out, as more_like_this does.
"""

from __future__ import annotations

from search.text.tokens import STOPWORDS, is_single_han, query_terms

NEED_FACETS: tuple[str, ...] = ("field", "ipc_section", "transfer_mode", "region", "budget_band")
NEED_SORTS: tuple[str, ...] = ("relevance", "newest", "deadline", "budget_desc")
RELATED_MAX_TERMS = 24
RELATED_MAX_DOC_SHARE = 0.2
RELATED_MIN_DOCS = 1000


def related_terms(text: str) -> list[str]:
    """The words of a long text worth matching on (no stopwords, no lone 汉字), first ones first."""
    return [t for t in query_terms(text) if not is_single_han(t) and t not in STOPWORDS][
        :RELATED_MAX_TERMS
    ]
