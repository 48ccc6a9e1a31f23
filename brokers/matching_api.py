"""GET /api/v1/needs/<id>/matches: listings matching a need, for its enterprise and brokers.

A route of the needs' API blueprint that brokers contribute (needs sit below
brokers and must not import matching), so its URL and endpoint name stay the needs'.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from accounts.auth import api_reader
from brokers import matching
from brokers.matching_views import sale_view
from core.clock import now
from core.i18n import current_locale
from listings.need_api import blp
from listings.need_schemas import ListingMatchOutSchema


@blp.read("/<int:need_id>/matches", ListingMatchOutSchema(many=True), 403, 404)
def matches(need_id: int) -> Any:
    """Listings matching a need, best first, with a score (0–100) and the reasons.

    A listing in a running sale (listed sale, public notice, announced or open auction)
    carries `sale`: its kind, the deadline to act by, the price and the sale's page.
    """
    locale = current_locale()
    found = matching.matches_for_need(api_reader(), need_id, now=now())
    return [
        {
            "listing_id": m.listing.id,
            "title": m.listing.title(locale),
            "score": m.score,
            "reasons": [{"code": r.code, "text": r.text(gettext)} for r in m.reasons],
            "sale": sale_view(m.sale),
        }
        for m in found
    ]
