"""Answers of search to other domains' signals (connected in create_app)."""

from __future__ import annotations

from typing import Any

from listings.models import Listing
from listings.rules import ListingStatus
from listings.signals import listing_page
from search.services import similar_listings


def on_listing_page(listing: Listing, **_: Any) -> dict[str, Any]:
    """A published listing's page shows the listings most like it."""
    published = listing.status == ListingStatus.PUBLISHED
    return {"similar": similar_listings(listing.id, 4) if published else []}


def connect() -> None:
    """Connect the receivers (blinker ignores a receiver connected twice)."""
    listing_page.connect(on_listing_page, weak=False)
