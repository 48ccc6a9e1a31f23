"""What payments tell people: deposits confirmed, refused, settled; a deal's price received;
a payout made (notifications, which reach the organisations' webhook endpoints too); and
what only integrators hear: a payout owed (webhooks)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.extensions import db
from core.signals import merged_from_signal
from deals.models import Deal
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


def _about_deal(deal_id: int, amount_minor: int, currency: str) -> dict[str, Any]:
    deal = db.session.get(Deal, deal_id)
    listing = db.session.get(Listing, deal.listing_id or 0) if deal else None
    title = deal.title if deal else ""
    return {
        "title": listing.title("zh_CN") if listing else title,
        "title_en": listing.title("en") if listing else title,
        "amount_minor": amount_minor,
        "currency": currency,
    }


def price_received(payment: Payment, *, now: datetime) -> None:
    """The payer and the seller learn a payment of the price reached the market (flushes)."""
    if payment.deal_id is None:
        return
    deal = db.session.get(Deal, payment.deal_id)
    params = _about_deal(payment.deal_id, payment.amount_minor, payment.currency)
    link = f"/deals/{payment.deal_id}"
    for org_id in dict.fromkeys((payment.org_id, deal.seller_org_id if deal else None)):
        notify_org(org_id, "payment.received", params=params, link=link, now=now)


def payout_paid(payout: Payout, *, now: datetime) -> None:
    """The payee (the seller or a broker's organisation) learns its payout left (flushes)."""
    params = _about_deal(payout.deal_id, payout.amount_minor, payout.currency)
    notify_org(
        payout.org_id, "payout.paid", params=params, link=f"/deals/{payout.deal_id}", now=now
    )


def payout_moved(payout: Payout, event: str, *, now: datetime) -> None:
    """The payee's webhook endpoints learn a payout is owed to it (flushes; its payment is
    told by `payout_paid`, a notification that reaches them too)."""
    data = {
        "payout_id": payout.id,
        "role": payout.role,
        "amount_minor": payout.amount_minor,
        "currency": payout.currency,
        "status": payout.status.value,
    }
    publish(payout.org_id, event, data=data, link=f"/deals/{payout.deal_id}", now=now)
