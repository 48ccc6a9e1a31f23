"""Card holds kept alive: each hold's deadline read back from Stripe, a hold about to lapse captured.

A deposit held by card (manual capture) is only an authorisation, which lapses after
Stripe's `capture_before` (about 7 days). The `payments.card_holds` job reads that
deadline from the PaymentIntent's latest charge once per hold, and captures a hold
whose deadline comes within STRIPE_HOLD_CAPTURE_MARGIN_HOURS while its deposit is still
held. Captured early, the deposit stays the bidder's: it is money on Stripe instead of
a hold, and goes back by refund instead of a cancelled hold (`deposit_ledger.released`).
The capture is queued under the same key the deposit's application uses, so the two
can never capture twice, and a release before it is made supersedes it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from core import audit
from core.audit_models import AuditEntry
from core.clock import as_utc
from core.extensions import db
from core.row_lists import all_of
from core.uow import unit_of_work
from payments import hold_rules, stripe_channel, stripe_queue
from payments.models import Deposit, DepositStatus, Payment
from payments.rules import PaymentChannel, PaymentStatus

log = logging.getLogger(__name__)


def _holds(*, without_deadline: bool) -> list[Payment]:
    query = select(Payment).where(
        Payment.channel == PaymentChannel.STRIPE,
        Payment.status == PaymentStatus.REQUIRES_CAPTURE,
        Payment.payment_intent_id.is_not(None),
    )
    if without_deadline:
        query = query.where(Payment.capture_before.is_(None))
    else:
        query = query.where(Payment.capture_before.is_not(None))
    return all_of(query.order_by(Payment.id))


def margin() -> timedelta:
    """How long before its deadline a hold is captured (STRIPE_HOLD_CAPTURE_MARGIN_HOURS)."""
    return timedelta(hours=int(current_app.config.get("STRIPE_HOLD_CAPTURE_MARGIN_HOURS", 24)))


def read_deadlines(*, now: datetime) -> int:
    """Ask Stripe for the deadline of every hold that has none yet; each kept in its own unit."""
    import stripe

    pending = [(p.id, p.payment_intent_id) for p in _holds(without_deadline=True)]
    db.session.rollback()  # no transaction open while Stripe is asked
    kept = 0
    for payment_id, intent_id in pending:
        assert intent_id is not None
        try:
            charge = stripe_channel.retrieve_latest_charge(intent_id)
        except stripe.StripeError as error:
            log.warning("Stripe hold of payment %s not read: %s", payment_id, error)
            continue
        card = (charge.get("payment_method_details") or {}).get("card") or {}
        with unit_of_work():
            payment = db.session.get(Payment, payment_id, with_for_update=True)
            if payment is None or payment.status != PaymentStatus.REQUIRES_CAPTURE:
                continue
            payment.capture_before = hold_rules.hold_deadline(
                capture_before=card.get("capture_before"),
                charge_created=charge.get("created"),
                payment_created=as_utc(payment.created_at),
                hold_noted=as_utc(payment.updated_at),
            )
            audit.record_change(
                "payment",
                payment.id,
                "capture_before",
                None,
                now,
                after={"capture_before": payment.capture_before.isoformat()},
            )
            kept += 1
    return kept


def _report_lapsed(payment: Payment, deadline: datetime | None, now: datetime) -> None:
    """A hold that lapsed before anyone captured it: logged, and audited once for reviewers."""
    log.error("The card hold of payment %s lapsed at %s", payment.id, deadline)
    known = db.session.scalar(
        select(AuditEntry.id).where(
            AuditEntry.object_type == "payment",
            AuditEntry.object_id == payment.id,
            AuditEntry.action == "payment.hold_lapsed",
        )
    )
    if known is None:
        audit.record_change(
            "payment", payment.id, "hold_lapsed", None, now, after={"capture_before": str(deadline)}
        )


def capture_lapsing(*, now: datetime) -> list[str]:
    """Queue the capture of every held deposit's card hold about to lapse (one unit of work)."""
    queued: list[str] = []
    with unit_of_work(writer=True):
        for payment in _holds(without_deadline=False):
            deadline = as_utc(payment.capture_before) if payment.capture_before else None
            deposit = db.session.get(Deposit, payment.deposit_id) if payment.deposit_id else None
            if deposit is None or deposit.status not in (DepositStatus.HELD, DepositStatus.APPLIED):
                continue
            if hold_rules.lapsed(deadline, now):
                _report_lapsed(payment, deadline, now)
                continue
            if not hold_rules.capture_now(deadline, now, margin()):
                continue
            operation = stripe_channel.enqueue(
                "capture",
                f"deposit-{deposit.id}-capture",
                now=now,
                payment_id=payment.id,
                amount_minor=deposit.amount_minor,
            )
            audit.record_change(
                "payment",
                payment.id,
                "capture_before_lapse",
                None,
                now,
                after={"capture_before": str(deadline), "operation": operation.key},
            )
            queued.append(operation.key)
    return queued


def keep_holds(*, now: datetime) -> list[str]:
    """The job's pass: read new deadlines, queue captures due, make the queued calls."""
    if not stripe_channel.enabled():
        return []
    read_deadlines(now=now)
    queued = capture_lapsing(now=now)
    if queued:
        stripe_queue.run_pending(now=now)
    return queued
