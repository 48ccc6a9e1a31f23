"""Which saved searches a new listing matches, and the key each search is filed under."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from search.alert_rules import EVERYTHING, ListingTerms, key_of, matches, requirement

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


def test_a_search_as_tokens_needs_its_key_the_rest_and_one_of_each_several_valued_facet() -> None:
    needed = requirement(["锂电池", "电池"], {"field": ["energy"], "region": ["上海", "江苏"]})
    assert needed.key == "w:锂电池"
    assert needed.rest == {"w:电池", "f:field=energy"}
    assert needed.any_of == (frozenset({"f:region=上海", "f:region=江苏"}),)
    assert requirement([], {"field": []}).met_by(LISTING.lookup_keys()) is False


listings = st.builds(
    ListingTerms,
    words=st.frozensets(st.sampled_from(["电池", "锂电池", "solid", "state", "光伏"]), max_size=4),
    facets=st.fixed_dictionaries(
        {
            "field": st.frozensets(st.sampled_from(["energy", "materials", "bio"]), max_size=1),
            "region": st.frozensets(st.sampled_from(["energy", "上海"]), max_size=2),
        }
    ),
)


@given(
    words,
    st.dictionaries(
        st.sampled_from(["field", "region", "trl"]),
        st.lists(st.sampled_from(["energy", "materials", "上海"]), max_size=3),
        max_size=3,
    ),
    listings,
)
def test_the_tokens_of_a_search_match_exactly_the_listings_the_search_matches(
    search_words: list[str], filters: dict[str, list[str]], listing: ListingTerms
) -> None:
    expected = matches(search_words, filters, listing)
    assert requirement(search_words, filters).met_by(listing.lookup_keys()) is expected
