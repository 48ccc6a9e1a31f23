"""Answers of trading to other domains' signals (connected in create_app)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app

from core.extensions import db
from core.rows import period_end
from core.workdays import market_calendar
from listings.models import Listing
from listings.rules import ListingStatus
from listings.signals import listing_page, listing_sale
from payments.signals import deposit_period_end, deposit_subject
from trading import panel, sale_state
from trading.models import ListedSale


def on_listing_page(listing: Listing, *, viewer: Any, now: datetime, **_: Any) -> dict[str, Any]:
    """The sale panel of a published listing: its listed sale, intents, negotiation."""
    if listing.status != ListingStatus.PUBLISHED:
        return {"sale_panel": None}
    calendar = market_calendar(current_app.config)
    return {"sale_panel": panel.sale_panel_context(viewer, listing, now, calendar=calendar)}


def on_listing_sale(listing: Listing, *, viewer: Any, **_: Any) -> dict[str, Any] | None:
    """The listing's listed sale, public notice and the viewer's negotiation (the API)."""
    return sale_state.sale_of(viewer, listing)


def on_deposit_period_end(context_type: str, *, context_id: int, **_: Any) -> datetime | None:
    """When the listed sale a deposit is owed for ends."""
    return period_end(ListedSale, context_id) if context_type == "listed_sale" else None


def on_deposit_subject(context_type: str, *, context_id: int, **_: Any) -> dict[str, Any] | None:
    """The listing a deposit for one of our listed sales is about, and its page."""
    if context_type != "listed_sale":
        return None
    found = db.session.get(ListedSale, context_id)
    return (
        None if found is None else {"listing_id": found.listing_id, "link": f"/sales/{context_id}"}
    )


def connect() -> None:
    """Connect the receivers (blinker ignores a receiver connected twice)."""
    # weak=False: the module-level functions live as long as the process anyway.
    listing_page.connect(on_listing_page, weak=False)
    listing_sale.connect(on_listing_sale, weak=False)
    deposit_period_end.connect(on_deposit_period_end, weak=False)
    deposit_subject.connect(on_deposit_subject, weak=False)
