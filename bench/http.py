"""Throughput of the main pages and API lists over HTTP, beside the stack's own ceiling.

    .venv/bin/python bench/http.py [--seconds 10] [--connections 16] [--database-url URL]
                                   [--workers 2] [--threads 8] [--keep] [--bid-rounds N]

One run: a PostgreSQL database of its own (`marketplace_bench_http_<pid>`, dropped at
the end; bench/stack.py) on the server of --database-url / BENCH_DATABASE_URL / (--start-postgres) `devservices/postgres.sh
start`, migrated and filled with the demo market (`flask demo load`); gunicorn serving
wsgi:app as in production (gunicorn.conf.py: preloaded app, `-w 2 -k gthread --threads 8`);
then each URL in turn driven by wrk (or, without wrk, a Python load generator: one
thread per connection, keep-alive) for --seconds, at --connections.

The ceiling is the same gunicorn answering the most trivial token-authenticated
request of the app (GET /api/v1/tokens/ping: the token checked, nothing else read);
a trivial token POST (POST /api/v1/tokens/ping) is the ceiling of writes. Each row
prints requests/s, p50 and p99 and its ratio to the ceiling; the targets are 0.4 for
pages and 0.5 for API lists (issue 19). The last row is bid decisions/s (accepted, and
refused below the minimum) on a running auction, four bidders a connection
(bench/http_bids.py), against the write ceiling; the target is 0.6. Each row also
prints the CPU gunicorn (master and workers) and every PostgreSQL process spent per
request (per decision for the bids, their polls included): what a request costs the
servers, which moves far less than the rates with the machine's other work. The load average is printed with the table:
on a shared machine the figures move with it, the ratios much less.

With --bid-rounds N only the write ceiling and the bid row run, N times in turn, each
pair's ratios printed and then their medians (one pair can land on a burst of other work).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder would come first on sys.path and `http` (the
# standard library's, which requests needs) would be this file: the root goes first.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from sqlalchemy.engine import make_url

from bench.http_bids import BIDDERS_PER_CONNECTION, drive_bids, seed_race
from bench.http_frozen import (
    FROZEN_P99_TARGET_MS,
    FROZEN_ROWS,
    FrozenSearch,
    print_worker_memory,
)
from bench.stack import (
    add_server_arguments,
    load_market,
    postgres_cpu_seconds,
    process_cpu_seconds,
    scratch,
    serving,
)

PAGE_TARGET, API_TARGET, BIDS_TARGET = 0.4, 0.5, 0.6


@dataclass
class Row:
    kind: str  # ceiling, page, api, write
    label: str
    rate: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    cpu_ms: float = 0.0  # gunicorn's (master and workers) per request
    pg_ms: float = 0.0  # PostgreSQL's processes' per request


# --- load -----------------------------------------------------------------------------------


_WRK_SCRIPT = """
wrk.method = "{method}"
wrk.body = '{body}'
wrk.headers["Content-Type"] = "application/json"
{auth}
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %f %f %f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def with_wrk(url: str, *, token: str | None, method: str, seconds: float, connections: int) -> Row:
    auth = f'wrk.headers["Authorization"] = "Bearer {token}"' if token else ""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            _WRK_SCRIPT.format(method=method, body="{}" if method == "POST" else "", auth=auth)
        )
    try:
        out = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", "--timeout", "10s", f"-d{seconds:.0f}s", "-s", script.name, url],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    found = re.search(r"BENCH (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", out)
    _total, errors, p50, p95, p99 = found.groups()  # type: ignore[union-attr]
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    return Row("", "", rate, float(p50), float(p95), float(p99), int(errors))


def with_python(
    url: str, *, token: str | None, method: str, seconds: float, connections: int
) -> Row:
    """Without wrk: a thread per keep-alive connection, each request timed."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Content-Type": "application/json"} | (
        {"Authorization": f"Bearer {token}"} if token else {}
    )
    body = b"{}" if method == "POST" else None
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    stop = time.perf_counter() + seconds

    def drive(i: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while (start := time.perf_counter()) < stop:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies[i].append(time.perf_counter() - start)
            errors[i] += response.status >= 400

    threads = [threading.Thread(target=drive, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = sorted(x for batch in latencies for x in batch)

    def at(share: float) -> float:
        return every[min(len(every) - 1, int(len(every) * share))] * 1000 if every else 0.0

    median = statistics.median(every) * 1000 if every else 0.0
    return Row("", "", len(every) / seconds, median, at(0.95), at(0.99), sum(errors))


def measure(
    drive, base: str, kind: str, label: str, path: str, token: str | None, args, method: str = "GET"
) -> Row:  # type: ignore[no-untyped-def]
    drive(
        base + path,
        token=token,
        method=method,
        seconds=min(2.0, args.seconds),
        connections=args.connections,
    )  # warm
    with cpu_spent(args) as spent:
        row = drive(
            base + path,
            token=token,
            method=method,
            seconds=args.seconds,
            connections=args.connections,
        )
    row.kind, row.label = kind, label
    row.cpu_ms, row.pg_ms = (x * 1000 / max(1.0, row.rate * args.seconds) for x in spent)
    print(f"  {label:44} {row.rate:8.0f} req/s", flush=True)
    return row


@contextmanager
def cpu_spent(args) -> Iterator[list[float]]:  # type: ignore[no-untyped-def]
    """CPU seconds gunicorn (args.master_pid and its workers) and PostgreSQL spent in the block."""
    spent = [process_cpu_seconds(args.master_pid), postgres_cpu_seconds()]
    yield spent
    spent[:] = [process_cpu_seconds(args.master_pid) - spent[0], postgres_cpu_seconds() - spent[1]]


def targets(found: dict[str, object]) -> list[tuple[str, str, str, bool]]:
    """(kind, label, path, with the token) of every row after the ceiling."""
    rows = [
        ("page", "/ (home)", "/", False),
        ("page", "/search?q=电池", "/search?q=%E7%94%B5%E6%B1%A0", False),
        ("page", f"/listings/{found['listing']}", f"/listings/{found['listing']}", False),
        ("page", "/needs", "/needs", False),
        ("page", "/brokers", "/brokers", False),
    ]
    if found.get("auction"):
        rows.insert(
            3, ("page", f"/auctions/{found['auction']}", f"/auctions/{found['auction']}", False)
        )
        rows.append(
            (
                "api",
                f"GET /api/v1/auctions/{found['auction']}",
                f"/api/v1/auctions/{found['auction']}",
                True,
            )
        )
    rows += [
        ("api", "/api/v1/listings/?q=battery", "/api/v1/listings/?q=battery", True),
        ("api", "/api/v1/needs/", "/api/v1/needs/", True),
        ("api", "/api/v1/auctions/", "/api/v1/auctions/", True),
        ("api", "/api/v1/brokers/", "/api/v1/brokers/", True),
    ]
    return rows


def report(rows: list[Row], ceiling: Row, started_load: tuple[float, ...], args) -> bool:  # type: ignore[no-untyped-def]
    ended = os.getloadavg()
    print(f"\nLoad average {started_load[0]:.1f} at the start, {ended[0]:.1f} at the end "
          f"({os.cpu_count()} CPUs); {args.connections} connections, {args.seconds:.0f} s a row, "
          f"{args.workers} workers x {args.threads} threads; {'wrk' if shutil.which('wrk') else 'Python load generator'}")  # fmt: skip
    print(
        f"\n| {'URL':44} | req/s | / ceiling | p50 ms | p95 ms | p99 ms | errors | CPU ms | PG ms |"
    )
    print(f"|{'-' * 46}|-------|-----------|--------|--------|--------|--------|--------|-------|")
    good = True
    writes = next((row for row in rows if row.kind == "write"), ceiling)
    for row in rows:
        of = writes if row.kind == "bids" else ceiling  # bid decisions: of the token POST
        ratio = row.rate / of.rate if of.rate else 0.0
        target = {"page": PAGE_TARGET, "api": API_TARGET, "bids": BIDS_TARGET}.get(row.kind)
        mark = "" if target is None else (" ok" if ratio >= target else " LOW")
        good &= target is None or ratio >= target
        print(f"| {row.label:44} | {row.rate:5.0f} | {ratio:6.2f}{mark:3} | {row.p50_ms:6.1f} | {row.p95_ms:6.1f} | {row.p99_ms:6.1f} | {row.errors:6d} | {row.cpu_ms:6.2f} | {row.pg_ms:5.2f} |")  # fmt: skip
    bids = next((row for row in rows if row.kind == "bids"), None)
    if bids is not None and bids.cpu_ms:
        cost, write_cost = bids.cpu_ms + bids.pg_ms, writes.cpu_ms + writes.pg_ms
        print(f"\nCPU (gunicorn + PostgreSQL) a bid decision, its polls included: {cost:.2f} ms; "
              f"a token POST: {write_cost:.2f} ms; ratio {write_cost / cost:.2f} (the servers' cost "
              "alone, whatever the clients and the workers' balance)")  # fmt: skip
    print(f"\nTargets: pages >= {PAGE_TARGET} of the ceiling, API lists >= {API_TARGET}, bid "
          f"decisions >= {BIDS_TARGET} of the write ceiling: {'all met' if good else 'not all met'}")  # fmt: skip
    return good


def run_all(
    drive,
    base: str,
    token: str,
    found: dict[str, object],
    race: tuple[int, list[str]],
    started_load,
    args,
) -> None:  # type: ignore[no-untyped-def]
    """The ceiling, every page and API list, the write ceiling, bid decisions: issue 19's table."""
    ceiling = measure(
        drive,
        base,
        "ceiling",
        "ceiling: GET /api/v1/tokens/ping",
        "/api/v1/tokens/ping",
        token,
        args,
    )
    rows = [ceiling]
    for kind, label, path, with_token in targets(found):
        rows.append(measure(drive, base, kind, label, path, token if with_token else None, args))
    rows.append(measure_writes(drive, base, token, args))
    rows.append(measure_bids(base, *race, args))
    report(rows, ceiling, started_load, args)


def measure_writes(drive, base: str, token: str, args) -> Row:  # type: ignore[no-untyped-def]
    """The write ceiling: a trivial token POST."""
    label = "write ceiling: POST /api/v1/tokens/ping"
    return measure(drive, base, "write", label, "/api/v1/tokens/ping", token, args, "POST")


def measure_bids(base: str, auction_id: int, tokens: list[str], args) -> Row:  # type: ignore[no-untyped-def]
    """Bid decisions/s on one auction, a bidder a connection (bench/http_bids.py)."""
    drive_bids(base, auction_id, tokens, min(2.0, args.seconds), args.connections)  # warm
    with cpu_spent(args) as spent:
        bids = drive_bids(base, auction_id, tokens, args.seconds, args.connections)
    label = f"bid decisions: POST /api/v1/auctions/{auction_id}/bids"
    print(f"  {label:44} {bids.decisions_per_s:8.0f} decisions/s ({bids.accepted} accepted, "
          f"{bids.refused} refused below the minimum; {bids.polls_per_s:.0f} leader polls/s; {len(tokens)} bidders, "
          f"{bids.bidding:.1f} bidding on average; other answers: {bids.errors or 'none'})", flush=True)  # fmt: skip
    decisions = max(1.0, bids.decisions_per_s * args.seconds)  # the polls' CPU is theirs too
    cpu_ms, pg_ms = (x * 1000 / decisions for x in spent)
    return Row("bids", label, bids.decisions_per_s, bids.p50_ms, bids.p50_ms, bids.p99_ms, sum(bids.errors.values()), cpu_ms, pg_ms)  # fmt: skip


def run_bid_rounds(drive, base: str, token: str, race: tuple[int, list[str]], args) -> None:  # type: ignore[no-untyped-def]
    """The write ceiling and the bid row only, `--bid-rounds` times in turn: on a shared
    machine one pair can land on a burst of other work, the median of several much less."""
    rates, costs = [], []
    for i in range(args.bid_rounds):
        writes = measure_writes(drive, base, token, args)
        bids = measure_bids(base, *race, args)
        rates.append(bids.rate / writes.rate)
        costs.append((writes.cpu_ms + writes.pg_ms) / (bids.cpu_ms + bids.pg_ms))
        print(f"round {i + 1}: bid decisions {rates[-1]:.2f} of the write ceiling, CPU ratio "
              f"{costs[-1]:.2f} (a token POST {writes.cpu_ms:.2f} + {writes.pg_ms:.2f} ms, a "
              f"decision {bids.cpu_ms:.2f} + {bids.pg_ms:.2f} ms); load {os.getloadavg()[0]:.1f}",
              flush=True)  # fmt: skip
    print(f"\nMedian of {args.bid_rounds} rounds: bid decisions {statistics.median(rates):.2f} of "
          f"the write ceiling (target {BIDS_TARGET}), CPU ratio {statistics.median(costs):.2f}")  # fmt: skip


def run_frozen(drive, base: str, token: str, frozen: FrozenSearch, args) -> None:  # type: ignore[no-untyped-def]
    """Search with Elasticsearch frozen: p99 of the search page and the API (issue 21)."""
    for _kind, _label, path, with_token in FROZEN_ROWS:  # answered by Elasticsearch first
        headers = {"Authorization": f"Bearer {token}"} if with_token else {}
        requests.get(base + path, headers=headers, timeout=30)
    frozen.freeze()
    started_load = os.getloadavg()
    ceiling = measure(
        drive,
        base,
        "ceiling",
        "ceiling: GET /api/v1/tokens/ping",
        "/api/v1/tokens/ping",
        token,
        args,
    )
    rows = [ceiling]
    for kind, label, path, with_token in FROZEN_ROWS:
        rows.append(measure(drive, base, kind, label, path, token if with_token else None, args))
    report(rows, ceiling, started_load, args)
    worst = max(row.p99_ms for row in rows[1:])
    verdict = "met" if worst < FROZEN_P99_TARGET_MS else "NOT met"
    print(f"Elasticsearch frozen: the worst search p99 is {worst:.0f} ms "
          f"(target < {FROZEN_P99_TARGET_MS:.0f} ms at {args.connections} connections): {verdict}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=16)
    add_server_arguments(parser)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--listings", type=int, help="only the first N results of the demo market (default: all)"
    )
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--python", action="store_true", help="the Python load generator even with wrk"
    )
    parser.add_argument(
        "--frozen-search",
        action="store_true",
        help="search on Elasticsearch frozen behind a relay (bench/http_frozen.py)",
    )
    parser.add_argument(
        "--bid-rounds",
        type=int,
        default=0,
        help="only the write ceiling and the bid row, this many times in turn, and their median",
    )
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # clean up (finally) when stopped
    drive = with_wrk if shutil.which("wrk") and not args.python else with_python

    with ExitStack() as cleanup:  # in reverse: gunicorn, the database and folder, the relay
        frozen = cleanup.enter_context(closing(FrozenSearch(ROOT))) if args.frozen_search else None
        place = cleanup.enter_context(scratch(args.database_url, "http", start=args.start_postgres))
        database = make_url(place.url)
        print(
            f"PostgreSQL {database.host}:{database.port}/{database.database}: "
            "loading the demo market…",
            flush=True,
        )
        env = place.env if frozen is None else frozen.env(place.env)
        found = load_market(env, args.listings)
        race = (
            seed_race(env, args.connections * BIDDERS_PER_CONNECTION) if frozen is None else (0, [])
        )
        if frozen is not None:
            frozen.build(env)
        token = str(found["token"])
        master_pid, base = cleanup.enter_context(serving(env, args.workers, args.threads))
        args.master_pid = master_pid
        started_load = os.getloadavg()
        if frozen is not None:
            run_frozen(drive, base, token, frozen, args)
        elif args.bid_rounds:
            run_bid_rounds(drive, base, token, race, args)
        else:
            run_all(drive, base, token, found, race, started_load, args)
        print_worker_memory(master_pid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
