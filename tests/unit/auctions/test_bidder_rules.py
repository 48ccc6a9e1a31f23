"""Bidder numbers (竞买号) and who sees names, without a database."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from auctions import bidder_rules
from auctions.bidder_rules import Viewer
from core.domain import DomainError


@given(
    taken=st.sets(st.integers(min_value=1000, max_value=9999), max_size=300),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_a_new_number_has_four_digits_and_is_not_taken(taken: set[int], seed: int) -> None:
    number = bidder_rules.pick_number(taken, random.Random(seed).randrange)
    assert 1000 <= number <= 9999
    assert number not in taken


@given(seed=st.integers(min_value=0, max_value=2**32))
def test_numbers_do_not_follow_the_order_of_joining(seed: int) -> None:
    rng = random.Random(seed)
    numbers: list[int] = []
    for _ in range(20):
        numbers.append(bidder_rules.pick_number(numbers, rng.randrange))
    assert len(set(numbers)) == 20
    assert numbers != sorted(numbers) or len(set(numbers)) < 2  # not handed out in sequence


def test_the_last_free_number_is_found_and_then_there_is_none() -> None:
    taken = set(range(1000, 10000)) - {4321}
    assert bidder_rules.pick_number(taken, lambda n: n - 1) == 4321
    with pytest.raises(DomainError) as caught:
        bidder_rules.pick_number(taken | {4321}, lambda n: 0)
    assert caught.value.code == "no_bidder_number_left"


@pytest.mark.parametrize(
    ("viewer", "closed", "visible"),
    [
        (Viewer(), False, False),
        (Viewer(), True, False),
        (Viewer(org_id=5), True, False),  # a bidder never learns the others' names
        (Viewer(org_id=1, is_seller=True), False, False),
        (Viewer(org_id=1, is_seller=True), True, True),
        (Viewer(org_id=9, is_reviewer=True), False, True),
    ],
)
def test_names_are_for_reviewers_and_for_the_seller_after_the_close(
    viewer: Viewer, closed: bool, visible: bool
) -> None:
    assert bidder_rules.names_visible(viewer, closed=closed) is visible


def test_a_bidder_recognises_its_own_bids() -> None:
    assert bidder_rules.is_mine(Viewer(org_id=5), 5)
    assert not bidder_rules.is_mine(Viewer(org_id=5), 6)
    assert not bidder_rules.is_mine(Viewer(), None)
