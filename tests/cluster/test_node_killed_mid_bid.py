"""Node A killed (SIGKILL, master and worker) while bids stream at it: no bid lost or doubled.

Four bidders' clients post bids as fast as they can, each bid a new amount (a shared
counter: no two requests ask for the same price) with an Idempotency-Key of its own.
A is killed mid-stream; the clients then go to B. What must hold:

- every bid a client was told was accepted (201) is in the database, exactly once;
- every bid a client was told was refused (4xx) is not;
- a bid whose answer the kill swallowed (the connection cut) may or may not have been
  committed: the client retries it on B with the same key and body. The key, the bid
  and the answer commit together, so B answers either the first answer (the bid
  committed on A: replayed, the same bid) or runs it (409, the price has moved; or
  201), and never refuses the key as "in flight"; that price is in the database at
  most once, and if B said 201 it is there;
- the auction is consistent: its price is the highest bid, its count the number of
  bids, its leader the highest bidder; and bidding goes on through B.
"""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import requests
from sqlalchemy import select

from auctions.models import Auction, Bid
from core.extensions import db
from tests import factories
from tests.cluster.conftest import Cluster
from tests.integration.auctions.conftest import INC, START, make_market

BIDDERS = 4
BEFORE_KILL_SECONDS = 1.0
AFTER_KILL_SECONDS = 1.0


@dataclass
class Attempt:
    """One bid request and what its client learnt of it."""

    bidder: int  # the bidder's organisation
    amount: int
    key: str
    status: int | None = None  # None: the connection failed, no answer
    bid_id: int | None = None
    retried_status: int | None = None  # the answer of the retry on B, if it was retried
    retried_code: str | None = None


def _seed(cluster: Cluster) -> tuple[int, list[tuple[int, str]]]:
    with cluster.database():
        now = datetime.now(UTC)
        market = make_market(now, cluster.work / "seed-uploads" / "evidence")
        bidders = [market.bidder() for _ in range(BIDDERS)]
        tokens = [
            (int(user.acting_org_id or 0), factories.api_token(user, "cluster-kill", now=now))
            for user in bidders
        ]
        return market.auction.id, tokens


def _post(base: str, auction_id: int, token: str, attempt: Attempt) -> requests.Response:
    return requests.post(
        f"{base}/api/v1/auctions/{auction_id}/bids",
        json={"amount_minor": attempt.amount},
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": attempt.key},
        timeout=30,
    )


def _record(attempt: Attempt, answer: requests.Response) -> None:
    attempt.status = answer.status_code
    if answer.status_code == 201:
        [own] = [bid for bid in answer.json()["bids"] if bid["amount_minor"] == attempt.amount]
        attempt.bid_id = own["id"]


class Stream:
    """Bidders' clients posting at `target` until stopped; A's address until it is killed."""

    def __init__(self, cluster: Cluster, auction_id: int, tokens: list[tuple[int, str]]) -> None:
        self.cluster, self.auction_id, self.tokens = cluster, auction_id, tokens
        self.target = cluster.a.base
        self.attempts: list[Attempt] = []
        self.stopped = threading.Event()
        self._prices = itertools.count(1)
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._bid, args=(org, token), daemon=True)
            for org, token in tokens
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self.stopped.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def acked(self) -> int:
        return sum(attempt.status == 201 for attempt in self.attempts)

    def _bid(self, org: int, token: str) -> None:
        while not self.stopped.is_set():
            with self._lock:
                attempt = Attempt(org, START + next(self._prices) * INC, uuid.uuid4().hex)
                self.attempts.append(attempt)
            try:
                _record(attempt, _post(self.target, self.auction_id, token, attempt))
            except requests.RequestException:
                self._retry_on_b(token, attempt)

    def _retry_on_b(self, token: str, attempt: Attempt) -> None:
        """The answer was lost: ask B the same request, under the same key."""
        while self.target == self.cluster.a.base and not self.stopped.is_set():
            time.sleep(0.01)  # the test has not switched to B yet
        answer = _post(self.cluster.b.base, self.auction_id, token, attempt)
        attempt.retried_status = answer.status_code
        attempt.retried_code = answer.json().get("code") if answer.status_code != 201 else None
        if answer.status_code == 201:
            [own] = [b for b in answer.json()["bids"] if b["amount_minor"] == attempt.amount]
            attempt.bid_id = own["id"]


def _stream_through_the_kill(cluster: Cluster, stream: Stream) -> None:
    stream.start()
    deadline = time.monotonic() + BEFORE_KILL_SECONDS
    while time.monotonic() < deadline or stream.acked() < 3:
        assert time.monotonic() < deadline + 30, "node A accepted no bids"
        time.sleep(0.02)
    cluster.a.kill()
    stream.target = cluster.b.base
    acked_before = stream.acked()
    deadline = time.monotonic() + AFTER_KILL_SECONDS
    while time.monotonic() < deadline or stream.acked() < acked_before + 2:
        assert time.monotonic() < deadline + 30, "node B accepted no bids after the kill"
        time.sleep(0.02)
    stream.stop()


def test_node_a_killed_mid_bid_loses_and_doubles_no_bid(cluster: Cluster) -> None:
    cluster.up()
    auction_id, tokens = _seed(cluster)
    stream = Stream(cluster, auction_id, tokens)
    try:
        _stream_through_the_kill(cluster, stream)
    finally:
        stream.stopped.set()
        cluster.a.start()  # up again for the other tests, while this one checks
    attempts = stream.attempts
    cut = [a for a in attempts if a.status is None]
    assert cut, "the kill cut no request: it did not happen mid-bid"

    with cluster.database():
        bids = db.session.scalars(select(Bid).where(Bid.auction_id == auction_id)).all()
        auction = db.session.get(Auction, auction_id)
        assert auction is not None
        by_amount: dict[int, list[Bid]] = {}
        for bid in bids:
            by_amount.setdefault(bid.amount_minor, []).append(bid)
        for attempt in attempts:
            kept = by_amount.get(attempt.amount, [])
            assert len(kept) <= 1, f"bid {attempt} kept {len(kept)} times"
            if attempt.bid_id is not None:  # a 201, first time or on the retry
                assert [bid.id for bid in kept] == [attempt.bid_id], attempt
                assert kept[0].bidder_org_id == attempt.bidder, attempt
            else:  # refused, on A or on the retry that ran on B: nothing of it stays
                assert attempt.retried_code != "idempotency_request_in_flight", attempt
                assert kept == [], f"refused bid {attempt} is in the database"
        asked = {attempt.amount for attempt in attempts}
        assert set(by_amount) <= asked, "a bid nobody asked for"

        highest = max(bids, key=lambda bid: bid.amount_minor)
        assert auction.current_price_minor == highest.amount_minor
        assert auction.leader_org_id == highest.bidder_org_id
        assert auction.bid_count == len(bids)
        cut_kept = sum(attempt.amount in by_amount for attempt in cut)

    # Bidding goes on through B, from the price the database holds.
    org, token = next((org, token) for org, token in tokens if org != highest.bidder_org_id)
    more = Attempt(org, highest.amount_minor + INC, uuid.uuid4().hex)
    answer = _post(cluster.b.base, auction_id, token, more)
    assert answer.status_code == 201, answer.text
    assert answer.json()["current_price_minor"] == more.amount
    print(
        f"\nkilled mid-bid: {len(attempts)} bids asked, {stream.acked()} accepted, "
        f"{len(cut)} cut by the kill ({cut_kept} of them committed), retried on B: "
        f"{sorted(((a.retried_status or 0), a.retried_code or '') for a in cut)}"
    )
