"""Database load of open auction rooms: polling (the room before) vs notification (now).

    .venv/bin/python bench/live.py [--rooms 500] [--auctions 20] [--seconds 10]
                                   [--bids-per-second 2] [--redis URL]

One app on a fresh SQLite file (the statements counted are the same on PostgreSQL),
`--rooms` open Server-Sent-Event streams spread over `--auctions` running auctions (one
thread each, as gunicorn's gthread workers hold them), and a bidder placing
`--bids-per-second` bids round the auctions. Each mode is measured over the same
window once every room has its first snapshot:

- polling:      the room as it was: every stream reads the auction's version once a
                second and its snapshot when it changed (copied below from the former
                `auctions/views.py`, so the two are measured side by side);
- notification: the room as it is (GET /auctions/<id>/events): a bid is published
                after its commit (in process, or Redis pub/sub with --redis) and each
                room renders it without reading the database.

Every SQL statement is counted (SQLAlchemy's `before_cursor_execute`): the rooms'
apart from the bidder's own (the bids, the same in both modes). "Delay" is from a bid's
commit to a room's event showing it. The table is printed at the end.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/statistics.py would shadow the standard library's: bench/ off the path.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import argparse
import io
import json
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import event

START = 1_000_000
INC = 10_000


@dataclass
class Counts:
    """Statements by who ran them, and when rooms saw bids."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    rooms: int = 0
    bidder: int = 0
    committed: dict[tuple[int, int], float] = field(default_factory=dict)  # (auction, count)
    delays: list[float] = field(default_factory=list)
    events: int = 0
    bids: int = 0


_BIDDER = threading.local()


def build(work: Path, auctions: int, redis: str | None) -> tuple[Flask, list[int], list[Any]]:
    """Migrate a fresh database; a seller's running auctions, two bidders with deposits each."""
    from flask_migrate import upgrade

    from accounts.models import OrganisationKind
    from auctions import announcements, services
    from core.extensions import db
    from core.uow import unit_of_work
    from listings.rules import ListingStatus
    from marketplace import create_app
    from payments import bank_rules, deposits
    from tests import factories

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'live.db'}",
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10, "max_overflow": 60, "pool_timeout": 120},
            "SEARCH_INDEX_PATH": str(work / "search.db"),
            "UPLOAD_FOLDER": str(work / "uploads"),
            "AUCTION_SSE_KEEPALIVE_SECONDS": 1.0,  # rooms notice the end of a window quickly
            "AUCTION_SSE_MAX_SECONDS": 3600,
            "LIVE_REDIS_URL": redis,
            "CHECK_GET_WRITES": False,
            "JOBS_IMMEDIATE": False,  # jobs queue (no worker runs them), as in production
            "JOBS_SQLITE_PATH": str(work / "jobs.sqlite3"),
        }
    )
    now = datetime.now(UTC)
    announced = now - timedelta(days=8)
    with app.app_context():
        upgrade()
        with unit_of_work(writer=True):
            reviewer = factories.platform_reviewer(announced)
            seller = factories.seller(announced, reviewer=reviewer)
            people = [
                factories.seller(announced, reviewer=reviewer, kind=OrganisationKind.ENTERPRISE)
                for _ in range(2)
            ]
            ids = []
            for _ in range(auctions):
                listing = factories.listing(
                    seller,
                    announced,
                    status=ListingStatus.PUBLISHED,
                    folder=work / "uploads" / "evidence",
                    reviewer=reviewer,
                )
                data = services.AuctionInput(
                    starting_price_minor=START,
                    increment_minor=INC,
                    starts_at=now,
                    ends_at=now + timedelta(days=2),
                )
                auction = services.create_auction(seller, listing.id, data, now=announced)
                announcements.approve(reviewer, auction.id, now=announced)
                ids.append(auction.id)
                for user in people:
                    deposit = services.join_auction(user, auction.id, now=now)
                    deposits.submit_receipt(
                        user,
                        deposit.id,
                        stream=io.BytesIO(factories.PDF_BYTES),
                        filename="receipt.pdf",
                        bank_reference=bank_rules.deposit_reference(
                            "auction", auction.id, deposit.org_id
                        ),
                        folder=deposits.receipt_folder(work / "uploads"),
                        max_bytes=1_000_000,
                        now=now,
                    )
                    deposits.confirm_deposit(reviewer, deposit.id, now=now)
        user_ids = [user.id for user in people]
        db.session.remove()
    return app, ids, user_ids


def polling_stream(app: Flask, auction_id: int) -> Iterator[str]:
    """The former room (auctions/views.py before the fan-out): poll once a second."""
    from auctions import closing, queries
    from auctions.bidder_rules import ANONYMOUS
    from auctions.queries import CLOSING
    from core.clock import now

    poll, keepalive = 1.0, float(app.config["AUCTION_SSE_KEEPALIVE_SECONDS"])
    yield "retry: 2000\n\n"
    last_sent = time.monotonic()
    last_version = None
    ended_sent = False
    while True:
        with app.app_context():
            moment = now()
            version = queries.auction_version(auction_id)
            due = version is not None and version[0] in ("scheduled", "running")
            due = due and version is not None and moment >= version[2] and not ended_sent
            snapshot = None
            if version != last_version or due:
                snapshot = closing.auction_snapshot(
                    auction_id, now=moment, locale="zh_CN", bids_limit=10, viewer=ANONYMOUS
                )
                last_version = queries.auction_version(auction_id)
        if snapshot is not None:
            last_sent = time.monotonic()
            yield f"id: {snapshot['bid_count']}\nevent: snapshot\ndata: {json.dumps(snapshot)}\n\n"
            ended_sent = snapshot["status"] == CLOSING
        elif time.monotonic() - last_sent >= keepalive:
            last_sent = time.monotonic()
            yield ": keep-alive\n\n"
        time.sleep(poll)


def notified_stream(app: Flask, auction_id: int) -> Iterator[str]:
    """The room as it is: the real endpoint through a client."""
    response = app.test_client().get(f"/auctions/{auction_id}/events", buffered=False)
    try:
        for chunk in response.response:
            yield chunk.decode() if isinstance(chunk, bytes) else chunk
    finally:
        response.close()


def room(
    stream: Iterator[str],
    auction_id: int,
    counts: Counts,
    ready: threading.Barrier,
    measuring: threading.Event,
    stop: threading.Event,
) -> None:
    """Read one room's events until `stop`; note when each bid's event arrives."""
    first = True
    for chunk in stream:
        for block in chunk.split("\n\n"):
            if "event: snapshot" not in block:
                continue
            data = json.loads(block.split("data: ", 1)[1])
            if first:
                first = False
                ready.wait()
                continue
            seen = time.monotonic()
            if measuring.is_set():
                with counts.lock:
                    counts.events += 1
                    at = counts.committed.get((auction_id, data["bid_count"]))
                    if at is not None:
                        counts.delays.append(seen - at)
        if stop.is_set():
            break
    close = getattr(stream, "close", None)
    if close:
        close()


def bidder(
    app: Flask,
    auction_ids: list[int],
    user_ids: list[int],
    rate: float,
    placed: dict[int, int],
    counts: Counts,
    stop: threading.Event,
) -> None:
    """Place `rate` bids a second, round the auctions, the two bidders taking turns."""
    from accounts.models import User
    from auctions import bidding
    from core.clock import now
    from core.extensions import db
    from core.uow import after_commit, unit_of_work

    _BIDDER.on = True
    n = 0
    while not stop.wait(1.0 / rate):
        auction_id = auction_ids[n % len(auction_ids)]
        k = placed.get(auction_id, 0)  # the auction's bids so far: the k-th bid's price
        key = (auction_id, k + 1)  # a room shows it as the bid count k + 1

        def committed(key: tuple[int, int] = key) -> None:
            with counts.lock:  # before the bid's own after-commit steps (its publication)
                counts.committed[key] = time.monotonic()

        with app.app_context():
            user = db.session.get_one(User, user_ids[k % 2])
            with unit_of_work(writer=True):
                after_commit(committed)
                result = bidding.place_bid(user, auction_id, START + k * INC, now=now())
            assert result.bids
        placed[auction_id] = k + 1
        with counts.lock:
            counts.bids += 1
        n += 1


def measure(
    app: Flask,
    mode: str,
    auction_ids: list[int],
    user_ids: list[int],
    placed: dict[int, int],
    rooms: int,
    seconds: float,
    rate: float,
) -> dict[str, float]:
    from core.extensions import db

    counts = Counts()
    with app.app_context():
        engine = db.engine

    def count(*_args: Any) -> None:
        with counts.lock:
            if getattr(_BIDDER, "on", False):
                counts.bidder += 1
            else:
                counts.rooms += 1

    ready = threading.Barrier(rooms + 1, timeout=600)
    measuring, stop = threading.Event(), threading.Event()
    make = polling_stream if mode == "polling" else notified_stream
    event.listen(engine, "before_cursor_execute", count)
    threads = []
    started = time.monotonic()
    for i in range(rooms):
        auction_id = auction_ids[i % len(auction_ids)]
        thread = threading.Thread(
            target=room,
            args=(make(app, auction_id), auction_id, counts, ready, measuring, stop),
            daemon=True,
        )
        thread.start()
        threads.append(thread)
    ready.wait()
    opened = time.monotonic() - started
    with counts.lock:
        opening = counts.rooms
        counts.rooms = 0
    measuring.set()
    driver = threading.Thread(
        target=bidder, args=(app, auction_ids, user_ids, rate, placed, counts, stop)
    )
    driver.start()
    time.sleep(seconds)
    with counts.lock:
        room_queries, bid_queries, events = counts.rooms, counts.bidder, counts.events
        bids = counts.bids
        delays = sorted(counts.delays)
    stop.set()
    driver.join()
    for thread in threads:
        thread.join(timeout=5)
    event.remove(engine, "before_cursor_execute", count)
    return {
        "open_s": opened,
        "opening_queries": opening,
        "room_qps": room_queries / seconds,
        "bids": bids,
        "per_bid": bid_queries / max(1, bids),
        "events": events,
        "p50_ms": 1000 * delays[len(delays) // 2] if delays else float("nan"),
        "p95_ms": 1000 * delays[int(0.95 * (len(delays) - 1))] if delays else float("nan"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rooms", type=int, default=500)
    parser.add_argument("--auctions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--bids-per-second", type=float, default=2.0)
    parser.add_argument("--redis", help="publish through Redis pub/sub (a redis:// URL)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app, auction_ids, user_ids = build(Path(folder), args.auctions, args.redis)
        results: dict[str, dict[str, float]] = {}
        placed: dict[int, int] = {}
        for mode in ("polling", "notification"):
            print(f"{mode}: opening {args.rooms} rooms ...", file=sys.stderr, flush=True)
            results[mode] = measure(
                app,
                mode,
                auction_ids,
                user_ids,
                placed,
                args.rooms,
                args.seconds,
                args.bids_per_second,
            )
    hub = "Redis pub/sub" if args.redis else "in process"
    print(
        f"\n{args.rooms} open rooms on {args.auctions} running auctions, "
        f"{args.bids_per_second:g} bids/s, {args.seconds:g} s window, notification {hub}\n"
    )
    header = (
        "",
        "room queries/s",
        "bids",
        "bidder queries/bid",
        "opening queries",
        "room events",
        "delay p50 ms",
        "delay p95 ms",
    )
    rows = [
        (
            mode,
            f"{r['room_qps']:.1f}",
            f"{r['bids']:.0f}",
            f"{r['per_bid']:.1f}",
            f"{r['opening_queries']:.0f}",
            f"{r['events']:.0f}",
            f"{r['p50_ms']:.0f}",
            f"{r['p95_ms']:.0f}",
        )
        for mode, r in results.items()
    ]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).rjust(width) for cell, width in zip(row, widths, strict=True)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
