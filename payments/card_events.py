"""Effects of what Stripe reports on our payments and deposits (webhooks and our own calls).

Each flushes; the webhook's or the queue runner's unit of work commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from core.extensions import db
from core.signals import values_from_signal
from payments import deposit_ledger, deposits, rules, signals, webhook_rules
from payments.models import Deposit, DepositStatus, Payment, Payout, StripeOperation
from payments.payment_state import move_payment, record_price_received
from payments.payouts import payout_paid
from payments.rules import PaymentStatus


def payment_for_stripe_object(obj: dict[str, Any]) -> Payment | None:
    """Our payment for a Stripe PaymentIntent / Checkout Session / Charge (by metadata, then id)."""
    metadata = obj.get("metadata") or {}
    payment_id = metadata.get("payment_id")
    payment = None
    if payment_id and str(payment_id).isdigit():
        payment = db.session.get(Payment, int(payment_id))
    if payment is None:
        intent = (
            obj.get("payment_intent") if obj.get("object") != "payment_intent" else obj.get("id")
        )
        if intent:
            payment = db.session.scalar(
                select(Payment).where(Payment.payment_intent_id == intent).limit(1)
            )
    if payment is not None:
        db.session.refresh(payment, with_for_update=True)
    return payment


def check_against_stored(payment: Payment, obj: dict[str, Any]) -> None:
    """Refuse (EventRefused) a Stripe object that is not about the money we stored.

    Its amount and currency must be the payment's (and the deposit's it pays), and its
    PaymentIntent the payment's, once we know it.
    """
    expected = webhook_rules.Expected(
        amount_minor=payment.amount_minor,
        currency=payment.currency,
        intent_id=payment.payment_intent_id,
    )
    webhook_rules.check_payment_object(obj, expected)
    if payment.purpose == "deposit" and payment.deposit_id is not None:
        deposit = db.session.get(Deposit, payment.deposit_id)
        if deposit is not None and (
            deposit.amount_minor != payment.amount_minor
            or deposit.currency.upper() != payment.currency.upper()
        ):
            raise webhook_rules.EventRefused(
                "payment %(payment)d does not match its deposit",
                code="stripe_event_amount",
                payment=payment.id,
            )


def _note_intent(payment: Payment, intent_id: str | None) -> None:
    """Keep the PaymentIntent Stripe reports if the payment did not know it yet."""
    if intent_id and not payment.payment_intent_id:
        payment.payment_intent_id = intent_id


def _hold_deposit(payment: Payment, deposit_id: int, *, captured: bool, now: datetime) -> None:
    """The payment holds its deposit by card: charged if `captured`, else an authorised hold."""
    deposits.hold_by_card(
        deposit_id,
        captured=captured,
        now=now,
        payment_id=payment.id,
        external_ref=payment.payment_intent_id,
    )


def card_authorised(payment: Payment, intent_id: str | None, *, now: datetime) -> str:
    """The card is held (manual capture): the deposit is held."""
    _note_intent(payment, intent_id)
    if not move_payment(payment, PaymentStatus.REQUIRES_CAPTURE, now, None):
        return "stale"
    if payment.purpose == "deposit" and payment.deposit_id is not None:
        _hold_deposit(payment, payment.deposit_id, captured=False, now=now)
    return "held"


def card_succeeded(payment: Payment, intent_id: str | None, *, now: datetime) -> str:
    """The card money arrived on Stripe: a deposit held (or its hold captured), or the price paid."""
    _note_intent(payment, intent_id)
    was = payment.status
    if payment.status == PaymentStatus.SUCCEEDED or not rules.may_move(
        payment.status, PaymentStatus.SUCCEEDED
    ):
        moved = False
    else:
        moved = move_payment(payment, PaymentStatus.SUCCEEDED, now, None)
    if payment.purpose == "deposit" and payment.deposit_id is not None:
        deposit = db.session.get(Deposit, payment.deposit_id)
        if deposit is None:
            return "no deposit"
        if payment.capture_method == "manual":
            if was == PaymentStatus.PENDING or deposit.status == DepositStatus.REQUIRED:
                _hold_deposit(payment, deposit.id, captured=False, now=now)
            deposit_ledger.captured(
                deposit, now=now, payment_id=payment.id, external_ref=payment.payment_intent_id
            )
            return "captured"
        _hold_deposit(payment, deposit.id, captured=True, now=now)
        return "held (charged)"
    if payment.purpose == "price":
        record_price_received(payment, now=now, actor_id=None)
        return "price received" if moved else "price already received"
    if payment.purpose == "open_licence":
        values_from_signal(signals.open_licence_paid, payment, now=now)
        return "open licence paid"
    return "ignored"


def card_failed(payment: Payment, *, now: datetime) -> str:
    """The card was declined or the hold cancelled before it was used."""
    if payment.status == PaymentStatus.REQUIRES_CAPTURE:
        return "cancelled" if move_payment(payment, PaymentStatus.CANCELLED, now, None) else "stale"
    return "failed" if move_payment(payment, PaymentStatus.FAILED, now, None) else "stale"


def card_refunded(payment: Payment, *, now: datetime) -> str:
    """Stripe refunded the charge (we asked for it; the posting was made then)."""
    return "refunded" if move_payment(payment, PaymentStatus.REFUNDED, now, None) else "stale"


def apply_operation_result(operation: StripeOperation, result: Any, *, now: datetime) -> None:
    """Our queued call succeeded: record what it changed (flushes; the runner commits)."""
    if operation.kind in ("capture", "cancel", "refund"):
        payment = db.session.get(Payment, operation.payment_id)
        if payment is None:
            return
        if operation.kind == "capture":
            card_succeeded(payment, payment.payment_intent_id, now=now)
        elif operation.kind == "cancel":
            move_payment(payment, PaymentStatus.CANCELLED, now, None)
        else:
            move_payment(payment, PaymentStatus.REFUNDED, now, None)
    elif operation.kind == "transfer":
        payout = db.session.get(Payout, operation.payout_id)
        if payout is not None:
            payout_paid(payout, now=now, transfer_id=getattr(result, "id", None), actor_id=None)
