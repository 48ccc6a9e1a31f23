"""REST endpoints of the announcement (拍卖公告) review: the reviewers' queue and decision.

The routes belong to the auctions API blueprint (`auctions_api.announcements`, ...);
`auctions.api` imports this module to attach them. The services are those of the
reviewers' page (`auctions.announcements`).
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from marshmallow import Schema

from accounts.auth import api_reader, api_writer
from auctions import announcements
from auctions.api import auction_detail, blp
from auctions.api_schemas import AuctionDetailSchema, RefusalInSchema
from auctions.settings import settings_from_config
from core.clock import now
from core.i18n import current_locale
from core.schema_out import out_fields, page_of
from core.uow import unit_of_work


@out_fields(integers="auction_id listing_id seller_org_id starting_price_minor increment_minor deposit_bps", strings="title", datetimes="starts_at ends_at deposit_deadline? created_at")  # fmt: skip
class AnnouncementOutSchema(Schema):
    """An announcement awaiting review: the auction's terms and its listing."""


AnnouncementQueueSchema = page_of(
    AnnouncementOutSchema,
    "Announcements awaiting a reviewer, oldest first.",
    name="AnnouncementQueueSchema",
)


@blp.read("/announcements", AnnouncementQueueSchema, 401, (403, "Not a reviewer"))
def announcements_queue() -> dict[str, Any]:
    """Reviewers: the announcements waiting for a decision, oldest first."""
    locale = current_locale()
    return {
        "items": [
            {
                "auction_id": auction.id,
                "listing_id": listing.id,
                "title": listing.title(locale),
                "seller_org_id": auction.seller_org_id,
                "starting_price_minor": auction.starting_price_minor,
                "increment_minor": auction.increment_minor,
                "deposit_bps": auction.deposit_bps,
                "starts_at": auction.starts_at,
                "ends_at": auction.ends_at,
                "deposit_deadline": auction.deposit_deadline,
                "created_at": auction.created_at,
            }
            for auction, listing in announcements.review_queue(api_reader())
        ]
    }


@blp.write(
    "/<int:auction_id>/announcement/approve",
    200,
    AuctionDetailSchema,
    (403, "Not a reviewer"),
    (404, "No such auction"),
    (409, "Not awaiting review"),
    (422, "Bidding would start within the announcement period"),
)
def approve_announcement(auction_id: int) -> Any:
    """A reviewer publishes the announcement: deposits open now, bidding at its start."""
    with unit_of_work():
        announcements.approve(
            api_writer(), auction_id, now=now(), settings=settings_from_config(current_app.config)
        )
    return auction_detail(auction_id)


@blp.write(
    "/<int:auction_id>/announcement/refuse",
    200,
    AuctionDetailSchema,
    (403, "Not a reviewer"),
    (404, "No such auction"),
    (409, "Not awaiting review"),
    (422, "No reason given"),
    args=RefusalInSchema,
)
def refuse_announcement(data: dict[str, Any], auction_id: int) -> Any:
    """A reviewer sends the announcement back with the reason; the listing is free again."""
    with unit_of_work():
        announcements.refuse(api_writer(), auction_id, data["reason"], now=now())
    return auction_detail(auction_id)
