"""REST endpoints of auctions (flask-smorest, in the OpenAPI document): the services the pages use.

Reads are public (auctions and their results are published; a draft announcement only
to its seller and reviewers); every write takes a bearer token
(`Authorization: Bearer <token>`), since the API is exempt from CSRF. The announcement's
review is in `auctions.announcement_api`, on this blueprint.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, jsonify
from werkzeug.http import quote_etag

from accounts.auth import (
    api_actor,
    api_writer,
    api_writer_id,
    token_api,
    token_user_when_needed,
)
from auctions import api_state, bidders, bidding, closing, queries, rules, services
from auctions.api_schemas import AuctionDetailSchema, AuctionInSchema, BidPageSchema
from auctions.schemas import (
    AuctionListArgsSchema,
    AuctionPageSchema,
    BidInSchema,
    BidResultSchema,
)
from auctions.settings import AuctionSettings, settings_from_config
from auctions.state_tag import state_tag, tag_after_bid, viewer_of
from core import plain_sql
from core.clock import now
from core.cursor import PageArgsSchema
from core.errors import api_error_body
from core.i18n import current_locale
from core.schema_out import plain_dumper
from core.uow import end_read_transaction, unit_of_work
from payments.deposit_api import deposit_out
from payments.schemas import DepositOutSchema

blp = token_api("auctions_api", __name__, "Auctions (拍卖) and bids")


def _settings() -> AuctionSettings:
    return settings_from_config(current_app.config)


@blp.read("/", AuctionPageSchema, args=AuctionListArgsSchema, kept=True)
def index(args: dict[str, Any]) -> dict[str, Any]:
    """Running, upcoming or closed auctions (closed ones carry their published result)."""
    moment = now()
    settings = _settings()
    auctions = queries.list_auctions(args["status"], now=moment)
    items = closing.list_snapshots(auctions, now=moment, locale=current_locale(), settings=settings)
    return {"items": items}


def auction_detail(auction_id: int) -> dict[str, Any]:
    caller, moment, locale = api_actor(), now(), current_locale()
    settings = _settings()
    plain_sql.reads_in_autocommit()  # a poll's reads: two statements, no BEGIN nor COMMIT
    found = queries.auction_for(caller, auction_id, locale=locale)  # a draft is not published
    closes = queries.closing_now(found.auction, now=moment, settings=settings)
    if closes:  # the close job may run here (JOBS_IMMEDIATE): in a transaction of its own
        end_read_transaction()
    snapshot = closing.auction_snapshot(
        auction_id,
        now=moment,
        locale=locale,
        settings=settings,
        viewer=bidders.viewer_of(caller, found.auction),
        numbers=found.numbers,
        title=found.title,
    )
    auction = queries.get_auction(auction_id)  # read again if the snapshot closed it
    place = None if closes else found.place  # closing moves the deposits: read them after
    return api_state.auction_out(
        caller, auction, snapshot, now=moment, numbers=found.numbers, place=place
    )


def _state_tag(auction_id: int) -> str | None:
    return state_tag(api_actor(), auction_id, now=now(), locale=str(current_locale()))


# The schemas' dumps, without marshmallow's per-field work (the hottest reads and writes).
_DETAIL_JSON = plain_dumper(AuctionDetailSchema)
_BID_JSON = plain_dumper(BidResultSchema)


@blp.read("/<int:auction_id>", AuctionDetailSchema, 404, kept=True, tag=_state_tag)
def get(auction_id: int) -> Response:
    """One auction as the live feed shows it, with the caller's place and `allowed_actions`.

    Price, leader, time left (server time), last bids; the caller's bidder number (竞买号),
    deposit, maximum and standing. Bidders appear by number, the caller's own bids as
    `mine`; names only to reviewers, and to the seller once the auction has closed.
    The ETag covers all but `server_time` and `seconds_left`: a poll that sends it back
    gets a 304 after one small read while nothing has changed.
    """
    return jsonify(_DETAIL_JSON(auction_detail(auction_id)))  # as AuctionDetailSchema dumps it


@blp.write(
    "/",
    201,
    AuctionDetailSchema,
    (403, "Not the listing's seller, or its organisation is not verified"),
    (404, "No such listing"),
    (409, "The listing is not available for auction"),
    (422, "Terms out of bounds, starts within the announcement period"),
    args=AuctionInSchema,
)
def create(data: dict[str, Any]) -> Any:
    """The seller announces an auction of its published listing (the auction form's terms).

    The announcement (拍卖公告) waits for a reviewer (`allowed_actions` of a reviewer:
    approve_announcement, refuse_announcement); the listing goes into auction.
    """
    listing_id = data.pop("listing_id")
    with unit_of_work():
        auction = services.create_auction(
            api_writer(),
            listing_id,
            services.AuctionInput(**data),
            now=now(),
            settings=_settings(),
        )
    return auction_detail(auction.id)


@blp.read("/<int:auction_id>/bids", BidPageSchema, 404, 422, args=PageArgsSchema)
def bids(args: dict[str, Any], auction_id: int) -> dict[str, Any]:
    """The whole bid history, newest first, a page at a time (`?cursor=…&limit=…`, at most 100).

    Follow `next_cursor` to older bids; bids placed meanwhile never shift the pages.
    Bidders are labelled as the auction room labels them for the caller.
    """
    caller = api_actor()
    auction = queries.visible_auction(caller, auction_id)
    viewer = bidders.viewer_of(caller, auction)
    return api_state.bid_page(auction, viewer, args, locale=current_locale())


@blp.write(
    "/<int:auction_id>/join",
    201,
    DepositOutSchema,
    (403, "The seller, not a party, not a verified buying organisation"),
    (404, "No such auction"),
    (409, "Not published, ended, the deposit deadline passed"),
)
def join(auction_id: int) -> Any:
    """Take part: the deposit the caller's organisation owes falls due (idempotent).

    Pay it by bank: transfer `transfer.amount_minor` quoting `transfer.reference`, then
    upload the receipt (`POST /api/v1/deposits/<id>/receipt`).
    """
    actor = api_writer()
    with unit_of_work():
        deposit = services.join_auction(actor, auction_id, now=now())
    return deposit_out(actor, deposit)


@blp.write(
    "/<int:auction_id>/bids",
    201,
    BidResultSchema,
    (403, "Seller, not a party, no deposit"),
    (409, "Below the increment, closed, ..."),
    422,
    args=BidInSchema,
)
@token_user_when_needed
def bid(data: dict[str, Any], auction_id: int) -> Response:
    """Place a bid, optionally with a maximum (proxy); a refused bid changes nothing.

    A bid below the minimum answers 409 with `minimum_next_bid_minor` in the body.
    """
    moment, settings = now(), _settings()
    try:
        if data.get("max_minor") is None:  # stale: refused before the user is even read
            bidding.refuse_stale(
                api_writer_id(), auction_id, data["amount_minor"], now=moment, settings=settings
            )
    except rules.BidBelowMinimum as error:
        return _below_minimum(error)
    actor = api_writer()
    viewer = viewer_of(actor)  # before the commit expires the user
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
        return _below_minimum(error)
    tag = tag_after_bid(  # from what the write returned: no read
        viewer,
        auction_id,
        result.bidder_org_id,
        result.facts,
        now=moment,
        locale=str(current_locale()),
    )
    answer = jsonify(_BID_JSON(_bid_answer(result, quote_etag(tag))))  # as BidResultSchema
    answer.status_code = 201
    return answer


def _below_minimum(error: rules.BidBelowMinimum) -> Response:
    body = api_error_body(error)
    body["minimum_next_bid_minor"] = error.minimum_minor
    response = jsonify(body)
    response.status_code = int(error.status)
    return response


def _bid_answer(result: bidding.BidResult, auction_etag: str) -> dict[str, Any]:
    return {
        "auction_etag": auction_etag,
        "leading": result.leading,
        "extended": result.extended,
        "raised_max": result.raised_max,
        "bids": [
            {
                "id": b.id,
                "bidder_number": b.bidder_number,
                "mine": b.bidder_org_id == result.bidder_org_id,
                "amount_minor": b.amount_minor,
                "is_proxy": b.is_proxy,
            }
            for b in result.bids
        ],
        "current_price_minor": result.current_price_minor,
        "minimum_next_bid_minor": result.minimum_next_bid_minor,
        "ends_at": result.ends_at.isoformat(),
    }


# The announcement's review is on this blueprint too (imported last: it needs `blp`).
from auctions import announcement_api  # noqa: E402, F401
