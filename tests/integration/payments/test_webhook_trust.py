"""A correctly signed Stripe event is still checked against what we stored before it counts.

The signature proves that Stripe sent the event; the amount, currency, mode, connected
account and PaymentIntent must also be those of the payment it names, and it may not be
stamped in the future. A refused or malformed event gets 400, is recorded with its
reason (event record and audit trail) and changes nothing.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from auctions import bidding, closing
from core.audit_models import AuditEntry
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Deal
from payments import card, ledger, queries, stripe_queue
from payments.models import DepositStatus, Payment, StripeEvent
from payments.rules import PaymentStatus
from tests.integration.payments.helpers import START, AuctionMarket, StripeTest, intent, session

URLS = {"success_url": "https://market.example/ok", "cancel_url": "https://market.example/no"}
YUAN_390K = 39_000_000


def _deposit_payment(m: AuctionMarket, user, clock) -> Payment:
    with unit_of_work():
        payment = card.start_card_deposit(user, m.deposit_of(user).id, now=clock())
    with unit_of_work():
        return card.open_checkout(user, payment.id, **URLS)


def _price_payment(m: AuctionMarket, s: StripeTest, clock) -> tuple[object, Deal, Payment]:
    """A winner whose deposit was held by card and captured, about to pay the rest by card."""
    winner = m.bidder()
    deposit_pay = _deposit_payment(m, winner, clock)
    ok = s.deliver(
        s.event(
            "payment_intent.amount_capturable_updated",
            intent(deposit_pay.id, "requires_capture", deposit_pay.amount_minor, intent_id="pi_d"),
        )
    )
    assert ok.status_code == 200, ok.data
    bidding.place_bid(winner, m.auction.id, START, now=clock())
    with unit_of_work(writer=True):
        assert closing.close_auction(m.auction.id, now=clock.advance(hours=49))
    stripe_queue.run_pending(now=clock())
    deal = db.session.scalar(
        select(Deal).where(Deal.source_type == "auction", Deal.source_id == m.auction.id)
    )
    assert deal is not None
    with unit_of_work():
        payment = card.start_card_payment(winner, deal.id, now=clock())
    with unit_of_work():
        payment = card.open_checkout(winner, payment.id, **URLS)
    return winner, deal, payment


def _refused(response, code: str) -> StripeEvent:
    """The response refused the event, and its record says why."""
    assert response.status_code == 400, response.data
    body = response.get_json()
    assert body["error"] == "refused" and body["code"] == code
    record = db.session.scalar(select(StripeEvent).order_by(StripeEvent.id.desc()).limit(1))
    assert record is not None and record.outcome.startswith("refused")
    audited = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "stripe_event.refuse", AuditEntry.object_id == record.id
        )
    )
    assert audited is not None and audited.after["code"] == code
    return record


def test_a_signed_event_for_another_amount_does_not_mark_the_price_paid(
    auction_market, stripe_on, clock
) -> None:
    m, s = auction_market, stripe_on
    winner, deal, payment = _price_payment(m, s, clock)
    due = queries.money_flow(winner, deal.id).due
    assert due == payment.amount_minor > 0
    for event in (
        s.event("checkout.session.completed", session(payment.id, 100, intent_id="pi_p")),
        s.event(
            "payment_intent.succeeded",
            intent(
                payment.id, "succeeded", YUAN_390K, intent_id="pi_p", capture_method="automatic"
            ),
        ),
    ):
        _refused(s.deliver(event), "stripe_event_amount")
    db.session.refresh(payment)
    assert payment.status == PaymentStatus.PENDING
    assert queries.money_flow(winner, deal.id).due == due
    assert ledger.check_all() == []
    # The right amount still counts.
    right = s.deliver(
        s.event("checkout.session.completed", session(payment.id, due, intent_id="pi_p"))
    )
    assert right.status_code == 200
    assert queries.money_flow(winner, deal.id).due == 0


def test_a_signed_event_in_another_currency_holds_no_deposit(
    auction_market, stripe_on, clock
) -> None:
    m, s = auction_market, stripe_on
    user = m.bidder()
    payment = _deposit_payment(m, user, clock)
    held_in_dollars = {
        **intent(payment.id, "requires_capture", payment.amount_minor),
        "currency": "usd",
    }
    _refused(
        s.deliver(s.event("payment_intent.amount_capturable_updated", held_in_dollars)),
        "stripe_event_currency",
    )
    assert m.deposit_of(user).status == DepositStatus.REQUIRED
    db.session.refresh(payment)
    assert payment.status == PaymentStatus.PENDING


def test_a_live_mode_event_is_refused_by_a_test_mode_market(
    auction_market, stripe_on, clock
) -> None:
    m, s = auction_market, stripe_on
    user = m.bidder()
    payment = _deposit_payment(m, user, clock)
    live = s.event(
        "payment_intent.amount_capturable_updated",
        intent(payment.id, "requires_capture", payment.amount_minor),
        livemode=True,
    )
    _refused(s.deliver(live), "stripe_event_livemode")
    assert m.deposit_of(user).status == DepositStatus.REQUIRED


def test_an_event_of_a_connected_account_about_a_platform_payment_is_refused(
    auction_market, stripe_on, clock
) -> None:
    m, s = auction_market, stripe_on
    user = m.bidder()
    payment = _deposit_payment(m, user, clock)
    theirs = s.event(
        "payment_intent.amount_capturable_updated",
        intent(payment.id, "requires_capture", payment.amount_minor),
        account="acct_someone_else",
    )
    _refused(s.deliver(theirs), "stripe_event_account")
    assert m.deposit_of(user).status == DepositStatus.REQUIRED


def test_an_event_stamped_in_the_future_is_refused_but_a_little_skew_is_accepted(
    auction_market, stripe_on, clock
) -> None:
    m, s = auction_market, stripe_on
    user = m.bidder()
    payment = _deposit_payment(m, user, clock)
    held = intent(payment.id, "requires_capture", payment.amount_minor)
    later = int((clock() + timedelta(hours=1)).timestamp())
    _refused(
        s.deliver(s.event("payment_intent.amount_capturable_updated", held, created=later)),
        "stripe_event_future",
    )
    assert m.deposit_of(user).status == DepositStatus.REQUIRED
    skewed = int((clock() + timedelta(seconds=90)).timestamp())
    ok = s.deliver(s.event("payment_intent.amount_capturable_updated", held, created=skewed))
    assert ok.status_code == 200, ok.data
    assert m.deposit_of(user).status == DepositStatus.HELD


def test_an_event_naming_our_payment_with_another_payment_intent_is_refused(
    auction_market, stripe_on, clock
) -> None:
    m, s = auction_market, stripe_on
    user = m.bidder()
    payment = _deposit_payment(m, user, clock)
    first = intent(payment.id, "requires_capture", payment.amount_minor, intent_id="pi_ours")
    assert s.deliver(s.event("payment_intent.amount_capturable_updated", first)).status_code == 200
    other = intent(
        payment.id,
        "succeeded",
        payment.amount_minor,
        intent_id="pi_theirs",
        capture_method="manual",
    )
    _refused(s.deliver(s.event("payment_intent.succeeded", other)), "stripe_event_intent")
    db.session.refresh(payment)
    assert payment.status == PaymentStatus.REQUIRES_CAPTURE


def _count() -> int:
    return db.session.scalar(select(func.count(StripeEvent.id)))


@pytest.mark.parametrize(
    "broken",
    [
        {"data": {}},
        {"data": {"object": "pi_1"}},
        {"created": "yesterday"},
        {"livemode": "no"},
        {"id": None},
        {"type": 7},
    ],
    ids=["no object", "object not a map", "created text", "livemode text", "no id", "type number"],
)
def test_a_malformed_signed_event_gets_400_is_recorded_and_changes_nothing(
    auction_market, stripe_on, clock, broken
) -> None:
    m, s = auction_market, stripe_on
    user = m.bidder()
    payment = _deposit_payment(m, user, clock)
    payload = s.event(
        "payment_intent.amount_capturable_updated",
        intent(payment.id, "requires_capture", payment.amount_minor),
        **broken,
    )
    _refused(s.deliver(payload), "stripe_event_malformed")
    assert _count() == 1
    assert m.deposit_of(user).status == DepositStatus.REQUIRED


def test_a_signed_body_that_is_not_an_event_object_gets_400(stripe_on, db_session) -> None:
    s = stripe_on
    _refused(s.deliver(json.dumps([1, 2, 3]).encode()), "stripe_event_malformed")


def test_a_refused_event_delivered_again_is_refused_again_and_recorded_once(
    auction_market, stripe_on, clock
) -> None:
    m, s = auction_market, stripe_on
    user = m.bidder()
    payment = _deposit_payment(m, user, clock)
    wrong = s.event(
        "payment_intent.amount_capturable_updated",
        intent(payment.id, "requires_capture", YUAN_390K),
    )
    _refused(s.deliver(wrong), "stripe_event_amount")
    _refused(s.deliver(wrong), "stripe_event_amount")
    assert _count() == 1
    assert m.deposit_of(user).status == DepositStatus.REQUIRED


def test_a_partial_refund_does_not_mark_the_payment_refunded(
    auction_market, stripe_on, clock
) -> None:
    m, s = auction_market, stripe_on
    _winner, _deal, payment = _price_payment(m, s, clock)
    s.deliver(
        s.event(
            "checkout.session.completed",
            session(payment.id, payment.amount_minor, intent_id="pi_p"),
        )
    )
    charge = {
        "id": "ch_1",
        "object": "charge",
        "amount": payment.amount_minor,
        "amount_refunded": 100,
        "currency": "cny",
        "payment_intent": "pi_p",
        "metadata": {"payment_id": str(payment.id)},
    }
    response = s.deliver(s.event("charge.refunded", charge))
    assert response.status_code == 200
    assert response.get_json()["outcome"] == "partially refunded"
    db.session.refresh(payment)
    assert payment.status == PaymentStatus.SUCCEEDED
