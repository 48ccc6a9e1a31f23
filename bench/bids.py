"""Benchmark of bidding on one hot auction, on PostgreSQL, against the bare row-lock rate.

    .venv/bin/python bench/bids.py [--bidders 8] [--seconds 10] [--database-url URL]
                                   [--workers 2] [--threads 8] [--poll-interval 0.1]

In one run, with N concurrent bidders (one process each, so the GIL is not what
is measured) against one auction row, each phase measured over the same window
that opens once every bidder is ready (connected; in the service phase, its app
built, which takes seconds of CPU on a small machine):

1. bare:    the database operation bidding rests on, straight through psycopg:
            BEGIN; SELECT … FOR UPDATE of one row; UPDATE it; COMMIT.
2. service: `auctions.bidding.place_bid` in a unit of work, as the endpoints call it
            (checks, lock, proxy rules, bid rows, audit entry, commit), each bidder
            in its own process and app.
3. HTTP:    POST /api/v1/auctions/<id>/bids with a bearer token, to gunicorn
            (gthread workers) serving wsgi:app, keep-alive connections.

Bidders bid like people in a hot auction: the minimum next bid they last saw,
with a maximum a few increments above it, so a bid that arrives just after
another is lifted to the new minimum (proxy bidding) instead of refused; a
bidder that leads waits (watching the price) until it is outbid. "Accepted"
counts submissions that wrote at least one bid of the bidder's own.

The bidders' model, decided 2026-12-03 (issue 19):

- A refused bidder bids again at once, without reading the auction: the 409 of a bid
  below the minimum carries `minimum_next_bid_minor`, which is all a client needs (as a
  bidding program would). Any other refusal makes it read the auction (a poll) first.
- A leader watches the price by polling `GET /api/v1/auctions/<id>` with the ETag of
  its last answer (`auction_etag` of its bid: a 304 while nothing changed) every
  `--poll-interval` seconds, 0.1 by default (the first one interval after the bid,
  whose answer said it leads): ten times a second, faster than a person reacts, a
  bidding program's pace. Until 2026-12-03 it polled every 2 ms, i.e. 500
  requests a second from one client, which no client does (a browser watches the
  room's event stream and polls nothing; the API's kept reads live 1 s); with 4 bidders
  that busy watch was over half of all the requests, so the figure measured the watch
  rather than the bids. `--poll-interval 0.002` runs that model again (but for the
  one interval a new leader now waits before its first poll).
- Every poll is counted and its server CPU is in the HTTP row's CPU ms/req and
  bids/CPU-s; "+polls/s" and its ratio show the requests with the polls.
- A ratio of rates compares the server's capacities only while both phases keep it
  busy. With few bidders and a real poll interval the leaders (the one leading and
  those outbid but not yet told) sleep, the server idles and decisions/s measures the
  clients' sleeps: 4 bidders gave 0.19 at 0.1 s (server 0.4 of a core) against 0.27 at
  2 ms. Give it a dozen bidders or more (`--bidders 12`), and read bids/CPU-s beside the
  token POST's, which does not depend on how busy the clients keep the server.

"tries/s" counts every submission (accepted, refused, raised): the ratio is of
accepted bids only, and with N bidders racing for one price most submissions
arrive after another bid and are refused (or lifted, with --headroom).

Afterwards the bids stored are compared with those the bidders were told were
written: lost bids (told, not stored) and phantom bids (stored, never told)
must both be 0, and prices must rise strictly by whole increments.

PostgreSQL: --database-url, else BENCH_DATABASE_URL, else (only with --start-postgres) the cluster of
`devservices/postgres.sh start`. A database `marketplace_bench_bids_<pid>` is created
on that server and dropped at the end (its own name: two runs never drop each other's).
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import psycopg
import requests
from sqlalchemy.engine import make_url

from bench.stack import (
    add_server_arguments,
    app_env,
    drop_database,
    free_port,
    libpq,
    process_cpu_seconds,
    recreate_database,
    server_url,
    stop_gunicorn,
)

START = 100_000_000  # ¥1,000,000.00
INC = 10_000  # ¥100.00
POLL_INTERVAL = 0.1  # seconds between a leader's polls (see the docstring)
BENCH_DB = "marketplace_bench"


@dataclass
class Tally:
    """What one bidder did in one phase."""

    accepted: int = 0
    raised: int = 0
    refused: int = 0
    codes: dict[str, int] = field(default_factory=dict)
    cpu: float = 0.0  # CPU seconds the bidder's process spent in the window (service phase)
    polls: int = 0  # reads of the auction's state while leading (the price watch)
    latencies: list[float] = field(default_factory=list)
    told: list[tuple[int, int]] = field(default_factory=list)  # (bid id, amount)


# --- the database -----------------------------------------------------------------------------


def app_config(url: str, work: Path) -> dict[str, Any]:
    return {
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 2, "max_overflow": 2},
        "SEARCH_INDEX_PATH": str(work / "search.db"),
        "UPLOAD_FOLDER": str(work / "uploads"),
        "SECRET_KEY": "bench",
        # queued as in production (the test settings a test_config implies run each job
        # in the caller: every bid would tell its bids inline)
        "JOBS_IMMEDIATE": False,
        "JOBS_SQLITE_PATH": str(work / "jobs.sqlite3"),
    }


def seed(url: str, work: Path, bidders: int) -> dict[str, Any]:
    """Migrate, then a seller with two auctions (service, HTTP) and bidders with held deposits."""
    from flask_migrate import upgrade

    from core.extensions import db
    from marketplace import create_app

    app = create_app(app_config(url, work))
    with app.app_context():
        upgrade()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE bench_counter (id integer PRIMARY KEY, n bigint)")
            conn.exec_driver_sql("INSERT INTO bench_counter VALUES (1, 0)")
        auctions, people = race(work / "uploads", bidders, auctions=2)
        db.session.remove()
        db.engine.dispose()  # nothing pooled survives into the forked bidders
    return {"service_auction": auctions[0], "http_auction": auctions[1], "people": people}


def race(
    uploads: Path, bidders: int, *, auctions: int
) -> tuple[list[int], list[tuple[int, int | None, str]]]:
    """In the app's context, committed: a seller's running auctions (started now, two days
    long, announced) and bidders with a held deposit on each and an API token; the
    auctions' ids and the bidders' (user id, organisation id, token)."""
    from accounts.models import OrganisationKind
    from auctions import announcements, services
    from core.uow import unit_of_work
    from listings.rules import ListingStatus
    from payments import bank_rules, deposits
    from tests import factories

    now = datetime.now(UTC)
    announced = now - timedelta(days=8)  # 拍卖公告: published before bidding
    terms = services.AuctionInput(
        starting_price_minor=START,
        increment_minor=INC,
        starts_at=now,
        ends_at=now + timedelta(days=2),
    )
    with unit_of_work():
        reviewer = factories.platform_reviewer(now)
        seller = factories.seller(now, reviewer=reviewer)
        ids = []
        for _ in range(auctions):
            listing = factories.listing(
                seller,
                now,
                status=ListingStatus.PUBLISHED,
                folder=uploads / "evidence",
                reviewer=reviewer,
            )
            auction = services.create_auction(seller, listing.id, terms, now=announced)
            announcements.approve(reviewer, auction.id, now=announced)
            ids.append(auction.id)
        people = []
        for _ in range(bidders):
            user = factories.seller(now, reviewer=reviewer, kind=OrganisationKind.ENTERPRISE)
            for auction_id in ids:
                deposit = services.join_auction(user, auction_id, now=now)
                deposits.submit_receipt(
                    user,
                    deposit.id,
                    stream=io.BytesIO(factories.PDF_BYTES),
                    filename="receipt.pdf",
                    bank_reference=bank_rules.deposit_reference(
                        "auction", auction_id, user.acting_org_id
                    ),
                    folder=deposits.receipt_folder(uploads),
                    max_bytes=1_000_000,
                    now=now,
                )
                deposits.confirm_deposit(reviewer, deposit.id, now=now)
            token = factories.api_token(user, "bench", now=now)
            people.append((user.id, user.organisation_id, token))
    return ids, people


# --- the three phases ------------------------------------------------------------------------


# Set by run_phase before it forks the bidders: they report ready (connected, app built)
# and are then given one window, so no bidder's start-up falls inside another's window.
_GATE: dict[str, Any] = {}


def ready_then_window() -> float:
    """Tell the phase this bidder is ready; wait for the common window's start; its stop."""
    gate = _GATE["barrier"]
    gate.wait()  # everyone ready
    gate.wait()  # the window is published
    start, stop = _GATE["window"][:]
    time.sleep(max(0.0, start - time.time()))
    return float(stop)


def bare_worker(args: tuple[str]) -> Tally:
    """Lock the row, update it, commit: as fast as the database lets one client."""
    (conninfo,) = args
    tally = Tally()
    with psycopg.connect(conninfo) as conn:
        conn.execute("SELECT 1")
        conn.commit()
        stop = ready_then_window()
        while time.time() < stop:
            t0 = time.perf_counter()
            conn.execute("SELECT n FROM bench_counter WHERE id = 1 FOR UPDATE").fetchone()
            conn.execute("UPDATE bench_counter SET n = n + 1 WHERE id = 1")
            conn.commit()
            tally.latencies.append(time.perf_counter() - t0)
            tally.accepted += 1
    return tally


def service_worker(args: tuple[str, str, int, int, int, int, int, float]) -> Tally:
    """One bidder calling the service layer in its own process and app."""
    url, work, user_id, org_id, auction_id, headroom, jump, poll_interval = args
    rng = random.Random(user_id)
    from accounts.models import User
    from auctions import bidding, rules
    from core.domain import DomainError
    from core.extensions import db
    from core.uow import unit_of_work
    from marketplace import create_app

    app = create_app(app_config(url, Path(work)))
    tally = Tally()
    watch = psycopg.connect(libpq(url), autocommit=True)
    with watch, app.app_context():
        user = db.session.get(User, user_id)
        minimum, leading = START, False
        db.session.rollback()
        try:  # warm the path (as gunicorn's workers are): a bid below the start, refused
            with unit_of_work(writer=True):  # on its read, nothing written
                bidding.place_bid(user, auction_id, START - INC, now=datetime.now(UTC))
        except DomainError:
            pass
        stop = ready_then_window()
        cpu_start = time.process_time()
        while time.time() < stop:
            if leading:  # watch the price until someone outbids us (a plain read: the
                # watching is the bidder's, not the service's, and must not crowd it out)
                leader_org_id, price = watch.execute(
                    "SELECT leader_org_id, current_price_minor FROM auctions WHERE id = %s",
                    (auction_id,),
                ).fetchone()
                tally.polls += 1
                if leader_org_id == org_id:
                    time.sleep(poll_interval)
                    continue
                minimum, leading = price + INC, False
            t0 = time.perf_counter()
            amount = minimum + rng.randrange(jump) * INC  # as the HTTP bidders do
            try:
                with unit_of_work(writer=True):  # as the bid endpoints open it
                    result = bidding.place_bid(
                        user,
                        auction_id,
                        amount,
                        max_minor=amount + headroom * INC if headroom else None,
                        now=datetime.now(UTC),
                    )
            except rules.BidBelowMinimum as error:
                tally.latencies.append(time.perf_counter() - t0)
                tally.refused += 1
                tally.codes[error.code] = tally.codes.get(error.code, 0) + 1
                minimum = error.minimum_minor
                continue
            except DomainError as error:
                tally.latencies.append(time.perf_counter() - t0)
                tally.refused += 1
                tally.codes[error.code] = tally.codes.get(error.code, 0) + 1
                leading = True  # re-read before trying again
                continue
            tally.latencies.append(time.perf_counter() - t0)
            tally.told += [(b.id, b.amount_minor) for b in result.bids]
            if result.raised_max:
                tally.raised += 1
            elif result.own_bids:
                tally.accepted += 1
            leading = result.leading
            if leading:  # the answer says so: the watch starts one interval later
                time.sleep(poll_interval)
            minimum = result.minimum_next_bid_minor
        tally.cpu = time.process_time() - cpu_start
    return tally


def http_worker(args: tuple[str, str, int, int, int, int, float]) -> Tally:
    """One bidder posting to the API over a keep-alive connection."""
    base, token, org_id, auction_id, headroom, jump, poll_interval = args
    rng = random.Random(org_id)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    bids_url = f"{base}/api/v1/auctions/{auction_id}/bids"
    tally = Tally()
    minimum, leading = START, False
    auction_url = f"{base}/api/v1/auctions/{auction_id}"
    session.get(auction_url)
    etag = ""  # of the last answer (or bid): a poll sends it back, a 304 while unchanged
    stop = ready_then_window()
    while time.time() < stop:
        if leading:
            polled = session.get(auction_url, headers={"If-None-Match": etag} if etag else {})
            tally.polls += 1
            if polled.status_code == 304:  # nothing changed: still leading
                time.sleep(poll_interval)
                continue
            etag = polled.headers.get("ETag", "")
            state = polled.json()
            if state["leader_mine"]:  # bidders are named by number (竞买号), never by id
                time.sleep(poll_interval)
                continue
            minimum, leading = state["minimum_next_bid_minor"], False
        t0 = time.perf_counter()
        amount = minimum + rng.randrange(jump) * INC
        response = session.post(
            bids_url,
            json={
                "amount_minor": amount,
                "max_minor": amount + headroom * INC if headroom else None,
            },
        )
        tally.latencies.append(time.perf_counter() - t0)
        body = response.json()
        if response.status_code != 201:
            tally.refused += 1
            code = str(body.get("code"))
            tally.codes[code] = tally.codes.get(code, 0) + 1
            if "minimum_next_bid_minor" in body:
                minimum = body["minimum_next_bid_minor"]
            else:
                leading = True
            continue
        tally.told += [(b["id"], b["amount_minor"]) for b in body["bids"]]
        etag = body.get("auction_etag") or ""  # the auction as this bid left it
        if body["raised_max"]:
            tally.raised += 1
        elif any(b["mine"] for b in body["bids"]):
            tally.accepted += 1
        leading = body["leading"]
        if leading:  # the answer says so (with the ETag): the watch starts one interval later
            time.sleep(poll_interval)
        minimum = body["minimum_next_bid_minor"]
    return tally


def ping_worker(args: tuple[str, str]) -> Tally:
    """The ceiling of a token write: POST /api/v1/tokens/ping (token checked, nothing written)."""
    base, token = args
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    tally = Tally()
    session.post(f"{base}/api/v1/tokens/ping", json={})
    stop = ready_then_window()
    while time.time() < stop:
        t0 = time.perf_counter()
        response = session.post(f"{base}/api/v1/tokens/ping", json={})
        tally.latencies.append(time.perf_counter() - t0)
        if response.status_code == 200:
            tally.accepted += 1
        else:
            tally.refused += 1
    return tally


def run_phase(
    worker: Any,
    jobs: list[tuple[Any, ...]],
    *,
    seconds: float,
    warmup: float,
    server_pid: int | None = None,
) -> list[Tally]:
    """Run one bidder a process; the window opens `warmup` s after the last is ready.

    With `server_pid`, the CPU that process tree (gunicorn) spent in the window is
    kept in `_GATE["server_cpu"]`.
    """
    context = multiprocessing.get_context("fork")
    _GATE["barrier"] = context.Barrier(len(jobs) + 1, timeout=600)
    _GATE["window"] = context.Array("d", 2)
    with context.Pool(len(jobs)) as pool:
        pending = pool.map_async(worker, jobs)
        _GATE["barrier"].wait()  # all bidders ready
        start = time.time() + warmup
        _GATE["window"][:] = [start, start + seconds]
        _GATE["barrier"].wait()
        if server_pid is not None:
            time.sleep(max(0.0, start - time.time()))
            cpu = process_cpu_seconds(server_pid)
            time.sleep(max(0.0, start + seconds - time.time()))
            _GATE["server_cpu"] = process_cpu_seconds(server_pid) - cpu
        return pending.get()


# --- gunicorn ------------------------------------------------------------------------------


def start_gunicorn(
    url: str, work: Path, workers: int, threads: int
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = app_env(url, work)
    process = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 120
    try:
        while time.time() < deadline:
            try:
                if requests.get(f"{base}/api/v1/openapi.json", timeout=10).status_code == 200:
                    return process, base
            except requests.RequestException:  # not listening yet, or slow on a busy machine
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")
    except BaseException:
        stop_gunicorn(process)
        raise


# --- checking and reporting --------------------------------------------------------------------


def check_ledger(conninfo: str, auction_id: int, tallies: list[Tally]) -> tuple[int, int, bool]:
    """(lost, phantom, prices rise strictly by whole increments and match the auction row)."""
    with psycopg.connect(conninfo) as conn:
        stored = conn.execute(
            "SELECT id, amount_minor FROM bids WHERE auction_id = %s ORDER BY id",
            (auction_id,),
        ).fetchall()
        row = conn.execute(
            "SELECT bid_count, current_price_minor FROM auctions WHERE id = %s", (auction_id,)
        ).fetchone()
    told = {t for tally in tallies for t in tally.told}
    stored_set = {tuple(r) for r in stored}
    amounts = [r[1] for r in stored]
    ordered = amounts == sorted(set(amounts)) and all((a - START) % INC == 0 for a in amounts)
    consistent = (
        row is not None and row[0] == len(stored) and (not amounts or row[1] == amounts[-1])
    )
    return len(told - stored_set), len(stored_set - told), ordered and consistent


@dataclass
class Figures:
    label: str
    rate: float
    p50_ms: float
    p99_ms: float
    accepted: int
    refused: int
    raised: int


def figures(label: str, tallies: list[Tally], seconds: float) -> Figures:
    latencies = sorted(x for t in tallies for x in t.latencies)
    if not latencies:
        return Figures(label, 0.0, 0.0, 0.0, 0, 0, 0)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return Figures(
        label,
        sum(t.accepted for t in tallies) / seconds,
        latencies[len(latencies) // 2] * 1000,  # (bench/statistics.py shadows the module)
        p99 * 1000,
        sum(t.accepted for t in tallies),
        sum(t.refused for t in tallies),
        sum(t.raised for t in tallies),
    )


def decisions(tallies: list[Tally]) -> int:
    """Bids decided: accepted, raised or rightly refused (a refusal the rules give)."""
    return sum(t.accepted + t.raised + t.refused for t in tallies)


def report(
    bare: list[Tally],
    service: list[Tally],
    http: list[Tally],
    ceiling: list[Tally],
    *,
    seconds: float,
    http_cpu: float,
    ping_cpu: float,
) -> None:
    """The table: decisions/s beside each phase's ceiling, the polls, bids per CPU-second.

    About 70 % of racing bids are refused by design (another bid got there first): a
    refusal is as much the product's answer as an acceptance, so the rate is of
    decisions. The service phase is compared with the bare lock+update+commit, the HTTP
    phase with a trivial token POST to the same gunicorn (target 0.6).
    """
    bare_rate = sum(t.accepted for t in bare) / seconds or 1.0
    ping_rate = sum(t.accepted for t in ceiling) / seconds or 1.0
    service_cpu = sum(t.cpu for t in service)
    print()
    print(
        f"{'path':<34} {'decisions/s':>11} {'+polls/s':>8} {'ratio':>6} {'+polls':>6}"
        f" {'target':>8} {'p50 ms':>7} {'p99 ms':>7} {'accepted':>8} {'refused':>8}"
        f" {'bids/CPU-s':>10} {'CPU ms/req':>10}"
    )
    rows = (
        ("bare lock+update+commit", bare, bare_rate, None, None),
        ("service place_bid", service, bare_rate, None, service_cpu),
        ("HTTP POST …/bids (gunicorn)", http, ping_rate, 0.6, http_cpu),
        ("ceiling: POST /api/v1/tokens/ping", ceiling, ping_rate, None, ping_cpu),
    )
    for label, tallies, base, target, cpu in rows:
        row = figures(label, tallies, seconds)
        rate = decisions(tallies) / seconds
        polls = sum(t.polls for t in tallies) / seconds
        mark = (
            ""
            if target is None
            else f">={target:.1f} " + ("ok" if rate / base >= target else "MISS")
        )
        per_cpu = f"{decisions(tallies) / cpu:10.0f}" if cpu else f"{'':>10}"
        per_request = (
            f"{cpu / (decisions(tallies) + polls * seconds) * 1000:10.2f}"
            if cpu and decisions(tallies)
            else f"{'':>10}"
        )
        print(
            f"{label:<34} {rate:>11.0f} {rate + polls:>8.0f} {rate / base:>6.2f}"
            f" {(rate + polls) / base:>6.2f} {mark:>8} {row.p50_ms:>7.2f} {row.p99_ms:>7.2f}"
            f" {row.accepted + row.raised:>8} {row.refused:>8} {per_cpu} {per_request}"
        )
    print(
        "decisions/s: bids accepted, raised or rightly refused; +polls/s: those and the"
        " leaders' polls of the auction (If-None-Match: a 304 while nothing changed);"
        " ratio, +polls: of each against the bare lock+update+commit (service) or the token"
        " POST (HTTP); the target is of decisions alone. bids/CPU-s: decisions (or token"
        " POSTs) per CPU-second of the bidders' processes (service) or of gunicorn; CPU"
        " ms/req: per decision, poll or token POST. PostgreSQL's own CPU not counted."
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--bidders", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    add_server_arguments(parser)
    parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--warmup",
        type=float,
        default=1.0,
        help="seconds from the last bidder being ready (connected, app built) to the start",
    )
    parser.add_argument(
        "--jump",
        type=int,
        default=None,
        help="bid the minimum plus 0..JUMP-1 increments, at random (default: the bidders)",
    )
    parser.add_argument(
        "--poll-interval",
        type=float,
        default=POLL_INTERVAL,
        help="seconds a leading bidder waits between two polls of the auction"
        f" (default {POLL_INTERVAL}; 0.002 is the busy watch of the runs before 2026-12-03)",
    )
    parser.add_argument(
        "--headroom",
        type=int,
        default=0,
        help="send a maximum this many increments above each bid (0: plain bids)",
    )
    args = parser.parse_args()
    headroom = args.headroom
    jump = max(1, args.jump if args.jump is not None else args.bidders)

    server = server_url(args.database_url, start=args.start_postgres)
    name = f"{BENCH_DB}_bids_{os.getpid()}"
    url = recreate_database(server, name)
    conninfo = libpq(url)
    work = Path(tempfile.mkdtemp(prefix="bench-bids-"))
    gunicorn = None
    try:
        print(
            f"PostgreSQL {make_url(url).host}:{make_url(url).port}/{name}; "
            f"{args.bidders} bidders, {args.seconds:.0f} s a phase, leaders poll every"
            f" {args.poll_interval * 1000:g} ms, {os.cpu_count()} CPUs,"
            f" load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
        plan = seed(url, work, args.bidders)
        people = plan["people"]

        phase = {"seconds": args.seconds, "warmup": args.warmup}
        bare = run_phase(bare_worker, [(conninfo,)] * args.bidders, **phase)

        service = run_phase(
            service_worker,
            [
                (
                    url,
                    str(work),
                    user_id,
                    org_id,
                    plan["service_auction"],
                    headroom,
                    jump,
                    args.poll_interval,
                )
                for user_id, org_id, _ in people
            ],
            **phase,
        )

        gunicorn, base = start_gunicorn(url, work, args.workers, args.threads)
        http = run_phase(
            http_worker,
            [
                (base, token, org_id, plan["http_auction"], headroom, jump, args.poll_interval)
                for _, org_id, token in people
            ],
            server_pid=gunicorn.pid,
            **phase,
        )
        http_cpu = _GATE.get("server_cpu", 0.0)
        ceiling = run_phase(
            ping_worker,
            [(base, token) for _, _, token in people],
            server_pid=gunicorn.pid,
            **phase,
        )
        ping_cpu = _GATE.get("server_cpu", 0.0)
    finally:
        if gunicorn is not None:
            stop_gunicorn(gunicorn)

    try:
        lost_s, phantom_s, ok_s = check_ledger(conninfo, plan["service_auction"], service)
        lost_h, phantom_h, ok_h = check_ledger(conninfo, plan["http_auction"], http)
    finally:
        drop_database(server, name)
        shutil.rmtree(work, ignore_errors=True)

    report(bare, service, http, ceiling, seconds=args.seconds, http_cpu=http_cpu, ping_cpu=ping_cpu)
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for label, tallies in (("service", service), ("HTTP", http)):
        codes: dict[str, int] = {}
        for tally in tallies:
            for code, n in tally.codes.items():
                codes[code] = codes.get(code, 0) + n
        if codes:
            print(f"{label} refusals: " + ", ".join(f"{c} {n}" for c, n in sorted(codes.items())))
    print()
    print(f"service: lost bids {lost_s}, phantom bids {phantom_s}, ledger consistent {ok_s}")
    print(f"HTTP:    lost bids {lost_h}, phantom bids {phantom_h}, ledger consistent {ok_h}")
    ok = lost_s == lost_h == phantom_s == phantom_h == 0 and ok_s and ok_h
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
