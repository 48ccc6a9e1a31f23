"""A bid placed through node A reaches an auction room open on node B within a second
(Redis pub/sub between the nodes' live rooms; the cluster is tests/cluster/conftest.py's)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import requests

from tests import factories
from tests.cluster.conftest import Cluster
from tests.integration.auctions.conftest import START, make_market

DELIVERY_SECONDS = 1.0


def _seed(cluster: Cluster) -> tuple[int, str]:
    """A running auction and a bidder with a held deposit and an API token."""
    with cluster.database():
        now = datetime.now(UTC)
        market = make_market(now, cluster.work / "seed-uploads" / "evidence")
        token = factories.api_token(market.bidder(), "cluster", now=now)
        return market.auction.id, token


def _room_events(base: str, auction_id: int, seen: list[tuple[float, dict]]) -> Iterator[None]:
    """Read the room's snapshots on node B into `seen` (a thread), yielding once it is open."""
    response = requests.get(f"{base}/auctions/{auction_id}/events", stream=True, timeout=30)
    opened = threading.Event()

    def read() -> None:
        buffer = ""
        try:
            for chunk in response.iter_content(chunk_size=None, decode_unicode=True):
                buffer += chunk if isinstance(chunk, str) else chunk.decode()
                while "\n\n" in buffer:
                    block, buffer = buffer.split("\n\n", 1)
                    if "event: snapshot" in block:
                        seen.append((time.monotonic(), json.loads(block.split("data: ", 1)[1])))
                        opened.set()
        except (requests.RequestException, AttributeError, ValueError):
            return  # the test closed the stream

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    assert opened.wait(20), "the room on node B sent no first snapshot"
    try:
        yield
    finally:
        response.close()


def test_a_bid_on_node_a_reaches_a_room_open_on_node_b(cluster: Cluster) -> None:
    cluster.up()
    base_a, base_b = cluster.a.base, cluster.b.base
    auction_id, token = _seed(cluster)
    bids_url = f"{base_a}/api/v1/auctions/{auction_id}/bids"
    bearer = {"Authorization": f"Bearer {token}"}
    # A refused bid first: node A's worker has made its connections and first imports.
    low = requests.post(bids_url, json={"amount_minor": START - 1}, headers=bearer, timeout=30)
    assert low.status_code in (409, 422), low.text
    seen: list[tuple[float, dict]] = []
    room = _room_events(base_b, auction_id, seen)
    next(room)
    assert seen[0][1]["bid_count"] == 0
    placed = time.monotonic()
    answer = requests.post(bids_url, json={"amount_minor": START}, headers=bearer, timeout=30)
    assert answer.status_code == 201, answer.text
    deadline = placed + 5
    while time.monotonic() < deadline and not any(s["bid_count"] == 1 for _, s in seen):
        time.sleep(0.02)
    next(room, None)
    [(arrived, snapshot)] = [(t, s) for t, s in seen if s["bid_count"] == 1]
    assert snapshot["current_price_minor"] == START and snapshot["leader_number"]
    assert arrived - placed < DELIVERY_SECONDS, f"took {arrived - placed:.2f} s"
