"""Inventors' rewards (促进科技成果转化法 Art. 45): the pool never below the floor, the split
exact to the 分, a larger share never paid less."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain import ValidationFailed
from rewards.rules import (
    STATUTORY_FLOOR_BP,
    WHOLE_BP,
    CostCategory,
    InventorShare,
    RewardRefused,
    check_policy_share,
    net_income,
    reward_pool,
    split,
)


@st.composite
def shares(draw: st.DrawFn) -> list[InventorShare]:
    """Two to eight inventors with positive basis-point shares adding up to 100%."""
    count = draw(st.integers(1, 8))
    cuts = sorted(draw(st.lists(st.integers(1, WHOLE_BP - 1), min_size=count - 1, max_size=count - 1, unique=True)))  # fmt: skip
    bounds = [0, *cuts, WHOLE_BP]
    return [InventorShare(n, bounds[n + 1] - bounds[n]) for n in range(count)]


money = st.integers(0, 10**12)
policy_share = st.integers(STATUTORY_FLOOR_BP, WHOLE_BP)


@given(money, policy_share)
def test_the_pool_is_never_below_the_policy_share_nor_the_floor(net: int, share: int) -> None:
    pool = reward_pool(net, share)
    assert pool * WHOLE_BP >= net * share >= net * STATUTORY_FLOOR_BP
    assert pool <= net  # rounding up adds less than one 分
    assert (pool - 1) * WHOLE_BP < net * share or pool == 0


@given(money, shares())
def test_the_split_gives_away_every_fen(pool: int, inventors: list[InventorShare]) -> None:
    amounts = split(pool, inventors)
    assert sum(amounts) == pool
    for amount, inventor in zip(amounts, inventors, strict=True):
        assert abs(amount * WHOLE_BP - pool * inventor.share_bp) < WHOLE_BP  # within one 分


@given(money, shares())
def test_a_larger_share_is_never_paid_less(pool: int, inventors: list[InventorShare]) -> None:
    amounts = split(pool, inventors)
    for a, ia in zip(amounts, inventors, strict=True):
        for b, ib in zip(amounts, inventors, strict=True):
            if ia.share_bp > ib.share_bp:
                assert a >= b


def test_remainders_go_to_the_largest_fraction_then_the_first_named() -> None:
    thirds = [InventorShare(1, 3334), InventorShare(2, 3333), InventorShare(3, 3333)]
    assert split(100, thirds) == [34, 33, 33]
    assert split(2, [InventorShare(1, 5000), InventorShare(2, 5000)]) == [1, 1]
    assert split(1, [InventorShare(1, 5000), InventorShare(2, 5000)]) == [1, 0]


def test_a_share_below_the_statutory_floor_is_refused() -> None:
    with pytest.raises(RewardRefused) as refused:
        check_policy_share(4999)
    assert refused.value.code == "below_floor"
    check_policy_share(5000)


def test_net_income_deducts_only_the_allowed_costs() -> None:
    costs = {CostCategory.FEES: 1_000_00, CostCategory.MAINTENANCE: 500_00, CostCategory.VALUATION: 300_00}  # fmt: skip
    allowed = frozenset({CostCategory.FEES, CostCategory.MAINTENANCE})
    assert net_income(10_000_00, costs, allowed) == 8_500_00
    assert net_income(1_000_00, costs, allowed) == 0
    with pytest.raises(ValidationFailed):
        net_income(100, {CostCategory.FEES: -1}, allowed)


def test_shares_must_add_up_to_the_whole() -> None:
    with pytest.raises(ValidationFailed):
        split(100, [InventorShare(1, 6000), InventorShare(2, 3000)])
    with pytest.raises(ValidationFailed):
        split(100, [InventorShare(1, 10_000), InventorShare(2, 0)])
