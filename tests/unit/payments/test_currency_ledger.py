"""The deal ledger balances in each currency: deals priced in the seven currencies, paid
partly by deposit and partly by card or bank, settled to sellers and brokers, leave every
currency at zero and every party's account at zero; amounts of two currencies never
offset each other."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.currencies import EXPONENTS
from payments.rules import (
    Account,
    Commission,
    CommissionPayer,
    LedgerUnbalanced,
    Leg,
    PaymentChannel,
    accrual_legs,
    balance,
    check_balanced,
    deposit_applied_legs,
    deposit_held_legs,
    payment_received_legs,
    payout_legs,
    settlement,
    totals_by_currency,
)

CURRENCIES = sorted(EXPONENTS)
SELLER, BUYER, BROKER = 1, 2, 3

deals = st.lists(
    st.tuples(
        st.sampled_from(CURRENCIES),
        st.integers(min_value=100, max_value=10**12),  # price in the currency's minor units
        st.integers(min_value=0, max_value=500),  # fee in basis points
        st.integers(min_value=0, max_value=2_000),  # deposit in basis points of the price
        st.integers(min_value=0, max_value=300),  # a broker's commission in basis points
        st.sampled_from(list(CommissionPayer)),
        st.sampled_from(list(PaymentChannel)),
    ),
    min_size=1,
    max_size=6,
)


def _deal_ledger(
    currency: str,
    price: int,
    fee_bps: int,
    deposit_bps: int,
    commission_bps: int,
    payer: CommissionPayer,
    channel: PaymentChannel,
) -> list[list[Leg]]:
    commission = Commission(BROKER, payer, price * commission_bps // 10_000)
    owed = settlement(price, fee_bps, [commission] if commission.amount_minor else [])
    postings = [accrual_legs(owed, currency=currency, buyer_org_id=BUYER, seller_org_id=SELLER)]
    deposit = price * deposit_bps // 10_000
    if deposit:
        postings.append(deposit_held_legs(BUYER, deposit, currency, Account.BANK))
        postings.append(deposit_applied_legs(BUYER, deposit, currency))
    if owed.buyer_owes - deposit:
        postings.append(payment_received_legs(BUYER, owed.buyer_owes - deposit, currency, channel))
    postings.append(
        payout_legs(Account.SELLER_PAYABLE, SELLER, owed.seller_receives, currency, channel)
    )
    for broker, amount in owed.brokers:
        postings.append(payout_legs(Account.BROKER_PAYABLE, broker, amount, currency, channel))
    return postings


@given(deals)
def test_a_market_of_deals_in_many_currencies_balances_in_each_currency(deal_list: list) -> None:
    postings = [posting for deal in deal_list for posting in _deal_ledger(*deal)]
    for posting in postings:
        check_balanced(posting)
        assert len({leg.currency for leg in posting}) == 1  # a posting never mixes currencies
    legs = [leg for posting in postings for leg in posting]
    assert set(totals_by_currency(legs).values()) == {0}
    for currency in {deal[0] for deal in deal_list}:
        mine = [leg for leg in legs if leg.currency == currency]
        assert balance(mine, Account.BUYER_RECEIVABLE, BUYER) == 0
        assert balance(mine, Account.SELLER_PAYABLE, SELLER) == 0
        assert balance(mine, Account.BROKER_PAYABLE, BROKER) == 0
        assert balance(mine, Account.DEPOSITS_HELD, BUYER) == 0


@given(
    st.sampled_from(CURRENCIES),
    st.sampled_from(CURRENCIES),
    st.integers(min_value=1, max_value=10**12),
)
def test_amounts_of_two_currencies_never_offset_each_other(
    first: str, second: str, amount: int
) -> None:
    posting = [Leg(Account.BANK, amount, first), Leg(Account.BUYER_RECEIVABLE, -amount, second)]
    if first == second:
        check_balanced(posting)
    else:
        with pytest.raises(LedgerUnbalanced):
            check_balanced(posting)
