"""REST endpoints of listings (flask-smorest, in the OpenAPI document): the same services as the pages.

The search endpoint (GET /) is attached to this blueprint by `search.api`.
"""

from __future__ import annotations

from typing import Any

from accounts.auth import BEARER_TOKEN, api_actor, api_writer, require_token_for_writes
from core.api_kit import ApiBlueprint
from core.clock import now
from core.uow import unit_of_work
from listings import services
from listings.schemas import ListingInputSchema, ListingOutSchema

blp = ApiBlueprint(
    "listings_api", __name__, description="Listings of results (科技成果)", write_doc=BEARER_TOKEN
)


blp.before_request(require_token_for_writes)


@blp.read("/<int:listing_id>", ListingOutSchema, 404)
def get(listing_id: int) -> Any:
    """One listing (published ones for everyone; others for the owner and reviewers)."""
    return services.visible_listing(api_actor(), listing_id)


@blp.write("/", 201, ListingOutSchema, 422, args=ListingInputSchema)
def create(data: services.ListingInput) -> Any:
    """Create a draft listing for the caller's organisation (Authorization: Bearer <token>)."""
    actor = api_writer()
    with unit_of_work():
        return services.create_listing(actor, data, now=now())
