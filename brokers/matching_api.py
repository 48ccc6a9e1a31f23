"""GET /api/v1/needs/<id>/matches: listings matching a need, for its enterprise and brokers;
GET /api/v1/listings/<id>/matches: enterprises that could want a listing, for its
organisation and brokers.

Routes of the needs' and listings' API blueprints that brokers contribute (needs and
listings sit below brokers and must not import matching), so their URLs and endpoint
names stay the needs' and the listings'.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext
from marshmallow import Schema, fields

from accounts.auth import api_reader
from brokers import matching
from brokers.matching_views import sale_view
from core.clock import now
from core.i18n import current_locale
from listings.api import blp as listings_blp
from listings.need_api import blp
from listings.need_schemas import ListingMatchOutSchema, ReasonOutSchema


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


class NeedRefOutSchema(Schema):
    """One of the enterprise's open needs the listing answers."""

    need_id = fields.Integer()
    title = fields.String()


class EnterpriseMatchOutSchema(Schema):
    """An enterprise that could want a listing: from its open needs and its past interest."""

    organisation_id = fields.Integer()
    organisation = fields.String(metadata={"description": "The enterprise's name"})
    score = fields.Float()
    reasons = fields.List(fields.Nested(ReasonOutSchema))
    needs = fields.List(fields.Nested(NeedRefOutSchema), metadata={"description": "Best first"})


@listings_blp.read("/<int:listing_id>/matches", EnterpriseMatchOutSchema(many=True), (403, "Only the listing's organisation and its brokers see its matches."), 404)  # fmt: skip
def listing_matches(listing_id: int) -> Any:
    """Enterprises that could want a listing, best first, with a score (0–100) and the
    reasons (their needs, bids, intents, negotiations), as the listing's matches page shows."""
    found = matching.matches_for_listing(api_reader(), listing_id, now=now())
    return [
        {
            "organisation_id": m.organisation.id,
            "organisation": m.organisation.name,
            "score": m.score,
            "reasons": [{"code": r.code, "text": r.text(gettext)} for r in m.reasons],
            "needs": [{"need_id": n.id, "title": n.title} for n in m.needs],
        }
        for m in found
    ]
