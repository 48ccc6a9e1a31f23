"""Technology needs (技术需求) as the second kind of search document, on every backend.

Each backend keeps needs apart from listings (own FTS tables in the embedded
file, own alias `<alias>-needs` on Elasticsearch) and reaches them through its
`needs` attribute, a NeedIndex. Queries are the listings' SearchQuery with the
need facets and sorts below; text goes through the same analysis (jieba for
Chinese, stemming for English), so a need is found as a listing is.

`related()` serves matching: it ranks documents sharing *any* word of a long
text (a need's problem, a listing's summary), where a search requires every
word. Words that occur in more than RELATED_MAX_DOC_SHARE of a large index say
nothing about likeness and are left out, as more_like_this does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from search.backend import SearchQuery, SearchResult
from search.text.tokens import STOPWORDS, is_single_han, query_terms

NEED_FACETS: tuple[str, ...] = ("field", "ipc_section", "transfer_mode", "region", "budget_band")
NEED_SORTS: tuple[str, ...] = ("relevance", "newest", "deadline", "budget_desc")
RELATED_MAX_TERMS = 24
RELATED_MAX_DOC_SHARE = 0.2
RELATED_MIN_DOCS = 1000


@dataclass(frozen=True)
class NeedDocument:
    """What the index knows of one open need."""

    id: int
    title: str
    problem: str
    ipc_classes: tuple[str, ...]
    enterprise: str  # the posting enterprise's names: searchable
    field: str
    ipc_section: str | None
    transfer_modes: tuple[str, ...]
    region: str
    budget_band: str
    budget_max_minor: int | None
    deadline: date | None
    published_at: datetime
    organisation_id: int


class NeedIndex(Protocol):
    """The needs of one backend: the same operations as listings, with need facets."""

    def index(self, documents: Iterable[NeedDocument]) -> int:
        """Add or replace documents; return how many were written."""
        ...

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents; unknown ids are ignored."""
        ...

    def search(self, query: SearchQuery) -> SearchResult:
        """Every word required, need facets (OR within, AND across), a sorted page."""
        ...

    def related(self, text: str, limit: int = 50) -> list[tuple[int, float]]:
        """(id, score) of the needs sharing most words with `text`, best first."""
        ...

    def clear(self) -> None:
        """Remove every document (before a full reindex)."""
        ...

    def count(self) -> int:
        """How many documents the index holds."""
        ...


def related_terms(text: str) -> list[str]:
    """The words of a long text worth matching on (no stopwords, no lone 汉字), first ones first."""
    return [t for t in query_terms(text) if not is_single_han(t) and t not in STOPWORDS][
        :RELATED_MAX_TERMS
    ]
