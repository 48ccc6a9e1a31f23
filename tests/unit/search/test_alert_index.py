"""The in-memory alert index finds exactly the saved searches a listing matches, whatever was changed."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from search.alert_index import AlertIndex, Match
from search.alert_rules import ListingTerms, matches

WORDS = ["电池", "锂电池", "锂电", "solid", "state", "光伏", "gene"]
VALUES = {"field": ["energy", "materials", "bio"], "region": ["上海", "江苏"], "trl": ["5", "7"]}

searches = st.builds(
    lambda words, filters, user, frequency: SimpleNamespace(
        terms=" ".join(words), filters=filters, user_id=user, frequency=frequency
    ),
    st.lists(st.sampled_from(WORDS), max_size=3),
    st.dictionaries(
        st.sampled_from(sorted(VALUES)),
        st.lists(st.sampled_from([v for values in VALUES.values() for v in values]), max_size=2),
        max_size=2,
    ),
    st.integers(1, 5),
    st.sampled_from(["instant", "daily", "off"]),
)
listings = st.builds(
    ListingTerms,
    words=st.frozensets(st.sampled_from(WORDS), max_size=5),
    facets=st.fixed_dictionaries(
        {
            facet: st.frozensets(st.sampled_from(values), max_size=2)
            for facet, values in VALUES.items()
        }
    ),
)


def brute_force(saved: dict[int, SimpleNamespace], listing: ListingTerms) -> list[Match]:
    return [
        Match(id_, row.user_id, row.name, row.frequency)
        for id_, row in sorted(saved.items())
        if matches(row.terms.split(), row.filters, listing)
    ]


@given(
    st.lists(searches, min_size=1, max_size=60),
    st.lists(
        st.tuples(st.sampled_from(["replace", "remove"]), st.integers(0, 59), searches), max_size=20
    ),
    st.lists(listings, min_size=1, max_size=8),
)
def test_the_index_matches_what_checking_every_search_matches(
    initial: list[SimpleNamespace],
    changes: list[tuple[str, int, SimpleNamespace]],
    new_listings: list[ListingTerms],
) -> None:
    saved = {
        n + 1: SimpleNamespace(**vars(row), id=n + 1, name=f"s{n + 1}")
        for n, row in enumerate(initial)
    }
    index = AlertIndex()
    index.add_all(saved.values())
    for action, position, row in changes:
        id_ = position % len(initial) + 1
        if action == "remove":
            saved.pop(id_, None)
            index.remove(id_)
        else:
            saved[id_] = SimpleNamespace(**vars(row), id=id_, name=f"s{id_} changed")
            index.add_all([saved[id_]])
    assert len(index) == len(saved)
    for listing in new_listings:
        assert index.match(listing.lookup_keys()) == brute_force(saved, listing)
