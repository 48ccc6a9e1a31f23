"""Bidder numbers (竞买号): bidders are named by number to everyone but reviewers, and
to the seller until the close."""

from __future__ import annotations

import json

from flask.testing import FlaskClient
from sqlalchemy import select

from auctions import bidders, bidding, jobs
from auctions.models import AuctionBidder
from core.clock import as_utc
from core.extensions import db
from tests import factories

from .conftest import INC, START, Market

EN = {"Accept-Language": "en"}


def sign_in(client: FlaskClient, email: str) -> None:
    client.post("/signout")
    response = client.post("/signin", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302


def room(client: FlaskClient, market: Market) -> str:
    return client.get(f"/auctions/{market.auction.id}", headers=EN).get_data(as_text=True)


def test_a_held_deposit_draws_a_four_digit_number_unique_in_the_auction(market: Market) -> None:
    waiting = market.bidder(held=False)
    held = [market.bidder() for _ in range(5)]
    numbers = bidders.numbers_of(market.auction.id)
    assert set(numbers) == {user.organisation_id for user in held}  # not the one still waiting
    assert all(1000 <= n <= 9999 for n in numbers.values())
    assert len(set(numbers.values())) == 5
    assert waiting.organisation_id not in numbers
    rows = db.session.scalars(select(AuctionBidder)).all()
    assert len(rows) == 5  # one row per bidder, however often asked
    assert (
        bidders.assign(market.auction.id, held[0].organisation_id, now=market.now)
        == (numbers[held[0].organisation_id])
    )


def test_the_public_and_bidders_see_numbers_and_a_bidder_sees_you(
    client: FlaskClient, market: Market, clock
) -> None:
    alpha = market.bidder(name="甲方科技有限公司")
    beta = market.bidder(name="乙方制造有限公司")
    bidding.place_bid(alpha, market.auction.id, START, now=clock())
    bidding.place_bid(beta, market.auction.id, START + INC, now=clock())
    numbers = bidders.numbers_of(market.auction.id)
    a, b = numbers[alpha.organisation_id], numbers[beta.organisation_id]
    public = room(client, market)
    assert f"Bidder {a}" in public and f"Bidder {b}" in public
    assert "甲方科技有限公司" not in public and "乙方制造有限公司" not in public
    sign_in(client, alpha.email)
    own = room(client, market)
    assert f"you (No. {a})" in own and f"Bidder {b}" in own and "乙方制造有限公司" not in own
    assert f"Your bidder number: {a}" in own
    api = client.get(f"/api/v1/auctions/{market.auction.id}").get_json()
    assert [(x["bidder_number"], x["mine"], x["bidder_name"]) for x in api["bids"]] == [
        (b, False, None),
        (a, True, None),
    ]
    assert api["leader_org_id"] is None and api["leader_number"] == b


def test_the_seller_learns_the_names_at_the_close_and_reviewers_at_any_time(
    app, client: FlaskClient, market: Market, clock
) -> None:
    alpha = market.bidder(name="甲方科技有限公司")
    bidding.place_bid(alpha, market.auction.id, START, now=clock())
    number = bidders.number_of(market.auction.id, alpha.organisation_id)
    sign_in(client, market.seller.email)
    before = room(client, market)
    assert f"Bidder {number}" in before and "甲方科技有限公司" not in before
    app.config.update(AUCTION_SSE_MAX_SECONDS=0, AUCTION_SSE_POLL_SECONDS=0)
    try:
        stream = client.get(f"/auctions/{market.auction.id}/events").get_data(as_text=True)
    finally:
        app.config.update(AUCTION_SSE_MAX_SECONDS=300, AUCTION_SSE_POLL_SECONDS=1.0)
    snapshot = json.loads(stream.split("event: snapshot\ndata: ", 1)[1].split("\n\n", 1)[0])
    assert snapshot["bids"][0]["bidder_number"] == number
    assert "甲方科技有限公司" not in stream and snapshot["leader_org_id"] is None
    sign_in(client, market.reviewer.email)
    assert "甲方科技有限公司" in room(client, market)
    clock.current = as_utc(market.auction.ends_at)
    jobs.close_due(now=clock())
    sign_in(client, market.seller.email)
    after = room(client, market)
    assert f"甲方科技有限公司 (No. {number})" in after


def test_an_anonymous_api_caller_never_gets_organisation_ids(
    client: FlaskClient, market: Market, clock
) -> None:
    alpha = market.bidder()
    bidding.place_bid(alpha, market.auction.id, START, now=clock())
    one = client.get(f"/api/v1/auctions/{market.auction.id}").get_json()
    assert one["bids"][0]["bidder_org_id"] is None and one["leader_org_id"] is None
    assert one["bids"][0]["bidder_number"] == bidders.number_of(
        market.auction.id, alpha.organisation_id
    )
