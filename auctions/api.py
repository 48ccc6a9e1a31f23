"""REST endpoints of auctions (flask-smorest, in the OpenAPI document): the services the pages use.

Reads are public (auctions and their results are published); a bid takes a bearer
token (`Authorization: Bearer <token>`), since the API is exempt from CSRF.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify

from accounts.auth import BEARER_TOKEN, api_actor, api_writer, require_token_for_writes
from auctions import bidders, bidding, closing, queries, rules
from auctions.schemas import (
    AuctionListArgsSchema,
    AuctionOutSchema,
    AuctionPageSchema,
    BidInSchema,
    BidResultSchema,
)
from auctions.settings import AuctionSettings, settings_from_config
from core.api_kit import ApiBlueprint
from core.clock import now
from core.errors import api_error_body
from core.i18n import current_locale
from core.uow import unit_of_work

blp = ApiBlueprint(
    "auctions_api", __name__, description="Auctions (拍卖) and bids", write_doc=BEARER_TOKEN
)


blp.before_request(require_token_for_writes)


def _settings() -> AuctionSettings:
    return settings_from_config(current_app.config)


@blp.read("/", AuctionPageSchema, args=AuctionListArgsSchema)
def index(args: dict[str, Any]) -> dict[str, Any]:
    """Running, upcoming or closed auctions (closed ones carry their published result)."""
    moment = now()
    settings = _settings()
    items = [
        closing.auction_snapshot(
            auction.id, now=moment, locale=current_locale(), bids_limit=0, settings=settings
        )
        for auction in queries.list_auctions(args["status"], now=moment)
    ]
    return {"items": items}


@blp.read("/<int:auction_id>", AuctionOutSchema, 404)
def get(auction_id: int) -> dict[str, Any]:
    """One auction as the live feed shows it: price, leader, time left (server time), last bids.

    Bidders appear by number (竞买号), the caller's own bids as `mine`; names only to
    reviewers, and to the seller once the auction has closed.
    """
    caller = api_actor()
    auction = queries.visible_auction(caller, auction_id)  # a draft is not published
    return closing.auction_snapshot(
        auction_id,
        now=now(),
        locale=current_locale(),
        settings=_settings(),
        viewer=bidders.viewer_of(caller, auction),
    )


@blp.write(
    "/<int:auction_id>/bids",
    201,
    BidResultSchema,
    (403, "Seller, not a party, no deposit"),
    (409, "Below the increment, closed, ..."),
    422,
    args=BidInSchema,
)
def bid(data: dict[str, Any], auction_id: int) -> Any:
    """Place a bid, optionally with a maximum (proxy); a refused bid changes nothing.

    A bid below the minimum answers 409 with `minimum_next_bid_minor` in the body.
    """
    actor = api_writer()
    moment, settings = now(), _settings()
    try:
        with unit_of_work(writer=True):
            result = bidding.place_bid(
                actor,
                auction_id,
                data["amount_minor"],
                max_minor=data.get("max_minor"),
                now=moment,
                settings=settings,
            )
    except bidding.AuctionDue:  # refused; the auction is closed in a unit of work of its own
        with unit_of_work(writer=True):
            closing.close_auction(auction_id, now=moment, settings=settings)
        raise
    except rules.BidBelowMinimum as error:
        body = api_error_body(error)
        body["minimum_next_bid_minor"] = error.minimum_minor
        response = jsonify(body)
        response.status_code = int(error.status)
        return response
    numbers = bidders.numbers_of(auction_id)
    return {
        "leading": result.leading,
        "extended": result.extended,
        "raised_max": result.raised_max,
        "bids": [
            {
                "id": b.id,
                "bidder_number": numbers.get(b.bidder_org_id),
                "mine": b.bidder_org_id == actor.acting_org_id,
                "amount_minor": b.amount_minor,
                "is_proxy": b.is_proxy,
            }
            for b in result.bids
        ],
        "current_price_minor": result.current_price_minor,
        "minimum_next_bid_minor": result.minimum_next_bid_minor,
        "ends_at": result.ends_at.isoformat(),
    }
