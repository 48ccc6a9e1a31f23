"""CPU per bid decision, per poll and per token POST, through the whole HTTP path, in process.

    .venv/bin/python bench/bid_cpu.py [--requests 300] [--rounds 6] [--database-url URL]
                                      [--profile KIND] [--top 40] [--sql]

Throughput on a shared machine moves with the load; the CPU a request costs much less.
This runs the app as gunicorn does (production settings, `wsgi.warm()`) in this process
under Flask's test client, on a PostgreSQL database of its own seeded as bench/bids.py
seeds it (dropped at the end), and prints, for each kind of request, its CPU ms
(`time.process_time`: this process only, PostgreSQL's own CPU not counted) and the SQL
statements it sends:

- accepted:    two bidders take turns bidding the minimum, each bid accepted (201);
- refused:     a bid at the current price, i.e. below the minimum next bid (409
               `bid_below_increment`: what a bid that lost the race to another gets);
- poll:        the leader's first `GET /api/v1/auctions/<id>` after its bid, with the
               bid's `auction_etag` as If-None-Match (304: what bench/bids.py's leader
               sends while it leads; the bid made it, untimed, just before);
- poll-again:  the same poll repeated, nothing written meanwhile (304; a kept answer
               may serve it);
- poll-outbid: the poll of the leader another bid has just outbid (untimed), with its
               old ETag: the auction read whole (200), once per accepted bid in a race;
- poll-full:   the auction without If-None-Match, nothing changed (200; kept answers);
- ping:        the ceiling, `POST /api/v1/tokens/ping` with the same token.

Each request is timed alone (the untimed bids that set a poll up are not counted).
The decision figures are what bench/bids.py's HTTP phase spends per decision beside
what the token POST spends, without the sockets and gunicorn's own parsing.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import argparse
import cProfile
import os
import pstats
import time
from collections.abc import Callable
from typing import Any

from bench.bids import INC, START, seed
from bench.stack import (
    add_server_arguments,
    app_in_process,
    count_statements,
    postgres_cpu_seconds,
    scratch,
)

KINDS = ("accepted", "refused", "poll", "poll-again", "poll-outbid", "poll-full", "ping")
Timed = Callable[[Callable[[], None]], None]  # runs one request, timing it


class Bench:
    """The requests of each kind, on one auction, by two bidders (taking turns to lead)."""

    def __init__(self, client: Any, auction_id: int, tokens: list[str]) -> None:
        self.client = client
        self.url = f"/api/v1/auctions/{auction_id}"
        self.headers = [{"Authorization": f"Bearer {t}"} for t in tokens]
        self.turn = 0
        self.price: int | None = None
        self.etags: list[str | None] = [None, None]  # each bidder's, from its last answer

    def _minimum(self) -> int:
        return START if self.price is None else self.price + INC

    def _bid(self) -> None:
        """The other bidder bids the minimum and leads."""
        self.turn = 1 - self.turn
        amount = self._minimum()
        response = self.client.post(
            f"{self.url}/bids", json={"amount_minor": amount}, headers=self.headers[self.turn]
        )
        assert response.status_code == 201, response.get_json()
        self.price = amount
        self.etags[self.turn] = response.get_json().get("auction_etag")

    def _poll(self, who: int, expected: int) -> None:
        headers = dict(self.headers[who])
        if self.etags[who]:
            headers["If-None-Match"] = str(self.etags[who])
        response = self.client.get(self.url, headers=headers)
        assert response.status_code == expected, (response.status_code, expected)
        if expected == 200:
            assert response.get_json()["leader_mine"] is (who == self.turn)
        self.etags[who] = response.headers.get("ETag") or self.etags[who]

    def accepted(self, timed: Timed) -> None:
        timed(self._bid)

    def refused(self, timed: Timed) -> None:
        other = self.headers[1 - self.turn]  # the one outbid, bidding what it last saw

        def bid_the_price() -> None:
            response = self.client.post(
                f"{self.url}/bids", json={"amount_minor": self.price or START}, headers=other
            )
            assert response.status_code == 409, response.get_json()
            assert response.get_json()["code"] == "bid_below_increment", response.get_json()

        timed(bid_the_price)

    def poll(self, timed: Timed) -> None:
        self._bid()
        timed(lambda: self._poll(self.turn, 304))

    def poll_again(self, timed: Timed) -> None:
        if self.etags[self.turn] is None:
            self._bid()
        timed(lambda: self._poll(self.turn, 304))

    def poll_outbid(self, timed: Timed) -> None:
        if self.etags[self.turn] is None:
            self._bid()
        outbid = self.turn
        self._bid()
        timed(lambda: self._poll(outbid, 200))

    def poll_full(self, timed: Timed) -> None:
        def read() -> None:
            response = self.client.get(self.url, headers=self.headers[self.turn])
            assert response.status_code == 200, response.status_code

        timed(read)

    def ping(self, timed: Timed) -> None:
        def post() -> None:
            response = self.client.post("/api/v1/tokens/ping", json={}, headers=self.headers[0])
            assert response.status_code == 200, response.status_code

        timed(post)

    def action(self, kind: str) -> Callable[[Timed], None]:
        return {
            "accepted": self.accepted,
            "refused": self.refused,
            "poll": self.poll,
            "poll-again": self.poll_again,
            "poll-outbid": self.poll_outbid,
            "poll-full": self.poll_full,
            "ping": self.ping,
        }[kind]


def measure(bench: Bench, counter: list[int], shown: list[str], args: Any) -> None:
    """Each kind in turn, `--rounds` times (so a burst of load elsewhere falls on all the
    kinds alike): the median of the rounds' CPU ms per request, and the lowest."""
    cpu: dict[str, list[float]] = {kind: [] for kind in KINDS}
    wall: dict[str, list[float]] = {kind: [] for kind in KINDS}
    statements: dict[str, int] = {kind: 0 for kind in KINDS}
    examples: dict[str, list[str]] = {}
    per_round = max(1, args.requests // args.rounds)
    server: dict[str, list[float]] = {kind: [] for kind in KINDS}
    spent = [0.0, 0.0, 0]  # CPU s, wall s, statements of the timed requests

    def timed(request: Callable[[], None]) -> None:
        del shown[:]
        counted = counter[0]
        started_cpu, started = time.process_time(), time.perf_counter()
        request()
        spent[0] += time.process_time() - started_cpu
        spent[1] += time.perf_counter() - started
        spent[2] += counter[0] - counted

    def untimed(request: Callable[[], None]) -> None:
        request()

    for kind in KINDS:
        for _ in range(3):  # warm
            bench.action(kind)(untimed)
    for _ in range(args.rounds):
        for kind in KINDS:
            act = bench.action(kind)
            spent[:] = [0.0, 0.0, 0]
            server_started = postgres_cpu_seconds()
            for _ in range(per_round):
                act(timed)
            server[kind].append((postgres_cpu_seconds() - server_started) / per_round * 1000)
            cpu[kind].append(spent[0] / per_round * 1000)
            wall[kind].append(spent[1] / per_round * 1000)
            statements[kind] += int(spent[2])
            examples[kind] = list(shown)
    total = per_round * args.rounds
    print(f"\n{per_round} requests x {args.rounds} rounds of each kind (load {_load()})")
    print(
        f"{'request':<12} {'CPU ms':>7} {'lowest':>7} {'PG ms':>6} {'wall ms':>8} {'statements':>10}"
    )
    for kind in KINDS:
        print(
            f"{kind:<12} {_median(cpu[kind]):>7.2f} {min(cpu[kind]):>7.2f}"
            f" {_median(server[kind]):>6.2f} {_median(wall[kind]):>8.2f}"
            f" {statements[kind] / total:>10.1f}"
        )
        if args.sql:
            print("    " + "\n    ".join(examples[kind]))
    print(
        "CPU ms: median of the rounds (lowest: the least loaded round), this process (app and"
        " driver). PG ms: the CPU of every PostgreSQL process on this machine meanwhile (its"
        " backends and background workers, so other databases' work too), median of the"
        " rounds. statements: all, through SQLAlchemy and plain psycopg (core.plain_sql:"
        " autocommit, one round trip each)."
    )


def _median(values: list[float]) -> float:
    ordered = sorted(values)  # (bench/statistics.py shadows the standard module)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def profile(bench: Bench, kind: str, args: Any) -> None:
    act = bench.action(kind)
    profiler = cProfile.Profile(time.process_time)  # CPU, not the waits on PostgreSQL

    def untimed(request: Callable[[], None]) -> None:
        request()

    def profiled(request: Callable[[], None]) -> None:
        profiler.enable()
        request()
        profiler.disable()

    for _ in range(3):
        act(untimed)
    for _ in range(args.requests):
        act(profiled)
    print(f"\n=== {kind}: cProfile over {args.requests} requests")
    restrictions = [args.only, args.top] if args.only else [args.top]
    stats = pstats.Stats(profiler).sort_stats(args.sort)
    stats.print_stats(*restrictions)
    if os.environ.get("BID_CPU_CALLEES"):
        stats.print_callees(os.environ["BID_CPU_CALLEES"])


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300, help="of each kind, in all")
    parser.add_argument("--rounds", type=int, default=6)
    add_server_arguments(parser)
    parser.add_argument("--profile", choices=KINDS, action="append", default=[])
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--only", help="a regular expression: only functions whose file matches")
    parser.add_argument("--sql", action="store_true", help="print one request's statements")
    args = parser.parse_args()
    with (
        scratch(args.database_url, "bidcpu", start=args.start_postgres) as place,
        app_in_process(place.env),
    ):
        plan = seed(place.url, place.work, 2)
        from wsgi import app, warm

        warm()
        shown: list[str] = []
        counter = count_statements(app, shown)
        tokens = [token for _, _, token in plan["people"]]
        bench = Bench(app.test_client(), plan["http_auction"], tokens)
        measure(bench, counter, shown, args)
        for kind in args.profile:
            profile(bench, kind, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
