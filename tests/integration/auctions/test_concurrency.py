"""Many threads bidding on one auction, and two workers closing at once, with real commits.

These run on SQLite and PostgreSQL (TEST_DATABASE_URL): the row lock (or SQLite's
write lock taken first) must leave no lost bid, no two bids at one price, and one
winner, closed exactly once.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from accounts.models import User
from auctions import bidding, closing, jobs, queries
from auctions.models import Auction, AuctionStatus, Bid
from core.audit_models import AuditEntry
from core.domain import DomainError
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Deal

from .conftest import INC, START, make_market

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def run_threads(app: Flask, count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run `work(i)` in `count` threads released together; each in its own app context."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count
    errors: list[BaseException] = []

    def target(i: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                results[i] = work(i)
            except BaseException as error:  # surfaced below, with the thread's traceback
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]
    return results


def test_many_threads_bidding_lose_no_bid_and_pick_one_winner(committing_app: Flask) -> None:
    app = committing_app
    upload = Path(app.config["UPLOAD_FOLDER"]) / "evidence"
    with app.app_context():
        with unit_of_work():
            market = make_market(NOW, upload, hours=24)
            bidders = [market.bidder().id for _ in range(10)]
            auction_id = market.auction.id
        db.session.remove()

    rounds = 12

    def bid(i: int) -> list[tuple[int, int, int]]:
        rng = random.Random(i)
        user = db.session.get(User, bidders[i])
        written: list[tuple[int, int, int]] = []
        for n in range(rounds):
            at = NOW + timedelta(minutes=1 + n)
            snapshot = closing.auction_snapshot(auction_id, now=at, bids_limit=0)
            db.session.rollback()
            amount = snapshot["minimum_next_bid_minor"] + rng.randrange(2) * INC
            maximum = amount + rng.randrange(1, 8) * INC if rng.random() < 0.3 else None
            try:
                with unit_of_work(writer=True):
                    result = bidding.place_bid(user, auction_id, amount, max_minor=maximum, now=at)
            except DomainError:
                continue
            written += [(b.id, b.bidder_org_id, b.amount_minor) for b in result.bids]
        return written

    reported = [row for rows in run_threads(app, len(bidders), bid) for row in rows]

    with app.app_context():
        stored = [
            (b.id, b.bidder_org_id, b.amount_minor)
            for b in db.session.scalars(
                select(Bid).where(Bid.auction_id == auction_id).order_by(Bid.id)
            )
        ]
        auction = db.session.get(Auction, auction_id)
        assert sorted(reported) == stored, "every accepted bid is stored, nothing more"
        assert len(stored) > len(bidders)
        amounts = [amount for _, _, amount in stored]
        assert amounts == sorted(set(amounts)), "strictly increasing, no price twice"
        assert all((a - START) % INC == 0 for a in amounts)
        assert auction.bid_count == len(stored)
        assert auction.current_price_minor == amounts[-1]
        assert auction.leader_org_id == stored[-1][1]

        close_at = queries.state_of(auction).ends_at + timedelta(seconds=1)
        db.session.remove()

    closed = run_threads(app, 4, lambda i: jobs.close_due(now=close_at))
    with app.app_context():
        assert sum(closed) == 1
        deals = db.session.scalars(
            select(Deal).where(Deal.source_type == "auction", Deal.source_id == auction_id)
        ).all()
        assert len(deals) == 1, "one winner, one deal"
        assert deals[0].buyer_org_id == stored[-1][1] and deals[0].price_minor == amounts[-1]
        assert db.session.get(Auction, auction_id).status == AuctionStatus.CLOSED


def test_two_workers_closing_at_once_close_each_auction_once(committing_app: Flask) -> None:
    app = committing_app
    upload = Path(app.config["UPLOAD_FOLDER"]) / "evidence"
    with app.app_context():
        with unit_of_work(writer=True):
            ids = []
            for n in range(5):
                market = make_market(NOW, upload, hours=24)
                if n % 2 == 0:
                    bidding.place_bid(market.bidder(), market.auction.id, START, now=NOW)
                ids.append(market.auction.id)
        db.session.remove()
    due = NOW + timedelta(hours=24, seconds=1)

    closed = run_threads(app, 2, lambda i: jobs.close_due(now=due))

    with app.app_context():
        assert sum(closed) == 5
        statuses = db.session.scalars(select(Auction.status).where(Auction.id.in_(ids))).all()
        assert sorted(statuses) == sorted([AuctionStatus.CLOSED] * 3 + [AuctionStatus.FAILED] * 2)
        closes = db.session.scalar(
            select(func.count()).where(
                AuditEntry.action == "auction.close", AuditEntry.object_id.in_(ids)
            )
        )
        assert closes == 5
        assert (
            db.session.scalar(
                select(func.count()).where(Deal.source_type == "auction", Deal.source_id.in_(ids))
            )
            == 3
        )
