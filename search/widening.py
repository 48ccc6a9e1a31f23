"""How a query widens when every word together finds too little, on every backend.

First every word is required (the query's clauses, search.text.clauses). When
that finds fewer than WIDEN_BELOW documents, the query is run again with
spelling corrections from the index's vocabulary (search.text.spelling), looser
stand-ins of its words, and only a minimum share of its clauses required:
documents are ranked by how many clauses they match, then by bm25. A one-word query
that finds nothing even so is run with the word's dictionary sub-words (农业机械 ->
农业, 机械). The result
says it was widened and, with corrections, what the user probably meant.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from search.backend import SearchResult
from search.text.clauses import (
    LOOSE_WEIGHT,
    Alternative,
    Clause,
    query_clauses,
    required_terms,
)
from search.text.compounds import compound_parts
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


@dataclass(frozen=True)
class Pass:
    """One run of a query: how many it matched, and its result, made when asked for (a
    backend may leave ranking the page and its snippets until the pass is chosen)."""

    total: int
    result: Callable[[], SearchResult]

    @classmethod
    def done(cls, result: SearchResult) -> Pass:
        """A pass whose result is already made."""
        return cls(result.total, lambda: result)


RunOnce = Callable[[Sequence[Clause], bool], Pass]


def widened_clauses(
    text: str, clauses: Sequence[Clause], speller: Callable[[], Speller]
) -> tuple[list[Clause], dict[str, str]]:
    """The clauses of `text` widened, and the spelling corrections they hold; no clauses
    when widening would change nothing (`clauses`: the query's own)."""
    latin = [word for word in required_terms(text)[0] if is_latin(word)]
    fixed = corrections(speller(), latin) if latin else {}
    # A lone 汉字 is a word's first character: too loose to count toward a widened match.
    wide = [c for c in query_clauses(text, wide=True, corrections=fixed) if not _lone_han(c)]
    if wide == list(clauses) and len(clauses) < 2:
        return [], fixed
    return wide, fixed


def likely_widened(
    text: str, clauses: Sequence[Clause], speller: Callable[[], Speller]
) -> list[Clause]:
    """The widened clauses of a query that will probably need them (a misspelt word: as
    typed it is in no listing), for a backend to run both passes in one request; else none.

    Only a guess: `search_widening` still decides on the first pass's count. Long queries
    are no guess: on a large index most match enough with every word, and their widened
    pass is the dearest of all.
    """
    latin = [word for word in required_terms(text)[0] if is_latin(word)]
    if not clauses or not latin or not corrections(speller(), latin):
        return []
    return widened_clauses(text, clauses, speller)[0]


def search_widening(text: str, run: RunOnce, speller: Callable[[], Speller]) -> SearchResult:
    """The result of `text`: every word required, else widened (see the module).

    `run(clauses, widen)` runs one query: every clause required, or with `widen`
    a minimum share of them, by coverage first. Only the chosen pass's result is made.
    """
    clauses = query_clauses(text)
    strict = run(clauses, False)
    if not clauses or strict.total >= WIDEN_BELOW:
        return strict.result()
    wide, fixed = widened_clauses(text, clauses, speller)
    if not wide and not strict.total and (parts := word_parts(clauses)):
        wide = [*clauses, *parts]  # nothing found: a word's dictionary sub-words
    if not wide:
        return strict.result()
    widened = run(wide, True)
    if widened.total <= strict.total and not fixed:
        return strict.result()
    if not fixed:
        return widened.result()
    result = widened.result()
    texts = [text for hit in result.hits[:3] for text in hit.highlights.values()]
    return replace(result, suggestion=did_you_mean(text, fixed, texts))


def word_parts(clauses: Sequence[Clause]) -> list[Clause]:
    """The last resort of a one-word query that found nothing, even widened: the dictionary
    sub-words of a word jieba keeps whole (农业 and 机械 of 农业机械), each a clause of its
    own; none for other queries (a name such as 浙江大学 that finds itself stays whole)."""
    if len(clauses) != 1 or len(typed := clauses[0].alternatives[0].words) != 1:
        return []
    return [Clause((Alternative((part,), LOOSE_WEIGHT),)) for part in compound_parts(typed[0])]
