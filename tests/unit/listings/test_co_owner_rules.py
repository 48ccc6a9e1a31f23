"""Co-owners: shares sum to 100 %, rights of use run 10 years or more, and the proceeds
split by share never lose or invent a fen."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain import ValidationFailed
from listings.co_owner_rules import (  # fmt: skip
    WHOLE_BP,
    ConsentMissing,
    Holder,
    HolderBasis,
    check_consents,
    check_holders,
    split,
)


@st.composite
def shares(draw: st.DrawFn) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(1, WHOLE_BP - 1), max_size=8, unique=True)))
    points = [0, *cuts, WHOLE_BP]
    return [b - a for a, b in itertools.pairwise(points)]


@given(st.integers(0, 10**13), shares())
def test_the_split_sums_exactly_to_the_proceeds(amount: int, parts_bp: list[int]) -> None:
    parts = split(amount, parts_bp)
    assert sum(parts) == amount
    for part, share in zip(parts, parts_bp, strict=True):
        # within one fen of the exact share, never below its floor
        assert amount * share // WHOLE_BP <= part <= amount * share // WHOLE_BP + 1


def test_the_remainder_goes_to_the_largest_remainders_then_the_first_listed() -> None:
    assert split(100, [3_333, 3_333, 3_334]) == [33, 33, 34]
    assert split(1, [5_000, 5_000]) == [1, 0]
    assert split(10, [2_500, 7_500]) == [3, 7]  # 2.5 and 7.5: tie, the first one


@given(shares())
def test_shares_summing_to_100_percent_pass(parts_bp: list[int]) -> None:
    check_holders([Holder(f"持有人{i}", s, HolderBasis.OWNERSHIP) for i, s in enumerate(parts_bp)], date(2026, 3, 2))  # fmt: skip


def test_shares_off_100_percent_and_short_rights_of_use_are_refused() -> None:
    today = date(2026, 3, 2)
    for bad in (
        [Holder("甲大学", 6_000, HolderBasis.OWNERSHIP), Holder("王教授", 3_999, HolderBasis.OWNERSHIP)],
        [Holder("甲大学", 6_000, HolderBasis.OWNERSHIP), Holder("王教授", 4_000, HolderBasis.RIGHT_OF_USE, date(2036, 3, 1))],
        [Holder("甲大学", 10_000, HolderBasis.OWNERSHIP, date(2040, 1, 1))],
        [Holder(" ", 10_000, HolderBasis.OWNERSHIP)],
    ):  # fmt: skip
        with pytest.raises(ValidationFailed):
            check_holders(bad, today)
    check_holders([Holder("甲大学", 6_000, HolderBasis.OWNERSHIP), Holder("王教授", 4_000, HolderBasis.RIGHT_OF_USE, date(2036, 3, 2))], today)  # fmt: skip


def test_a_missing_consent_is_named() -> None:
    check_consents([])
    with pytest.raises(ConsentMissing, match="王教授"):
        check_consents(["王教授"])
