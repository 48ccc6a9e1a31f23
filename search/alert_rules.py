"""When a published listing matches a saved search: pure rules, no database.

A saved search matches a listing when every facet it filters on has one of its
values in the listing (OR within a facet, AND across, as on the search page) and
every word of its text, analysed as the index analyses it, is among the listing's
words. A search is filed under one key: its longest word (long words are rare),
else one of its facet values, else "*" (everything new).

For matching, a search becomes tokens (`w:word`, `f:facet=value`, the listing's
`lookup_keys` speak the same): the key, the other tokens it requires, and groups of
which it requires any one (a facet filtered on several values). A listing matches
it when it carries the key, all the required tokens and one of each group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

EVERYTHING = "*"


@dataclass(frozen=True)
class ListingTerms:
    """What a listing offers to saved searches: its words and its facet values."""

    words: frozenset[str]
    facets: Mapping[str, frozenset[str]]

    def lookup_keys(self) -> set[str]:
        """Every key a search matching this listing may be filed under (its tokens and "*")."""
        found = {word_token(word) for word in self.words}
        found.update(
            facet_token(facet, value) for facet, values in self.facets.items() for value in values
        )
        found.add(EVERYTHING)
        return found


@dataclass(frozen=True)
class Requirement:
    """A saved search as tokens: filed under `key`, it needs `rest` and one of each of `any_of`."""

    key: str
    rest: frozenset[str]
    any_of: tuple[frozenset[str], ...]

    def met_by(self, tokens: set[str] | frozenset[str]) -> bool:
        """Whether a listing carrying `tokens` (its lookup keys) matches the search."""
        return (
            self.key in tokens
            and self.rest <= tokens
            and all(not group.isdisjoint(tokens) for group in self.any_of)
        )


def _longest_first(word: str) -> tuple[int, str]:
    return (-len(word), word)


def word_token(word: str) -> str:
    return f"w:{word}"


def facet_token(facet: str, value: str) -> str:
    return f"f:{facet}={value}"


def words_of(analysed: str) -> frozenset[str]:
    return frozenset(analysed.split())


def key_of(words: Iterable[str], filters: Mapping[str, Sequence[str]]) -> str:
    """The one key a saved search is filed under (see the module doc)."""
    longest = min(words, key=_longest_first, default=None)
    if longest is not None:
        return word_token(longest)
    for facet in sorted(filters):
        values = sorted(filters[facet])
        if len(values) == 1:  # one required value: every match carries it
            return facet_token(facet, values[0])
    return EVERYTHING


def requirement(words: Iterable[str], filters: Mapping[str, Sequence[str]]) -> Requirement:
    """A saved search (its analysed words, its filters) as the tokens a match must carry."""
    words = set(words)
    required = {word_token(word) for word in words}
    any_of: list[frozenset[str]] = []
    for facet, values in sorted(filters.items()):
        tokens = frozenset(facet_token(facet, value) for value in values)
        if len(tokens) == 1:
            required |= tokens
        else:  # several values: any one (none: the filter can never be met)
            any_of.append(tokens)
    key = key_of(words, filters)
    return Requirement(key, frozenset(required - {key}), tuple(sorted(any_of, key=sorted)))


def matches(
    words: Iterable[str], filters: Mapping[str, Sequence[str]], listing: ListingTerms
) -> bool:
    """Whether a saved search (its analysed words and its filters) matches the listing."""
    for facet, values in filters.items():
        if not set(values) & listing.facets.get(facet, frozenset()):
            return False
    return all(word in listing.words for word in words)
