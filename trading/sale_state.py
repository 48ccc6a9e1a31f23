"""A listing's sale as the API shows it: its open listed sale, public notice, the caller's
negotiation, and what the caller may start (answers `listings.signals.listing_sale`).

It only reads: a sale or notice past its end is shown as it is until the job runner
closes it.
"""

from __future__ import annotations

from typing import Any

from accounts.models import User
from accounts.services import is_signed_in
from listings import services as listings
from listings.models import Listing
from listings.rules import ListingStatus, SaleState
from trading.models import ListedSale, ListedSaleStatus, Negotiation, NegotiationStatus
from trading.notice_queries import notice_for_listing
from trading.queries import intent_of, latest_sale, negotiation_of
from trading.rules import NoticeStatus


def sale_of(viewer: User | None, listing: Listing) -> dict[str, Any] | None:
    """The trading channels of a published listing, and what `viewer` may start on it."""
    if listing.status != ListingStatus.PUBLISHED:
        return None
    owner = listings.is_owner(viewer, listing)
    member = is_signed_in(viewer) and viewer.acting_org_id is not None
    channels: list[dict[str, Any]] = []
    sale = latest_sale(listing.id)
    if sale is not None and sale.status == ListedSaleStatus.OPEN:
        channels.append(_listed_sale(viewer, sale, bidder=member and not owner))
    notice = notice_for_listing(listing.id)
    if notice is not None and notice.status == NoticeStatus.RUNNING:
        channels.append(
            _channel("public_notice", notice.id, notice.status.value, notice.price_minor)
            | {
                "deadline": notice.ends_at,
                "allowed_actions": ["object"] if member and not owner else [],
            }
        )
    negotiation = negotiation_of(viewer, listing.id) if not owner else None
    if negotiation is not None:
        channels.append(_negotiation(negotiation))
    available = listing.sale_state == SaleState.AVAILABLE
    actions = []
    if available and owner:
        actions.append("start_listed_sale")
    if available and member and not owner and negotiation is None:
        actions.append("negotiate")
    return {"channels": channels, "actions": actions}


def _channel(kind: str, row_id: int, state: str, price_minor: int | None) -> dict[str, Any]:
    return {
        "channel": kind,
        "id": row_id,
        "state": state,
        "price_minor": price_minor,
        "currency": "CNY",
        "deadline": None,
        "allowed_actions": [],
    }


def _listed_sale(viewer: User | None, sale: ListedSale, *, bidder: bool) -> dict[str, Any]:
    intent = intent_of(viewer, sale) if bidder else None
    mine = intent is not None and intent.withdrawn_at is None
    actions = (["withdraw_intent"] if mine else ["register_intent"]) if bidder else []
    return _channel("listed_sale", sale.id, sale.status.value, sale.asking_price_minor) | {
        "currency": sale.currency,
        "deadline": sale.ends_at,
        "allowed_actions": actions,
    }


def _negotiation(negotiation: Negotiation) -> dict[str, Any]:
    price = negotiation.agreed_price_minor or negotiation.open_offer_minor
    actions = (
        ["offer", "accept", "withdraw"] if negotiation.status == NegotiationStatus.OPEN else []
    )
    return _channel("negotiation", negotiation.id, negotiation.status.value, price) | {
        "currency": negotiation.currency,
        "allowed_actions": actions,
    }
