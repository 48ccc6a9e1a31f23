"""Due auctions close once with a job worker beside each node, both on one Redis queue.

Several auctions ended an hour ago. Readers of both nodes find them due, and each read
queues a close job; then both workers start at the same moment, each taking queued
close jobs (which run without the sweep's lease: only the rows' locks keep them apart)
and each enqueuing its periodic sweeps on start. Every auction must close exactly once:
one deal, one close in the audit, one notification per party.
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import func, select

from auctions import bidding, services
from auctions.models import Auction, AuctionStatus
from core.audit_models import AuditEntry
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Deal
from listings.rules import ListingStatus
from notifications.models import Notification
from tests import factories
from tests.cluster.conftest import Cluster
from tests.cluster.nodes import Worker
from tests.integration.auctions.conftest import INC, START, announce, hold_deposit

AUCTIONS = 5
CLOSE_EVENTS = ("auction.won", "auction.lost", "auction.result")


def _seed(cluster: Cluster) -> tuple[list[int], str]:
    """AUCTIONS auctions that ran for a day until an hour ago, two bids each (the second
    bidder leads); a reader's API token."""
    folder = cluster.work / "seed-uploads"
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=25)
    with cluster.database():
        reviewer = factories.platform_reviewer(started - timedelta(days=30))
        seller = factories.seller(started - timedelta(days=30), reviewer=reviewer)
        first, second = (factories.seller(started, reviewer=reviewer) for _ in range(2))
        ids = []
        for _ in range(AUCTIONS):
            listing = factories.listing(
                seller, started - timedelta(days=30), status=ListingStatus.PUBLISHED,
                folder=folder / "evidence", reviewer=reviewer,
            )  # fmt: skip
            terms = services.AuctionInput(
                starting_price_minor=START, increment_minor=INC, starts_at=started,
                ends_at=started + timedelta(hours=24), reserve_price_minor=None, deposit_bps=1000,
            )  # fmt: skip
            auction_id = announce(seller, reviewer, listing.id, terms).id
            for minute, (bidder, amount) in enumerate(((first, START), (second, START + INC))):
                hold_deposit(bidder, auction_id, reviewer, folder / "deposits", started)
                with unit_of_work(writer=True):
                    at = started + timedelta(minutes=10 + minute)
                    bidding.place_bid(bidder, auction_id, amount, now=at)
            ids.append(auction_id)
        return ids, factories.api_token(first, "cluster-reader", now=datetime.now(UTC))


def _read_everywhere(cluster: Cluster, ids: list[int], token: str) -> None:
    """Each auction read through both nodes, at once: every read finds it due."""
    urls = [f"{node.base}/api/v1/auctions/{i}" for i in ids for node in (cluster.a, cluster.b)]
    bearer = {"Authorization": f"Bearer {token}"}
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda url: requests.get(url, headers=bearer, timeout=30), urls))
    assert all(answer.status_code == 200 for answer in answers), [a.text for a in answers]


def _wait_closed(cluster: Cluster, workers: list[Worker], ids: list[int], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert all(worker.running for worker in workers), f"a worker died: see {workers[0].log}"
        with cluster.database():
            statuses = db.session.scalars(select(Auction.status).where(Auction.id.in_(ids)))
            if all(status is AuctionStatus.CLOSED for status in statuses):
                return
        time.sleep(0.2)
    raise AssertionError("the workers did not close every due auction")


def _wait_queue_empty(cluster: Cluster, seconds: float) -> None:
    """Until no job is left in the queue (the racing duplicates have run)."""
    deadline = time.monotonic() + seconds
    with cluster.app.app_context():
        runner = cluster.app.extensions["jobs"]
        while runner.pending_count() and time.monotonic() < deadline:
            time.sleep(0.2)
    time.sleep(1.0)  # a job taken from the queue last may still be running


def test_due_auctions_close_once_with_a_worker_on_each_node(
    cluster: Cluster, workers: list[Worker]
) -> None:
    cluster.up()
    ids, token = _seed(cluster)
    _read_everywhere(cluster, ids, token)
    for worker in workers:
        worker.start()
    _wait_closed(cluster, workers, ids, seconds=60)
    _wait_queue_empty(cluster, seconds=30)

    with cluster.database():
        for auction_id in ids:
            deals = db.session.scalars(
                select(Deal).where(Deal.source_type == "auction", Deal.source_id == auction_id)
            ).all()
            assert len(deals) == 1 and deals[0].price_minor == START + INC, auction_id
            closes = db.session.scalar(
                select(func.count()).select_from(AuditEntry).where(
                    AuditEntry.object_type == "auction",
                    AuditEntry.object_id == auction_id,
                    AuditEntry.action.endswith("close"),
                )
            )  # fmt: skip
            assert closes == 1, f"auction {auction_id} closed {closes} times in the audit"
            told = Counter(
                db.session.execute(
                    select(Notification.user_id, Notification.event).where(
                        Notification.link == f"/auctions/{auction_id}",
                        Notification.event.in_(CLOSE_EVENTS),
                    )
                ).all()
            )
            assert sorted(event for _, event in told) == sorted(CLOSE_EVENTS), told
            assert set(told.values()) == {1}, f"auction {auction_id}: {told}"
