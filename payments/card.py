"""Paying by card: a deposit or the price, through Stripe Checkout.

Two units of work in sequence (our row is committed before Stripe is asked for its
page): `start_card_deposit` / `start_card_payment` then `open_checkout`. Every function
flushes and never commits: the caller's unit of work commits.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from accounts.models import User
from core import audit
from core.clock import as_utc
from core.domain import N_, DomainError, NotFound
from core.extensions import db
from deals.models import Deal
from payments import ledger, rules, stripe_channel
from payments.models import DepositStatus, Payment
from payments.queries import acting_org_id, buyer_deal, own_deposit, period_end_of
from payments.rules import PaymentChannel, PaymentStatus

log = logging.getLogger(__name__)

CHECKOUT_REUSE = timedelta(hours=23)  # Checkout sessions expire after 24 hours


class PaymentsOff(DomainError):
    """The online channel is not configured."""

    code = "stripe_off"


def stripe_unavailable() -> DomainError:
    """The error for a Stripe call that failed (the channel is on but cannot be reached)."""
    return PaymentsOff(
        N_("Stripe cannot be reached just now. Try again in a moment, or pay by bank transfer."),
        code="stripe_unavailable",
    )


def require_stripe() -> None:
    """Refuse with `PaymentsOff` when the online channel is not configured."""
    if not stripe_channel.enabled():
        raise PaymentsOff(
            N_("Card payments are not available; pay by bank transfer."), code="stripe_off"
        )


def reusable(payment: Payment | None, now: datetime) -> bool:
    """A pending card payment of the last 23 hours: its Checkout page may be used again."""
    return (
        payment is not None
        and payment.status == PaymentStatus.PENDING
        and as_utc(payment.created_at) > now - CHECKOUT_REUSE
    )


def start_card_deposit(actor: User, deposit_id: int, *, now: datetime) -> Payment:
    """Pay a deposit by card, first unit of work: the pending payment (flushes).

    The card is authorised only (manual capture) when the auction or listed sale ends
    within the card's capture window; otherwise it is charged and refunded if not applied.
    A pending payment of the last 23 hours is reused. The caller commits it, then opens
    Stripe's page with `open_checkout` in a second unit of work, so a payment Stripe
    could not take stays pending and the next click asks again with the same key.
    """
    deposit = own_deposit(actor, deposit_id)  # who asks first: a stranger learns nothing
    require_stripe()
    if deposit.status != DepositStatus.REQUIRED:
        raise DomainError(
            N_("This deposit does not wait for a payment (it is %(status)s)."),
            code="deposit_state",
            status=deposit.status.value,
        )
    existing = db.session.scalar(
        select(Payment)
        .where(Payment.deposit_id == deposit.id, Payment.channel == PaymentChannel.STRIPE)
        .order_by(Payment.id.desc())
        .limit(1)
    )
    if existing is not None and reusable(existing, now):
        return existing
    ends_at = period_end_of(deposit) or now
    window = timedelta(hours=int(current_app.config.get("STRIPE_CAPTURE_WINDOW_HOURS", 144)))
    manual = rules.use_manual_capture(period_ends_at=ends_at, now=now, window=window)
    payment = Payment(
        purpose="deposit",
        deposit_id=deposit.id,
        org_id=deposit.org_id,
        user_id=actor.id,
        amount_minor=deposit.amount_minor,
        currency=deposit.currency,
        channel=PaymentChannel.STRIPE,
        status=PaymentStatus.PENDING,
        capture_method="manual" if manual else "automatic",
        created_at=now,
        updated_at=now,
    )
    audit.add_audited(
        "payment",
        payment,
        "start",
        actor.id,
        now,
        after={"deposit_id": deposit.id, "capture_method": payment.capture_method},
    )
    return payment


def start_card_payment(actor: User, deal_id: int, *, now: datetime) -> Payment:
    """The buyer pays what is due by card, first unit of work: the pending payment (flushes).

    As with `start_card_deposit`, the caller commits it, then opens Stripe's page with
    `open_checkout` in a second unit of work.
    """
    deal = buyer_deal(actor, deal_id)  # who asks first: a stranger learns nothing
    require_stripe()
    due = ledger.amount_due(deal)
    rules.check_payment_amount(due, due)
    existing = db.session.scalar(
        select(Payment)
        .where(
            Payment.deal_id == deal.id,
            Payment.channel == PaymentChannel.STRIPE,
            Payment.amount_minor == due,
        )
        .order_by(Payment.id.desc())
        .limit(1)
    )
    if existing is not None and reusable(existing, now):
        return existing
    payment = Payment.of_price(
        deal, actor.id, due, PaymentChannel.STRIPE, PaymentStatus.PENDING, now,
        capture_method="automatic",
    )  # fmt: skip
    audit.add_audited("payment", payment, "start", actor.id, now, after={"deal_id": deal.id})
    return payment


def open_checkout(actor: User, payment_id: int, *, success_url: str, cancel_url: str) -> Payment:
    """Second unit of work of paying by card: Stripe's Checkout page for the pending payment.

    Run after the payment is committed (`start_card_deposit`, `start_card_payment`).
    A payment that has its page keeps it; one without (Stripe was down) asks again
    with the same idempotency key (the payment's id). Flushes the page's URL.
    """
    import stripe

    require_stripe()
    payment = db.session.get(Payment, payment_id)
    if (
        payment is None
        or payment.channel != PaymentChannel.STRIPE
        or payment.org_id != acting_org_id(actor)
    ):
        raise NotFound(N_("No such payment."))
    if payment.checkout_url:
        return payment
    if payment.purpose == "deposit":
        title, deal_id = f"保证金 Deposit #{payment.deposit_id}", None
    elif payment.purpose == "open_licence":
        title, deal_id = f"专利开放许可 Open licence OL-{payment.open_licence_id}", None
    else:
        deal = db.session.get(Deal, payment.deal_id)
        if deal is None:
            raise NotFound(N_("No such deal."))
        title, deal_id = deal.title, deal.id
    try:
        session = stripe_channel.create_checkout_session(
            payment, title=title, success_url=success_url, cancel_url=cancel_url, deal_id=deal_id
        )
    except stripe.StripeError as error:
        # The payment stays pending without a page; the next click asks again, same key.
        log.warning("Stripe Checkout for payment %s failed: %s", payment.id, error)
        raise stripe_unavailable() from error
    payment.checkout_session_id = session.id
    payment.checkout_url = getattr(session, "url", None) or success_url
    db.session.flush()
    return payment
