"""How a query widens when every word together finds too little, on every backend.

First every word is required (the query's clauses, search.text.clauses). When
that finds fewer than WIDEN_BELOW documents, the query is run again with
spelling corrections from the index's vocabulary (search.text.spelling), looser
stand-ins of its words, and only a minimum share of its clauses required:
documents are ranked by how many clauses they match, then by bm25. The result
says it was widened and, with corrections, what the user probably meant.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

from search.backend import SearchResult
from search.text.clauses import Clause, query_clauses, required_terms
from search.text.spelling import Speller, corrections, did_you_mean
from search.text.tokens import is_latin, is_single_han

WIDEN_BELOW = 10  # one page of the judged top ten
MIN_SHARE = 0.2  # of a query's clauses a widened match needs (one of up to five)


def min_matches(clauses: Sequence[Clause]) -> int:
    """How many clauses a document must match when the query is widened."""
    return max(1, math.ceil(len(clauses) * MIN_SHARE))


def _lone_han(clause: Clause) -> bool:
    typed = clause.alternatives[0].words
    return len(typed) == 1 and is_single_han(typed[0])


RunOnce = Callable[[Sequence[Clause], bool], SearchResult]


def search_widening(text: str, run: RunOnce, speller: Callable[[], Speller]) -> SearchResult:
    """The result of `text`: every word required, else widened (see the module).

    `run(clauses, widen)` runs one query: every clause required, or with `widen`
    a minimum share of them, by coverage first.
    """
    clauses = query_clauses(text)
    result = run(clauses, False)
    if not clauses or result.total >= WIDEN_BELOW:
        return result
    latin = [word for word in required_terms(text)[0] if is_latin(word)]
    fixed = corrections(speller(), latin) if latin else {}
    # A lone 汉字 is a word's first character: too loose to count toward a widened match.
    wide = [c for c in query_clauses(text, wide=True, corrections=fixed) if not _lone_han(c)]
    if not wide or (wide == clauses and len(clauses) < 2):
        return result
    widened = run(wide, True)
    if widened.total <= result.total and not fixed:
        return result
    if not fixed:
        return widened
    texts = [text for hit in widened.hits[:3] for text in hit.highlights.values()]
    return replace(widened, suggestion=did_you_mean(text, fixed, texts))
