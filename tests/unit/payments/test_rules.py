"""Pure rules of the deal ledger: every posting balances, settlements add up, capture windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain import ValidationFailed
from payments import rules
from payments.forfeit_rules import deposit_forfeited_legs
from payments.reconciliation import compare_intent, compare_transfer
from payments.rules import Account, Commission, CommissionPayer, Leg, PaymentChannel, PaymentStatus

prices = st.integers(min_value=1, max_value=10**13)
fees = st.integers(min_value=0, max_value=1_000)
commission_items = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=5),
        st.sampled_from(list(CommissionPayer)),
        st.integers(min_value=0, max_value=10**9),
    ),
    max_size=4,
)


@given(prices, fees, commission_items)
def test_every_settlement_balances_and_pays_everyone_what_the_buyer_owes(
    price, fee_bps, items
) -> None:
    commissions = [Commission(org, payer, amount) for org, payer, amount in items]
    try:
        s = rules.settlement(price, fee_bps, commissions)
    except ValidationFailed:
        seller_paid = sum(c.amount_minor for c in commissions if c.payer == CommissionPayer.SELLER)
        assert price - rules.platform_fee(price, fee_bps) - seller_paid < 0
        return
    legs = rules.accrual_legs(s, currency="CNY", buyer_org_id=1, seller_org_id=2)
    assert rules.is_balanced(legs)
    buyer_paid = sum(c.amount_minor for c in commissions if c.payer == CommissionPayer.BUYER)
    assert s.buyer_owes == price + buyer_paid
    assert s.seller_receives + s.platform_fee + sum(a for _, a in s.brokers) == s.buyer_owes
    assert s.seller_receives >= 0


@given(prices, fees)
def test_the_fee_is_the_rate_rounded_half_up_to_the_fen(price, fee_bps) -> None:
    fee = rules.platform_fee(price, fee_bps)
    exact = price * fee_bps / 10_000
    assert abs(fee - exact) <= 0.5
    assert 0 <= fee <= price


def test_fee_examples() -> None:
    assert rules.platform_fee(50_000_000, 100) == 500_000  # 1 % of ¥500,000
    assert rules.platform_fee(150, 100) == 2  # 1.5 fen rounds up
    assert rules.platform_fee(149, 100) == 1


deposit_steps = st.lists(
    st.sampled_from(["captured", "applied", "released", "forfeited", "paid", "payout", "refund"]),
    max_size=6,
)


@given(
    st.integers(min_value=1, max_value=10**10),
    st.sampled_from(list(PaymentChannel)),
    st.booleans(),
    deposit_steps,
)
def test_any_sequence_of_postings_keeps_the_ledger_balanced(amount, channel, held, steps) -> None:
    source = rules.cash_account(channel, captured=not held)
    legs: list[Leg] = list(rules.deposit_held_legs(7, amount, "CNY", source))
    for step in steps:
        posting = {
            "captured": lambda: rules.deposit_captured_legs(amount, "CNY"),
            "applied": lambda: rules.deposit_applied_legs(7, amount, "CNY"),
            "released": lambda: rules.deposit_released_legs(7, amount, "CNY", source),
            "forfeited": lambda: deposit_forfeited_legs(
                7, amount, "CNY", seller_org_id=2, fee_bps=100
            ),
            "paid": lambda: rules.payment_received_legs(7, amount, "CNY", channel),
            "payout": lambda: rules.payout_legs(Account.SELLER_PAYABLE, 2, amount, "CNY", channel),
            "refund": lambda: rules.refund_legs(7, amount, "CNY", channel),
        }[step]()
        assert rules.is_balanced(posting)
        legs += posting
    assert rules.totals_by_currency(legs) == {"CNY": 0}


def test_a_posting_that_does_not_balance_is_refused() -> None:
    with pytest.raises(rules.LedgerUnbalanced):
        rules.check_balanced([Leg(Account.BANK, 100, "CNY"), Leg(Account.PLATFORM_FEE, -99, "CNY")])
    with pytest.raises(rules.LedgerUnbalanced):
        rules.check_balanced([Leg(Account.BANK, 0, "CNY")])
    # Balanced in total but not in each currency: refused too.
    with pytest.raises(rules.LedgerUnbalanced):
        rules.check_balanced([Leg(Account.BANK, 100, "CNY"), Leg(Account.BANK, -100, "USD")])


def test_reversal_undoes_a_posting() -> None:
    s = rules.settlement(1_000_000, 100, [Commission(9, CommissionPayer.BUYER, 20_000)])
    legs = rules.accrual_legs(s, currency="CNY", buyer_org_id=1, seller_org_id=2)
    both = legs + rules.reversed_legs(legs)
    for account in Account:
        assert rules.balance(both, account) == 0


def test_amount_due_and_payables_read_the_party_accounts() -> None:
    s = rules.settlement(1_000_000, 100, [Commission(9, CommissionPayer.SELLER, 20_000)])
    legs = rules.accrual_legs(s, currency="CNY", buyer_org_id=1, seller_org_id=2)
    legs += rules.payment_received_legs(1, 400_000, "CNY", PaymentChannel.OFFLINE)
    assert rules.amount_due(legs, 1) == 600_000
    assert rules.payable_to(legs, Account.SELLER_PAYABLE, 2) == 1_000_000 - 10_000 - 20_000
    assert rules.payable_to(legs, Account.BROKER_PAYABLE, 9) == 20_000


def test_cards_are_held_only_when_the_sale_ends_within_the_window() -> None:
    now = datetime(2026, 3, 2, tzinfo=UTC)
    assert rules.use_manual_capture(period_ends_at=now + timedelta(days=2), now=now)
    assert rules.use_manual_capture(period_ends_at=now + timedelta(days=6), now=now)
    assert not rules.use_manual_capture(period_ends_at=now + timedelta(days=6, seconds=1), now=now)
    assert rules.capture_still_possible(now + timedelta(hours=1), now)
    assert not rules.capture_still_possible(now, now)


@given(st.sampled_from(list(PaymentStatus)), st.sampled_from(list(PaymentStatus)))
def test_payment_moves_follow_the_table(current, target) -> None:
    if rules.may_move(current, target):
        rules.check_move(current, target)
    else:
        with pytest.raises(rules.PaymentStateError):
            rules.check_move(current, target)
    # Terminal states stay terminal: a late webhook cannot revive them.
    assert not rules.may_move(PaymentStatus.REFUNDED, target)
    assert not rules.may_move(PaymentStatus.CANCELLED, target)


def test_a_payment_cannot_exceed_what_is_due() -> None:
    rules.check_payment_amount(100, 100)
    with pytest.raises(ValidationFailed):
        rules.check_payment_amount(101, 100)
    with pytest.raises(ValidationFailed):
        rules.check_payment_amount(0, 100)
    with pytest.raises(rules.PaymentStateError):
        rules.check_payment_amount(1, 0)


def test_reconciliation_reports_what_differs_from_stripe() -> None:
    agree = {
        "id": "pi_1",
        "status": "succeeded",
        "amount": 500,
        "amount_received": 500,
        "currency": "cny",
    }
    assert compare_intent(1, PaymentStatus.SUCCEEDED, 500, "CNY", agree) == []
    found = compare_intent(
        1,
        PaymentStatus.SUCCEEDED,
        500,
        "CNY",
        {**agree, "status": "requires_capture", "amount_received": 0},
    )
    assert [d.ours for d in found] == ["status succeeded", "received 500"]
    assert (
        compare_intent(
            2, PaymentStatus.REQUIRES_CAPTURE, 500, "CNY", {**agree, "status": "requires_capture"}
        )
        == []
    )
    assert compare_transfer(3, 900, {"id": "tr_1", "amount": 900}) == []
    assert compare_transfer(3, 900, {"id": "tr_1", "amount": 800})[0].stripes == "amount 800"
