"""A payment's moves, shared by both channels and the accruals: its state, the price received, a refund.

A signed deal on which the last money arrived moves to paid in the same transaction
(`mark_paid_if_settled`; and `handlers.on_deal_signed` for a deal paid before it was signed).

Every function flushes and never commits: the caller's unit of work commits.
"""

from __future__ import annotations

from datetime import datetime

from core import audit
from core.extensions import db
from deals import services as deals
from deals.models import Deal, DealStatus
from payments import ledger, rules, stripe_channel, telling
from payments.models import Payment
from payments.rules import EntryKind, PaymentChannel, PaymentStatus


def move_payment(
    payment: Payment, target: PaymentStatus, now: datetime, actor_id: int | None
) -> bool:
    """Move a payment if the move is allowed (stale webhooks are ignored); audited."""
    if payment.status == target or not rules.may_move(payment.status, target):
        return False
    was = payment.status
    payment.status = target
    payment.updated_at = now
    if target == PaymentStatus.SUCCEEDED:
        payment.succeeded_at = now
    audit.record_status(
        "payment", payment, target.value, actor_id, now, was=was, amount_minor=payment.amount_minor
    )
    return True


def refund(payment: Payment, *, now: datetime, actor_id: int | None) -> None:
    """Give a price payment back: posted now; by card through Stripe, by bank by a reviewer."""
    ledger.post(
        f"payment-{payment.id}-refund",
        EntryKind.REFUND,
        rules.refund_legs(payment.org_id, payment.amount_minor, payment.currency, payment.channel),
        now=now,
        deal_id=payment.deal_id,
        payment_id=payment.id,
        channel=payment.channel,
        memo="refund of a payment of the price",
        actor_id=actor_id,
    )
    if payment.channel == PaymentChannel.STRIPE:
        stripe_channel.enqueue(
            "refund",
            f"payment-{payment.id}-refund",
            now=now,
            payment_id=payment.id,
            amount_minor=payment.amount_minor,
        )
    else:
        move_payment(payment, PaymentStatus.REFUNDED, now, actor_id)


def record_price_received(payment: Payment, *, now: datetime, actor_id: int | None) -> None:
    """A payment of the price arrived (card or bank): posted once, payouts may follow (flushes)."""
    move_payment(payment, PaymentStatus.SUCCEEDED, now, actor_id)
    assert payment.deal_id is not None
    ledger.post(
        f"payment-{payment.id}-received",
        EntryKind.PAYMENT_RECEIVED,
        rules.payment_received_legs(
            payment.org_id, payment.amount_minor, payment.currency, payment.channel
        ),
        now=now,
        deal_id=payment.deal_id,
        payment_id=payment.id,
        channel=payment.channel,
        memo="payment of the price",
        external_ref=payment.payment_intent_id or payment.bank_reference,
        actor_id=actor_id,
    )
    deal = db.session.get(Deal, payment.deal_id)
    telling.payment_received(payment, deal.seller_org_id if deal else None, now=now)
    if deal is not None:
        mark_paid_if_settled(deal, now=now, actor_id=actor_id)


def mark_paid_if_settled(deal: Deal, *, now: datetime, actor_id: int | None) -> bool:
    """A signed deal on which nothing is due any more moves to paid by itself (flushes)."""
    if deal.status != DealStatus.SIGNED or ledger.amount_due(deal) > 0:
        return False
    return deals.record_paid_in_full(deal.id, now=now, actor_id=actor_id) is not None
