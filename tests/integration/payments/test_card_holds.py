"""A card hold about to lapse is captured in time by the `payments.card_holds` job.

The hold's deadline is read back from Stripe (the PaymentIntent's latest charge);
stripe-mock's charge states none and predates our payment, so the deadline is the
7 days Stripe gives online card payments, counted from when the hold was reported.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from auctions import bidding, closing
from core.audit_models import AuditEntry
from core.clock import as_utc
from core.extensions import db
from core.uow import unit_of_work
from payments import card, card_holds, jobs, ledger
from payments.models import DepositStatus, Payment
from payments.rules import Account, PaymentStatus
from tests.integration.payments.helpers import START, AuctionMarket, StripeTest, intent

URLS = {"success_url": "https://market.example/ok", "cancel_url": "https://market.example/no"}


def _held_by_card(m: AuctionMarket, s: StripeTest, user, clock, pi: str) -> Payment:
    with unit_of_work():
        payment = card.start_card_deposit(user, m.deposit_of(user).id, now=clock())
    with unit_of_work():
        payment = card.open_checkout(user, payment.id, **URLS)
    response = s.deliver(
        s.event(
            "payment_intent.amount_capturable_updated",
            intent(payment.id, "requires_capture", payment.amount_minor, intent_id=pi),
        )
    )
    assert response.status_code == 200, response.data
    db.session.refresh(payment)
    assert payment.status == PaymentStatus.REQUIRES_CAPTURE
    return payment


def test_the_job_reads_each_holds_deadline_back_from_stripe(
    auction_market, stripe_on, clock
) -> None:
    m, s = auction_market, stripe_on
    payment = _held_by_card(m, s, m.bidder(), clock, "pi_deadline")
    held_at = clock()
    clock.advance(minutes=1)
    jobs.keep_card_holds()
    (asked,) = s.http.sent("v1/payment_intents/pi_deadline")
    assert asked["method"] == "get"
    db.session.refresh(payment)
    assert as_utc(payment.capture_before) == held_at + timedelta(days=7)
    assert s.http.sent("/capture") == []  # days left: nothing to do yet
    audited = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "payment.capture_before", AuditEntry.object_id == payment.id
        )
    )
    assert audited is not None


def test_a_hold_about_to_lapse_is_captured_and_a_loser_is_then_refunded(
    auction_market, stripe_on, clock
) -> None:
    m, s = auction_market, stripe_on
    winner, loser = m.bidder(), m.bidder()
    _held_by_card(m, s, winner, clock, "pi_w")
    lose_pay = _held_by_card(m, s, loser, clock, "pi_l")
    with unit_of_work():  # Stripe said this hold lapses in 20 hours
        db.session.get(Payment, lose_pay.id).capture_before = clock() + timedelta(hours=20)
    jobs.keep_card_holds()
    (capture,) = s.http.sent("/capture")
    deposit = m.deposit_of(loser)
    assert capture["path"] == "v1/payment_intents/pi_l/capture"
    assert capture["idempotency_key"] == f"deposit-{deposit.id}-capture"
    db.session.refresh(lose_pay)
    assert lose_pay.status == PaymentStatus.SUCCEEDED
    assert deposit.status == DepositStatus.HELD  # still the bidder's deposit, now money
    assert ledger.deposit_source(deposit.id) == Account.STRIPE_BALANCE
    assert db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "payment.capture_before_lapse",
            AuditEntry.object_id == lose_pay.id,
        )
    )
    jobs.keep_card_holds()
    assert len(s.http.sent("/capture")) == 1  # once only

    bidding.place_bid(winner, m.auction.id, START, now=clock())
    with unit_of_work(writer=True):
        assert closing.close_auction(m.auction.id, now=clock.advance(hours=49))
    card_holds.stripe_queue.run_pending(now=clock())
    (refund,) = s.http.sent("v1/refunds")  # captured, so it goes back as a refund
    assert refund["idempotency_key"] == f"deposit-{deposit.id}-refund"
    assert [c["path"] for c in s.http.sent("/cancel")] == []
    assert ledger.check_all() == []


def test_a_hold_that_already_lapsed_is_not_captured_but_reported_once(
    auction_market, stripe_on, clock
) -> None:
    m, s = auction_market, stripe_on
    payment = _held_by_card(m, s, m.bidder(), clock, "pi_gone")
    with unit_of_work():
        db.session.get(Payment, payment.id).capture_before = clock() - timedelta(minutes=1)
    jobs.keep_card_holds()
    jobs.keep_card_holds()
    assert s.http.sent("/capture") == []
    reported = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "payment.hold_lapsed", AuditEntry.object_id == payment.id
        )
    ).all()
    assert len(reported) == 1
