"""Answers of valuation to other domains' signals (connected in create_app)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from listings.models import Listing
from listings.signals import listing_page
from valuation import queries, services


def on_listing_page(listing: Listing, *, viewer: Any, now: datetime, **_: Any) -> dict[str, Any]:
    """The valuation panel: the latest range and the reader's valuation actions."""
    return {
        "valuation": queries.latest_for_listing(listing.id),
        "valuation_may_compute": services.may_compute(viewer, listing, now=now),
        "valuation_may_request": queries.may_request(viewer, listing),
        "valuation_open_request": queries.open_request_of(viewer, listing.id),
    }


def connect() -> None:
    """Connect the receivers (blinker ignores a receiver connected twice)."""
    listing_page.connect(on_listing_page, weak=False)
