"""What payments tell people: a deposit confirmed or its receipt refused (notifications);
what they tell integrators: a price payment received, a payout owed or paid (webhooks)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.extensions import db
from core.signals import merged_from_signal
from listings.models import Listing
from notifications.services import notify_org
from payments import signals
from payments.models import Deposit, Payment, Payout
from webhooks.events import publish


def _about(deposit: Deposit) -> tuple[dict[str, Any], str | None]:
    subject = merged_from_signal(
        signals.deposit_subject, deposit.context_type, context_id=deposit.context_id
    )
    listing = db.session.get(Listing, subject.get("listing_id") or 0)
    params = {
        "title": listing.title("zh_CN") if listing else "",
        "title_en": listing.title("en") if listing else "",
        "amount_minor": deposit.amount_minor,
        "currency": deposit.currency,
    }
    return params, subject.get("link")


def deposit_confirmed(deposit: Deposit, *, now: datetime) -> None:
    params, link = _about(deposit)
    notify_org(deposit.org_id, "deposit.confirmed", params=params, link=link, now=now)


def deposit_rejected(deposit: Deposit, reason: str, *, now: datetime) -> None:
    params, link = _about(deposit)
    params = {**params, "reason": reason}
    notify_org(deposit.org_id, "deposit.rejected", params=params, link=link, now=now)


def deposit_settled(deposit: Deposit, event: str, *, now: datetime) -> None:
    """Released (refund due) or forfeited: the depositor learns it (flushes)."""
    params, link = _about(deposit)
    notify_org(deposit.org_id, event, params=params, link=link, now=now)


def payment_received(payment: Payment, seller_org_id: int | None, *, now: datetime) -> None:
    """The payer's and the seller's webhook endpoints learn a price payment arrived (flushes)."""
    data = {
        "payment_id": payment.id,
        "amount_minor": payment.amount_minor,
        "currency": payment.currency,
        "channel": payment.channel.value,
    }
    link = f"/deals/{payment.deal_id}"
    for org_id in sorted({payment.org_id, seller_org_id or payment.org_id}):
        publish(org_id, "payment.received", data=data, link=link, now=now)


def payout_moved(payout: Payout, event: str, *, now: datetime) -> None:
    """The payee's webhook endpoints learn a payout is owed to it, or was paid (flushes)."""
    data = {
        "payout_id": payout.id,
        "role": payout.role,
        "amount_minor": payout.amount_minor,
        "currency": payout.currency,
        "status": payout.status.value,
    }
    publish(payout.org_id, event, data=data, link=f"/deals/{payout.deal_id}", now=now)
