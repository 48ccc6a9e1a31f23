"""When a published listing matches a saved search: pure rules, no database.

A saved search matches a listing when every facet it filters on has one of its
values in the listing (OR within a facet, AND across, as on the search page) and
every word of its text, analysed as the index analyses it, is among the listing's
words. A search is filed under one key: its longest word (long words are rare),
else one of its facet values, else "*" (everything new).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

EVERYTHING = "*"


@dataclass(frozen=True)
class ListingTerms:
    """What a listing offers to saved searches: its words and its facet values."""

    words: frozenset[str]
    facets: Mapping[str, frozenset[str]]

    def lookup_keys(self) -> set[str]:
        """Every key a search matching this listing may be filed under."""
        found = {f"w:{word}" for word in self.words}
        found.update(
            f"f:{facet}={value}" for facet, values in self.facets.items() for value in values
        )
        found.add(EVERYTHING)
        return found


def words_of(analysed: str) -> frozenset[str]:
    return frozenset(analysed.split())


def key_of(words: Iterable[str], filters: Mapping[str, Sequence[str]]) -> str:
    """The one key a saved search is filed under (see the module doc)."""
    chosen = sorted(words, key=lambda w: (-len(w), w))
    if chosen:
        return f"w:{chosen[0]}"
    for facet in sorted(filters):
        values = sorted(filters[facet])
        if len(values) == 1:  # one required value: every match carries it
            return f"f:{facet}={values[0]}"
    return EVERYTHING


def key_decides(
    words: Sequence[str],
    filters: Mapping[str, Sequence[str]],
    expand: Callable[[str], Iterable[str]],
) -> bool:
    """Whether carrying the key alone means a listing matches, so no check is needed.

    So it is for no filter and words that all come from the key word (`expand` gives
    what the analyser makes of a word: 锂电池 also yields 锂电 and 电池, and a listing
    that has the one has the others), and for no word and one filter of one value.
    """
    if filters:
        return not words and len(filters) == 1 and all(len(v) == 1 for v in filters.values())
    if not words:
        return True
    longest = sorted(words, key=lambda w: (-len(w), w))[0]
    return set(words) <= {longest, *expand(longest)}


def matches(
    words: Iterable[str], filters: Mapping[str, Sequence[str]], listing: ListingTerms
) -> bool:
    """Whether a saved search (its analysed words and its filters) matches the listing."""
    for facet, values in filters.items():
        if not set(values) & listing.facets.get(facet, frozenset()):
            return False
    return all(word in listing.words for word in words)
