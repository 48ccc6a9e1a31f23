"""Rules of Stripe's webhook events: shape, time, mode, account, amount."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payments.webhook_rules import (
    EventRefused,
    Expected,
    check_connected_account,
    check_event,
    check_payment_object,
    expected_livemode,
    parse_event,
)

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def _event(**over):
    return {
        "id": "evt_1",
        "type": "payment_intent.succeeded",
        "created": int(NOW.timestamp()),
        "livemode": False,
        "data": {"object": {"id": "pi_1", "object": "payment_intent"}},
        **over,
    }


def _pi(**over):
    return {"id": "pi_1", "object": "payment_intent", "amount": 500, "currency": "cny", **over}


EXPECTED = Expected(amount_minor=500, currency="CNY", intent_id="pi_1")


def test_a_well_formed_event_gives_its_facts() -> None:
    facts = parse_event(_event(account="acct_1"))
    assert (facts.id, facts.created, facts.livemode, facts.account) == (
        "evt_1",
        NOW,
        False,
        "acct_1",
    )


@pytest.mark.parametrize(
    "over", [{"created": True}, {"created": -1}, {"data": None}, {"id": ""}, {"account": 3}]
)
def test_a_malformed_event_is_refused(over) -> None:
    with pytest.raises(EventRefused) as refused:
        parse_event(_event(**over))
    assert refused.value.code == "stripe_event_malformed"


@given(st.integers(min_value=0, max_value=300))
def test_an_event_within_the_skew_is_current(seconds: int) -> None:
    check_event(
        parse_event(_event(created=int(NOW.timestamp()) + seconds)), now=NOW, livemode=False
    )


@given(st.integers(min_value=301, max_value=10**8))
def test_an_event_beyond_the_skew_is_in_the_future(seconds: int) -> None:
    facts = parse_event(_event(created=int(NOW.timestamp()) + seconds))
    with pytest.raises(EventRefused) as refused:
        check_event(facts, now=NOW, livemode=False, skew=timedelta(minutes=5))
    assert refused.value.code == "stripe_event_future"


def test_only_live_keys_expect_live_events() -> None:
    assert expected_livemode("sk_live_x") and expected_livemode("rk_live_x")
    assert not expected_livemode("sk_test_x") and not expected_livemode(None)


def test_an_account_may_only_report_on_itself() -> None:
    own = parse_event(_event(account="acct_1", data={"object": {"id": "acct_1"}}))
    check_connected_account(own, platform_object=False)
    with pytest.raises(EventRefused):
        check_connected_account(own, platform_object=True)


@given(st.integers(min_value=0, max_value=10**12).filter(lambda n: n != 500))
def test_any_other_amount_is_refused(amount: int) -> None:
    with pytest.raises(EventRefused) as refused:
        check_payment_object(_pi(amount=amount), EXPECTED)
    assert refused.value.code == "stripe_event_amount"


def test_the_stored_amount_currency_and_intent_pass() -> None:
    check_payment_object(_pi(currency="cny", amount_received=500), EXPECTED)
    with pytest.raises(EventRefused):
        check_payment_object(_pi(amount_received=501), EXPECTED)
    with pytest.raises(EventRefused):
        check_payment_object(_pi(id="pi_2"), EXPECTED)
    with pytest.raises(EventRefused):
        check_payment_object(_pi(currency="usd"), EXPECTED)
    with pytest.raises(EventRefused):
        check_payment_object({**_pi(), "amount": "500"}, EXPECTED)
