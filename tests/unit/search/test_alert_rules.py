"""Which saved searches a new listing matches, and the key each search is filed under."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from search.alert_rules import EVERYTHING, ListingTerms, key_decides, key_of, matches

LISTING = ListingTerms(
    words=frozenset({"锂电池", "电池", "电解质", "solid", "state"}),
    facets={"field": frozenset({"energy"}), "transfer_mode": frozenset({"licence", "assignment"})},
)


def test_every_word_and_one_value_of_every_facet_must_match() -> None:
    assert matches(["电池", "solid"], {}, LISTING)
    assert not matches(["电池", "光伏"], {}, LISTING)
    assert matches([], {"field": ["energy", "materials"]}, LISTING)
    assert not matches([], {"field": ["materials"]}, LISTING)
    assert matches(["电解质"], {"field": ["energy"], "transfer_mode": ["licence"]}, LISTING)
    assert not matches(["电解质"], {"region": ["上海"]}, LISTING)


def test_a_search_is_filed_under_its_longest_word_else_a_required_value_else_everything() -> None:
    assert key_of(["电池", "锂电池"], {"field": ["energy"]}) == "w:锂电池"
    assert key_of([], {"field": ["energy", "materials"], "region": ["上海"]}) == "f:region=上海"
    assert key_of([], {"field": ["energy", "materials"]}) == EVERYTHING
    assert key_of([], {}) == EVERYTHING


words = st.lists(st.sampled_from(["电池", "锂电池", "solid", "state", "光伏", "gene"]), max_size=3)
facet_values = st.lists(st.sampled_from(["energy", "materials", "bio"]), max_size=2)


@given(words, st.dictionaries(st.sampled_from(["field", "region"]), facet_values, max_size=2))
def test_a_matching_search_is_always_found_through_its_key(
    search_words: list[str], filters: dict[str, list[str]]
) -> None:
    filters = {facet: values for facet, values in filters.items() if values}
    if matches(search_words, filters, LISTING):
        assert key_of(search_words, filters) in LISTING.lookup_keys()


def test_the_key_alone_decides_only_when_nothing_else_could_fail() -> None:
    def expand(word: str) -> list[str]:
        return {"锂电池": ["锂电", "电池", "锂电池"]}.get(word, [word])

    assert key_decides(["锂电池", "锂电", "电池"], {}, expand), "sub-words come with the word"
    assert not key_decides(["锂电池", "光伏"], {}, expand)
    assert not key_decides(["锂电池"], {"field": ["energy"]}, expand)
    assert key_decides([], {"field": ["energy"]}, expand)
    assert not key_decides([], {"field": ["energy", "bio"]}, expand)
