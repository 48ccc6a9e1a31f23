"""Paying an open licence's fee by card (Stripe Checkout), beside the bank transfer.

As for a deal's price (payments.card): the pending payment is committed first, then Stripe
is asked for its page (`payments.card.open_checkout`); the licence is granted when Stripe
reports the money arrived (`payments.signals.open_licence_paid`, answered in handlers.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from accounts.models import User
from core import audit
from core.domain import N_, NotFound
from core.extensions import db
from licences import rules
from licences.grants import visible_licence
from licences.rules import LicenceStatus
from payments import card
from payments.models import Payment
from payments.rules import PaymentChannel, PaymentStatus


def start_card_payment(actor: User, licence_id: int, *, now: datetime) -> Payment:
    """The licensee pays the fee due with its notice by card: the pending payment (flushes)."""
    licence = visible_licence(actor, licence_id)
    if actor.acting_org_id != licence.licensee_org_id:
        raise NotFound(N_("No such licence."))  # the patentee sees it, never pays it
    card.require_stripe()
    if licence.status != LicenceStatus.AWAITING_PAYMENT or licence.amount_due_minor <= 0:
        raise rules.OpenLicenceError(N_("This licence is not waiting for payment."), code="not_awaiting_payment")  # fmt: skip
    existing = db.session.scalar(
        select(Payment)
        .where(Payment.open_licence_id == licence.id, Payment.channel == PaymentChannel.STRIPE)
        .order_by(Payment.id.desc())
        .limit(1)
    )
    if existing is not None and card.reusable(existing, now):
        return existing
    payment = Payment(
        purpose="open_licence", open_licence_id=licence.id, org_id=licence.licensee_org_id,
        user_id=actor.id, amount_minor=licence.amount_due_minor,
        currency=licence.declaration.currency, channel=PaymentChannel.STRIPE,
        status=PaymentStatus.PENDING, capture_method="automatic", created_at=now, updated_at=now,
    )  # fmt: skip
    audit.add_audited("payment", payment, "start", actor.id, now, after={"open_licence_id": licence.id})  # fmt: skip
    return payment
