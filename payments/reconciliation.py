"""Reconciliation: our ledger and payments compared with Stripe's objects.

`differences()` asks Stripe for every PaymentIntent and transfer we recorded and
compares amounts and states with what we posted; it also lists calls still queued
or refused. The comparison itself is pure (`compare_intent`), so it is tested
without Stripe.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from core.extensions import db
from payments import stripe_channel
from payments.models import Payment, Payout, StripeOperation
from payments.rules import OperationStatus, PaymentChannel, PaymentStatus, PayoutStatus

# What Stripe's PaymentIntent status should be for each of our payment states.
EXPECTED_INTENT_STATUS: dict[PaymentStatus, frozenset[str]] = {
    PaymentStatus.PENDING: frozenset(
        {"requires_payment_method", "requires_confirmation", "requires_action", "processing"}
    ),
    PaymentStatus.REQUIRES_CAPTURE: frozenset({"requires_capture"}),
    PaymentStatus.SUCCEEDED: frozenset({"succeeded"}),
    PaymentStatus.REFUNDED: frozenset({"succeeded"}),  # a refunded intent stays succeeded
    PaymentStatus.CANCELLED: frozenset({"canceled"}),
    PaymentStatus.FAILED: frozenset({"requires_payment_method", "canceled"}),
}


@dataclass(frozen=True)
class Difference:
    """One thing that does not agree."""

    object: str
    ours: str
    stripes: str


def compare_intent(
    payment_id: int,
    status: PaymentStatus,
    amount_minor: int,
    currency: str,
    intent: dict[str, Any],
) -> list[Difference]:
    """Differences between one payment of ours and Stripe's PaymentIntent (pure)."""
    found: list[Difference] = []
    name = f"payment {payment_id} / {intent.get('id')}"
    expected = EXPECTED_INTENT_STATUS.get(status, frozenset())
    if intent.get("status") not in expected:
        found.append(Difference(name, f"status {status.value}", f"status {intent.get('status')}"))
    if intent.get("amount") != amount_minor:
        found.append(Difference(name, f"amount {amount_minor}", f"amount {intent.get('amount')}"))
    if str(intent.get("currency", "")).upper() != currency.upper():
        found.append(Difference(name, f"currency {currency}", f"currency {intent.get('currency')}"))
    if status == PaymentStatus.SUCCEEDED and intent.get("amount_received") != amount_minor:
        found.append(
            Difference(
                name, f"received {amount_minor}", f"received {intent.get('amount_received')}"
            )
        )
    return found


def compare_transfer(
    payout_id: int, amount_minor: int, transfer: dict[str, Any]
) -> list[Difference]:
    """Differences between one payout of ours and Stripe's transfer (pure)."""
    name = f"payout {payout_id} / {transfer.get('id')}"
    if transfer.get("amount") != amount_minor:
        return [Difference(name, f"amount {amount_minor}", f"amount {transfer.get('amount')}")]
    if transfer.get("reversed"):
        return [Difference(name, "paid", "reversed")]
    return []


def differences() -> list[Difference]:
    """Everything that does not agree between our records and Stripe's (reads only)."""
    import stripe

    found: list[Difference] = []
    for operation in db.session.scalars(
        select(StripeOperation)
        .where(StripeOperation.status.in_((OperationStatus.PENDING, OperationStatus.FAILED)))
        .order_by(StripeOperation.id)
    ):
        found.append(
            Difference(
                f"operation {operation.key}",
                f"{operation.kind} {operation.status.value}",
                operation.last_error or "not made yet",
            )
        )
    for payment in db.session.scalars(
        select(Payment)
        .where(Payment.channel == PaymentChannel.STRIPE, Payment.payment_intent_id.is_not(None))
        .order_by(Payment.id)
    ):
        assert payment.payment_intent_id is not None
        try:
            intent = stripe_channel.retrieve_payment_intent(payment.payment_intent_id)
        except stripe.StripeError as error:
            found.append(Difference(f"payment {payment.id}", "recorded", f"Stripe: {error}"))
            continue
        found += compare_intent(
            payment.id, payment.status, payment.amount_minor, payment.currency, intent.to_dict()
        )
    for payout in db.session.scalars(
        select(Payout)
        .where(Payout.channel == PaymentChannel.STRIPE, Payout.status == PayoutStatus.PAID)
        .order_by(Payout.id)
    ):
        if not payout.transfer_id:
            found.append(Difference(f"payout {payout.id}", "paid", "no transfer id"))
            continue
        try:
            transfer = stripe_channel.retrieve_transfer(payout.transfer_id)
        except stripe.StripeError as error:
            found.append(Difference(f"payout {payout.id}", "paid", f"Stripe: {error}"))
            continue
        found += compare_transfer(payout.id, payout.amount_minor, transfer.to_dict())
    return found
