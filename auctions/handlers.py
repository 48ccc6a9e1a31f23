"""Answers of auctions to other domains' signals (connected in create_app)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from auctions import bidders, services
from auctions.models import Auction
from auctions.queries import CLOSING, CONTEXT, OPEN_STATUSES, auctions_of_listing
from core.clock import as_utc
from listings.models import Listing
from listings.signals import listing_page, listing_sale
from payments.deposit_contexts import DepositContext
from payments.signals import deposit_held


def on_listing_page(listing: Listing, **_: Any) -> dict[str, Any]:
    """The listing page links the listing's open auction, if any."""
    running = [a for a in auctions_of_listing(listing.id) if a.status in OPEN_STATUSES]
    return {"open_auction": running[0] if running else None}


def on_listing_sale(listing: Listing, *, now: datetime, **_: Any) -> dict[str, Any] | None:
    """The listing's published, open auction: its state, price and end (the API)."""
    running = [a for a in auctions_of_listing(listing.id) if a.status in OPEN_STATUSES]
    if not running:
        return None
    auction = running[0]
    # the phases of the live feed (auctions.queries.snapshot): upcoming, running, closing
    starts_at, ends_at = as_utc(auction.starts_at), as_utc(auction.ends_at)
    state = "upcoming" if now < starts_at else CLOSING if ends_at <= now else "running"
    channel = {
        "channel": "auction",
        "id": auction.id,
        "state": state,
        "price_minor": auction.current_price_minor or auction.starting_price_minor,
        "currency": auction.currency,
        "deadline": auction.ends_at,
        "allowed_actions": [],
    }
    return {"channels": [channel], "actions": []}


# Deposits owed to take part in an auction: when it ends, its listing and its page; a
# bidder takes part by lodging its deposit (`payments.deposits.lodge_receipt`).
DEPOSITS = DepositContext(CONTEXT, Auction, "/auctions/{id}", owed=services.join_auction)


def on_deposit_held(
    context_type: str, *, context_id: int, org_id: int, now: datetime, **_: Any
) -> int | None:
    """A bidder's deposit is held: it gets its bidder number (竞买号) in that auction."""
    if context_type != "auction":
        return None
    return bidders.assign(context_id, org_id, now=now)


def connect() -> None:
    """Connect the receivers (blinker ignores a receiver connected twice)."""
    # weak=False: the module-level functions live as long as the process anyway.
    listing_page.connect(on_listing_page, weak=False)
    listing_sale.connect(on_listing_sale, weak=False)
    DEPOSITS.connect()
    deposit_held.connect(on_deposit_held, weak=False)
