"""Answers of trading to other domains' signals (connected in create_app)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app

from core.rows import period_end
from core.uow import permit_get_write, unit_of_work
from core.workdays import market_calendar
from listings.models import Listing
from listings.rules import ListingStatus
from listings.signals import listing_page
from payments.signals import deposit_period_end
from trading import panel
from trading.models import ListedSale


def on_listing_page(listing: Listing, *, viewer: Any, now: datetime, **_: Any) -> dict[str, Any]:
    """The sale panel of a published listing: its listed sale, intents, negotiation.

    The panel closes a due sale or notice first, so it runs in a unit of work of its
    own (the listing page is a GET that opens none), a writer one only when one is due.
    """
    if listing.status != ListingStatus.PUBLISHED:
        return {"sale_panel": None}
    calendar = market_calendar(current_app.config)
    due = panel.closing_due_on_listing(listing.id, now)
    if due:
        permit_get_write(
            "lazy closing of due listed sales and notices until the job runner takes it over"
        )
    with unit_of_work(writer=due):
        return {"sale_panel": panel.sale_panel_context(viewer, listing, now, calendar=calendar)}


def on_deposit_period_end(context_type: str, *, context_id: int, **_: Any) -> datetime | None:
    """When the listed sale a deposit is owed for ends."""
    return period_end(ListedSale, context_id) if context_type == "listed_sale" else None


def connect() -> None:
    """Connect the receivers (blinker ignores a receiver connected twice)."""
    # weak=False: the module-level functions live as long as the process anyway.
    listing_page.connect(on_listing_page, weak=False)
    deposit_period_end.connect(on_deposit_period_end, weak=False)
