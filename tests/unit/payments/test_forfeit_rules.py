"""A forfeited deposit goes to the seller, less the market's fee; nothing is lost or made up."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from payments import rules
from payments.forfeit_rules import deposit_forfeited_legs, forfeit_split
from payments.rules import Account


@given(st.integers(min_value=1, max_value=10**12), st.integers(min_value=0, max_value=10_000))
def test_the_seller_and_the_market_share_the_whole_deposit(amount: int, bps: int) -> None:
    split = forfeit_split(amount, bps)
    assert split.seller + split.market_fee == amount
    assert 0 <= split.market_fee <= amount
    legs = deposit_forfeited_legs(7, amount, "CNY", seller_org_id=2, fee_bps=bps)
    assert rules.is_balanced(legs)
    assert rules.payable_to(legs, Account.SELLER_PAYABLE, 2) == split.seller
    assert rules.balance(legs, Account.DEPOSITS_HELD, 7) == amount  # no longer held for 7


def test_one_percent_of_a_ten_percent_deposit() -> None:
    split = forfeit_split(100_000, 100)
    assert (split.market_fee, split.seller) == (1_000, 99_000)
