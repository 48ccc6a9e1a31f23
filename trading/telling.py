"""What trading tells people: intents on a listed sale, offers, an agreed price."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.models import Organisation
from core.extensions import db
from listings.models import Listing
from notifications.services import notify, notify_org
from notifications.watches import notify_watchers
from trading.models import ListedSale, Negotiation, Objection, PublicityNotice


def _title(listing_id: int) -> dict[str, Any]:
    listing = db.session.get(Listing, listing_id)
    if listing is None:
        return {"title": "", "title_en": ""}
    return listing.titles()


def intent(sale: ListedSale, buyer_org_id: int, *, now: datetime) -> None:
    """The seller learns who registered intent to buy (flushes)."""
    buyer = db.session.get(Organisation, buyer_org_id)
    params = {
        **_title(sale.listing_id),
        "organisation": buyer.display_name("zh_CN") if buyer else "",
        "organisation_en": buyer.display_name("en") if buyer else "",
    }
    notify_org(sale.seller_org_id, "sale.intent", params=params, link=f"/sales/{sale.id}", now=now)


def on_sale(sale: ListedSale, *, now: datetime) -> None:
    """Those watching the listing learn it is listed for sale (flushes)."""
    params = {
        **_title(sale.listing_id),
        "how": "挂牌", "how_en": "listed at a fixed price",
    }  # fmt: skip
    notify_watchers(
        "listing", sale.listing_id, "watch.listing_for_sale",
        params=params, link=f"/sales/{sale.id}", now=now,
    )  # fmt: skip


def _other_side(negotiation: Negotiation, org_id: int | None) -> int:
    return (
        negotiation.buyer_org_id
        if org_id == negotiation.seller_org_id
        else negotiation.seller_org_id
    )


def opened(negotiation: Negotiation, by_org_id: int | None, *, now: datetime) -> None:
    """The other side learns a negotiation was opened with it (flushes)."""
    _from_one_side(negotiation, by_org_id, "negotiation.opened", now=now)


def _from_one_side(
    negotiation: Negotiation, by_org_id: int | None, event: str, *, now: datetime
) -> None:
    """The other side hears `event`, with the name of the organisation on this side."""
    by = db.session.get(Organisation, by_org_id) if by_org_id is not None else None
    params = {
        **_title(negotiation.listing_id),
        "organisation": by.display_name("zh_CN") if by else "",
        "organisation_en": by.display_name("en") if by else "",
    }
    notify_org(
        _other_side(negotiation, by_org_id),
        event,
        params=params,
        link=f"/negotiations/{negotiation.id}",
        now=now,
    )


def offer(
    negotiation: Negotiation, by_org_id: int | None, amount_minor: int, *, now: datetime
) -> None:
    """The other side learns of an offer or counter-offer (flushes)."""
    params = {
        **_title(negotiation.listing_id),
        "price_minor": amount_minor,
        "currency": negotiation.currency,
    }
    link = f"/negotiations/{negotiation.id}"
    notify_org(
        _other_side(negotiation, by_org_id), "negotiation.offer", params=params, link=link, now=now
    )


def message(negotiation: Negotiation, by_org_id: int | None, *, now: datetime) -> None:
    """The other side learns a message was written to it (flushes); the text stays in the thread."""
    _from_one_side(negotiation, by_org_id, "negotiation.message", now=now)


def agreed(negotiation: Negotiation, price_minor: int, *, now: datetime) -> None:
    """Both sides learn the price is agreed and the public notice runs (flushes)."""
    params = {
        **_title(negotiation.listing_id),
        "price_minor": price_minor,
        "currency": negotiation.currency,
    }
    link = f"/negotiations/{negotiation.id}"
    for org_id in (negotiation.seller_org_id, negotiation.buyer_org_id):
        notify_org(org_id, "negotiation.agreed", params=params, link=link, now=now)


def objection_lodged(notice: PublicityNotice, *, now: datetime) -> None:
    """Both parties of the agreement learn someone objected (flushes)."""
    negotiation = db.session.get(Negotiation, notice.negotiation_id)
    if negotiation is None:
        return
    link = f"/notices/{notice.id}"
    for org_id in (negotiation.seller_org_id, negotiation.buyer_org_id):
        notify_org(org_id, "notice.objection", params=_title(notice.listing_id), link=link, now=now)


def objection_decided(
    notice: PublicityNotice, objection: Objection, *, upheld: bool, now: datetime
) -> None:
    """The objector and both parties learn the reviewer's ruling (flushes)."""
    negotiation = db.session.get(Negotiation, notice.negotiation_id)
    outcome = ("成立", "upheld") if upheld else ("被驳回", "dismissed")
    params = {**_title(notice.listing_id), "outcome": outcome[0], "outcome_en": outcome[1]}
    link = f"/notices/{notice.id}"
    told = notify(
        [objection.user_id], "notice.objection_decided", params=params, link=link, now=now
    )
    if negotiation is not None:
        for org_id in (negotiation.seller_org_id, negotiation.buyer_org_id):
            notify_org(
                org_id, "notice.objection_decided", params=params, link=link, now=now,
                except_user_id=told[0].user_id if told else None,
            )  # fmt: skip
