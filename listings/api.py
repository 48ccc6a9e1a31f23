"""REST endpoints of listings (flask-smorest, in the OpenAPI document): the same services as the pages."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from accounts.auth import api_actor, api_writer, require_token_for_writes
from core.clock import now
from core.i18n import current_locale
from listings import services
from listings.schemas import (
    DomainErrorSchema,
    ListingInputSchema,
    ListingOutSchema,
    SearchArgsSchema,
    SearchPageSchema,
)
from search.backend import FACETS, SearchQuery
from search.services import listings_for, pick_highlight, search_listings

blp = Blueprint("listings_api", __name__, description="Listings of results (科技成果)")


blp.before_request(require_token_for_writes)


@blp.route("/")
@blp.arguments(SearchArgsSchema, location="query")
@blp.response(200, SearchPageSchema)
def search(args: dict[str, Any]) -> dict[str, Any]:
    """Search published listings: text, facet filters, sort and page, with facet counts."""
    query = SearchQuery(
        text=args["q"],
        filters={name: tuple(args[name]) for name in FACETS if args[name]},
        sort=args["sort"],
        page=args["page"],
        per_page=args["per_page"],
    )
    result = search_listings(query)
    by_id = listings_for(result.hits)
    locale = current_locale()
    items = []
    for hit in result.hits:
        listing = by_id.get(hit.id)
        if listing is not None:
            listing.highlights = {
                part: pick_highlight(hit, part, locale) for part in ("title", "summary")
            }
            items.append(listing)
    return {
        "items": items,
        "total": result.total,
        "page": args["page"],
        "per_page": args["per_page"],
        "facets": result.facets,
    }


@blp.route("/<int:listing_id>")
@blp.response(200, ListingOutSchema)
@blp.alt_response(404, schema=DomainErrorSchema)
def get(listing_id: int) -> Any:
    """One listing (published ones for everyone; others for the owner and reviewers)."""
    return services.visible_listing(api_actor(), listing_id)


@blp.route("/", methods=["POST"])
@blp.arguments(ListingInputSchema)
@blp.response(201, ListingOutSchema)
@blp.alt_response(422, schema=DomainErrorSchema)
@blp.doc(security=[{"bearerAuth": []}])
def create(data: services.ListingInput) -> Any:
    """Create a draft listing for the caller's organisation (Authorization: Bearer <token>)."""
    actor = api_writer()
    return services.create_listing(actor, data, now=now())
