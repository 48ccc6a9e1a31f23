"""Live rooms: a bid is published after its commit and reaches the open rooms' streams."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from auctions import bidding, live
from core import live as hub_module
from core.domain import DomainError
from core.uow import unit_of_work
from tests import factories

from .conftest import INC, START, Market


def sign_in(client: FlaskClient, email: str) -> None:
    response = client.post("/signin", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302


def events_of(chunks: Iterator[bytes], count: int) -> list[tuple[str, dict]]:
    """The next `count` named events of a stream (comments and `retry:` skipped)."""
    found: list[tuple[str, dict]] = []
    buffer = ""
    while len(found) < count:
        buffer += next(chunks).decode()
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
            if "event" in lines:
                found.append((lines["event"], json.loads(lines["data"])))
    return found


def test_a_bid_is_published_after_its_commit_and_never_for_a_refusal(
    app: Flask, market: Market, clock
) -> None:
    bidder = market.bidder()
    hub = hub_module.hub()
    with hub.subscribe(live.channel(market.auction.id)) as inbox:
        with unit_of_work():
            bidding.place_bid(bidder, market.auction.id, START, now=clock())
            assert inbox.get(timeout=0) is None  # not before the commit
        message = inbox.get(timeout=0)
        assert message is not None and message["bid_count"] == 1
        assert message["current_price_minor"] == START
        assert message["leader_number"] is not None
        assert [b["amount_minor"] for b in message["bids"]] == [START]
        with pytest.raises(DomainError), unit_of_work():
            bidding.place_bid(bidder, market.auction.id, START + INC, now=clock())  # leads
        assert inbox.get(timeout=0) is None


def test_the_room_streams_a_bid_to_its_viewer_then_a_heartbeat(
    app: Flask, client: FlaskClient, market: Market, clock
) -> None:
    watcher, rival = market.bidder(), market.bidder()
    with unit_of_work():
        bidding.place_bid(watcher, market.auction.id, START, now=clock())
    sign_in(client, watcher.email)
    app.config.update(AUCTION_SSE_KEEPALIVE_SECONDS=0.2)
    try:
        response = client.get(f"/auctions/{market.auction.id}/events", buffered=False)
        chunks = iter(response.response)
        [(kind, first)] = events_of(chunks, 1)  # the catch-up read
        assert kind == "snapshot" and first["bid_count"] == 1 and first["leader_mine"] is True
        with unit_of_work():
            bidding.place_bid(rival, market.auction.id, START + INC, now=clock())
        (kind, bid), (beat_kind, beat) = events_of(chunks, 2)
        response.close()
    finally:
        app.config.update(AUCTION_SSE_KEEPALIVE_SECONDS=15)
    assert kind == "snapshot" and bid["current_price_minor"] == START + INC
    assert bid["leader_mine"] is False and bid["leader_number"] != first["leader_number"]
    assert bid["ends_at"] == first["ends_at"] and bid["minimum_next_bid_minor"] == START + 2 * INC
    assert [(b["amount_minor"], b["mine"]) for b in bid["bids"]] == [
        (START + INC, False),
        (START, True),
    ]
    assert all("org" not in b and b["bidder_org_id"] is None for b in bid["bids"])  # numbers only
    assert "leader_org" not in bid and bid["bids"][0]["bidder_name"] is None
    assert beat_kind == "heartbeat" and beat["server_time"]
    assert hub_module.hub().subscriber_count() == 0  # the closed stream left the registry


def test_a_reconnect_that_shows_the_latest_state_is_sent_nothing_new(
    app: Flask, client: FlaskClient, market: Market, clock
) -> None:
    with unit_of_work():
        bidding.place_bid(market.bidder(), market.auction.id, START, now=clock())
    app.config.update(AUCTION_SSE_MAX_SECONDS=0)
    try:
        url = f"/auctions/{market.auction.id}/events"
        body = client.get(url).get_data(as_text=True)
        seen = body.split("id: ", 1)[1].split("\n", 1)[0]
        again = client.get(url, headers={"Last-Event-ID": seen}).get_data(as_text=True)
        stale = client.get(url, headers={"Last-Event-ID": "0.running"}).get_data(as_text=True)
    finally:
        app.config.update(AUCTION_SSE_MAX_SECONDS=300)
    assert seen == "1.running" and "event: snapshot" not in again
    assert "event: snapshot" in stale


@pytest.fixture(scope="module")
def redis_url() -> str:
    url = os.environ.get("REDIS_TEST_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("REDIS_TEST_URL is not set: CI runs the live tests against Redis")
        pytest.skip("REDIS_TEST_URL is not set")
    return url


def test_two_nodes_share_a_bid_through_redis(redis_url: str) -> None:
    node_a = hub_module.RedisHub(redis_url, prefix="test:live:")
    node_b = hub_module.RedisHub(redis_url, prefix="test:live:")
    try:
        with node_b.subscribe("auction:7") as room_b, node_b.subscribe("auction:8") as other:
            assert node_b.ready.wait(5), "the listener did not subscribe"
            node_a.publish("auction:7", {"bid_count": 3})
            assert room_b.get(timeout=2) == {"bid_count": 3}
            assert other.get(timeout=0.2) is None  # another auction's room hears nothing
    finally:
        node_a.close()
        node_b.close()
