"""Answers of trading to other domains' signals (connected in create_app)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app

from core.workdays import market_calendar
from listings.models import Listing
from listings.rules import ListingStatus
from listings.signals import listing_page, listing_sale
from payments.deposit_contexts import DepositContext
from trading import panel, sale_state
from trading.models import ListedSale
from trading.queries import CONTEXT


def on_listing_page(listing: Listing, *, viewer: Any, now: datetime, **_: Any) -> dict[str, Any]:
    """The sale panel of a published listing: its listed sale, intents, negotiation."""
    if listing.status != ListingStatus.PUBLISHED:
        return {"sale_panel": None}
    calendar = market_calendar(current_app.config)
    return {"sale_panel": panel.sale_panel_context(viewer, listing, now, calendar=calendar)}


def on_listing_sale(listing: Listing, *, viewer: Any, **_: Any) -> dict[str, Any] | None:
    """The listing's listed sale, public notice and the viewer's negotiation (the API)."""
    return sale_state.sale_of(viewer, listing)


# Deposits owed to register intent in a listed sale: when it ends, its listing and its page.
DEPOSITS = DepositContext(CONTEXT, ListedSale, "/sales/{id}")


def connect() -> None:
    """Connect the receivers (blinker ignores a receiver connected twice)."""
    # weak=False: the module-level functions live as long as the process anyway.
    listing_page.connect(on_listing_page, weak=False)
    listing_sale.connect(on_listing_sale, weak=False)
    DEPOSITS.connect()
