"""Alerts through the in-memory index: the same saved searches as checking each one, kept fresh.

Searches are saved, changed and deleted through the services (the analyser of the
index, the change log); each new listing's matches are compared with a brute-force
check of every saved search in the database.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from core.uow import unit_of_work
from search import alerts
from search.alert_index import Match
from search.alert_rules import ListingTerms, matches, words_of
from search.backend import FACETS
from search.models import SavedSearch
from search.text.tokens import analyse
from tests import factories

VOCABULARY = [
    "锂离子电池", "电池", "固态电解质", "正极材料", "光伏组件", "基因编辑", "疫苗", "传感器",
    "机器人", "算法", "battery", "solar", "vaccine", "sensor", "robot", "gene", "editing",
]  # fmt: skip
VALUES = {
    "field": ["energy", "materials", "biomed", "ict"],
    "transfer_mode": ["assignment", "licence", "equity"],
    "region": ["上海", "江苏", "北京"],
    "trl": ["3", "5", "7"],
}


def random_filters(rng: random.Random) -> dict[str, list[str]]:
    facets = rng.sample(sorted(VALUES), rng.choice((0, 0, 1, 1, 2)))
    return {facet: rng.sample(VALUES[facet], rng.choice((1, 1, 2))) for facet in facets}


def random_listing(rng: random.Random) -> ListingTerms:
    text = "".join(rng.sample(VOCABULARY, rng.randint(1, 6)))
    facets = {facet: frozenset(rng.sample(values, 1)) for facet, values in VALUES.items()}
    return ListingTerms(
        words=words_of(analyse(text)),
        facets={facet: facets.get(facet, frozenset()) for facet in FACETS},
    )


def brute_force(listing: ListingTerms) -> list[Match]:
    return [
        Match(s.id, s.user_id, s.name, s.frequency)
        for s in db.session.scalars(select(SavedSearch).order_by(SavedSearch.id))
        if matches(s.terms.split(), s.filters, listing)
    ]


def save(user: User, clock: Any, text: str, filters: dict[str, list[str]]) -> int:
    with unit_of_work():
        saved = alerts.save_search(
            user, name=text, text=text, filters=filters, frequency="instant", now=clock()
        )
    return saved.id


def test_a_few_hundred_random_searches_match_as_checking_each_does(
    db_session: object, clock: Any
) -> None:
    rng = random.Random(12)
    users = [factories.enterprise(clock()) for _ in range(8)]
    ids: list[tuple[User, int]] = []
    for n in range(320):
        user = users[n % len(users)]
        text = " ".join(rng.sample(VOCABULARY, rng.choice((0, 1, 1, 2))))
        ids.append((user, save(user, clock, text, random_filters(rng))))
        if n % 40 == 39:  # the index is read between changes, then must follow them
            assert alerts.matching_searches(random_listing(rng)) is not None
            for owner, saved_id in rng.sample(ids, 5):
                with unit_of_work():
                    if rng.random() < 0.5:
                        alerts.delete_search(owner, saved_id, now=clock())
                        ids.remove((owner, saved_id))
                    else:
                        alerts.set_frequency(owner, saved_id, "daily", now=clock())
    told = 0
    for _ in range(200):
        listing = random_listing(rng)
        found = alerts.matching_searches(listing)
        assert found == brute_force(listing)
        told += len(found)
    assert told > 200, "the listings match searches (the comparison is not of empty lists)"


class Undone(Exception):
    """Raised to roll a unit of work back."""


def save_and_undo(user: User, clock: Any, text: str, listing: ListingTerms) -> list[int]:
    """Save a search, match the listing within the same transaction, then roll it back."""
    with pytest.raises(Undone), unit_of_work():
        alerts.save_search(user, name=text, text=text, filters={}, frequency="off", now=clock())
        seen = [match.saved_search_id for match in alerts.matching_searches(listing)]
        raise Undone
    return seen


def test_a_search_saved_then_rolled_back_is_forgotten_even_when_its_number_is_reused(
    db_session: object, clock: Any
) -> None:
    user = factories.enterprise(clock())
    facets = random_listing(random.Random(1)).facets
    listing = ListingTerms(words=words_of(analyse("固态电解质 battery")), facets=facets)
    assert len(save_and_undo(user, clock, "固态电解质", listing)) == 1, "seen uncommitted"
    assert alerts.matching_searches(listing) == []

    save_and_undo(user, clock, "固态电解质", listing)
    kept = save(user, clock, "battery", {})  # takes the generation the undone one had
    [found] = alerts.matching_searches(listing)
    assert found.saved_search_id == kept and (found.name, found.frequency) == ("battery", "instant")
