"""bench/http.py's bid row: HTTP bid decisions with the server as busy as in the other rows.

Bidders of their own (organisation, held deposit, token), each on its own keep-alive
connection, race on one running auction added to the demo market. A bidder posts the
minimum next bid it last saw plus 0..connections-1 increments at random (as
bench/bids.py's bidders do); a 409 below the minimum carries the new minimum and it
bids again at once; a bidder told it leads watches the price, polling
`GET /api/v1/auctions/<id>` with its ETag every POLL_INTERVAL seconds, and bids again
once outbid. Decisions are the accepted bids and the bids rightly refused below the
minimum; the polls are counted beside them.

Each accepted bid sends a bidder to watch for a tenth of a second or more (the new
leader, and the one it outbid until its next poll tells it): with as many bidders as
connections, half of them would be asleep and the row would measure the clients' sleeps
(bench/bids.py's twelve self-pacing bidders do). So there are BIDDERS_PER_CONNECTION
bidders a connection, and the row prints how many were bidding on average: the server
is kept as busy as in the other rows, and the ratio to the token POST measures what a
bid decision costs the server beside a trivial token write.
"""

from __future__ import annotations

import http.client
import json
import random
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench.bids import INC, POLL_INTERVAL, START
from bench.stack import ROOT

BIDDERS_PER_CONNECTION = 4

_SEED = """
import json, sys
from pathlib import Path
from bench.bids import race
from wsgi import app
with app.app_context():
    ids, people = race(Path(app.config["UPLOAD_FOLDER"]), int(sys.argv[1]), auctions=1)
print(json.dumps({"auction": ids[0], "tokens": [token for _, _, token in people]}))
"""


def seed_race(env: dict[str, str], bidders: int) -> tuple[int, list[str]]:
    """A running auction and `bidders` bidders with held deposits: its id, their tokens."""
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", _SEED, str(bidders)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    found = json.loads(out.stdout.strip().splitlines()[-1])
    return int(found["auction"]), list(found["tokens"])


@dataclass
class BidTally:
    accepted: int = 0
    refused: int = 0  # rightly: below the minimum when it arrived
    polls: int = 0
    errors: dict[str, int] = field(default_factory=dict)  # any other answer, by status and code
    latencies: list[float] = field(default_factory=list)  # of the decisions


@dataclass
class BidRow:
    decisions_per_s: float
    bidding: float  # bidders waiting on a bid's answer, on average over the window
    polls_per_s: float
    accepted: int
    refused: int
    p50_ms: float
    p99_ms: float
    errors: dict[str, int]


class _Bidder:
    """One connection bidding like bench/bids.py's HTTP bidders."""

    def __init__(self, base: str, auction_id: int, token: str, seed: int, spread: int) -> None:
        parts = urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.auth = {"Authorization": f"Bearer {token}"}
        self.bids_path = f"/api/v1/auctions/{auction_id}/bids"
        self.auction_path = f"/api/v1/auctions/{auction_id}"
        self.rng, self.spread = random.Random(seed), spread
        self.minimum, self.leading, self.etag, self.last_etag = START, False, "", ""
        self.tally = BidTally()

    def request(self, method: str, path: str, body: dict | None, headers: dict) -> tuple[int, dict]:
        payload = json.dumps(body).encode() if body is not None else None
        self.conn.request(method, path, body=payload, headers=self.auth | headers)
        response = self.conn.getresponse()
        raw = response.read()
        self.last_etag = response.getheader("ETag") or ""
        return response.status, (json.loads(raw) if raw else {})

    def watch(self) -> None:
        """The leader's poll, one interval after its last answer."""
        time.sleep(POLL_INTERVAL)
        status, state = self.request(
            "GET", self.auction_path, None, {"If-None-Match": self.etag} if self.etag else {}
        )
        self.tally.polls += 1
        if status == 304:
            return
        if status != 200:
            self.error(status, state)
            return
        self.etag = self.last_etag
        if not state["leader_mine"]:
            self.minimum, self.leading = state["minimum_next_bid_minor"], False

    def bid(self) -> None:
        amount = self.minimum + self.rng.randrange(self.spread) * INC
        started = time.perf_counter()
        status, body = self.request(
            "POST", self.bids_path, {"amount_minor": amount}, {"Content-Type": "application/json"}
        )
        self.tally.latencies.append(time.perf_counter() - started)
        if status == 201:
            self.tally.accepted += 1
            self.leading, self.etag = body["leading"], body.get("auction_etag") or ""
            self.minimum = body["minimum_next_bid_minor"]
        elif status == 409 and "minimum_next_bid_minor" in body:
            self.tally.refused += 1
            self.minimum = body["minimum_next_bid_minor"]
        else:
            self.error(status, body)
            self.leading = True  # read the auction before bidding again

    def error(self, status: int, body: dict) -> None:
        key = f"{status} {body.get('code', '')}".strip()
        self.tally.errors[key] = self.tally.errors.get(key, 0) + 1

    def run(self, stop: float) -> None:
        while time.perf_counter() < stop:
            self.watch() if self.leading else self.bid()


def drive_bids(
    base: str, auction_id: int, tokens: list[str], seconds: float, spread: int
) -> BidRow:
    """Every token bids from its own thread and keep-alive connection for `seconds`."""
    bidders = [_Bidder(base, auction_id, token, i, spread) for i, token in enumerate(tokens)]
    stop = time.perf_counter() + seconds
    threads = [threading.Thread(target=bidder.run, args=(stop,)) for bidder in bidders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tallies = [bidder.tally for bidder in bidders]
    every = sorted(x for tally in tallies for x in tally.latencies)
    accepted = sum(t.accepted for t in tallies)
    refused = sum(t.refused for t in tallies)
    return BidRow(
        decisions_per_s=(accepted + refused) / seconds,
        bidding=sum(every) / seconds,
        polls_per_s=sum(t.polls for t in tallies) / seconds,
        accepted=accepted,
        refused=refused,
        p50_ms=statistics.median(every) * 1000 if every else 0.0,
        p99_ms=every[min(len(every) - 1, int(len(every) * 0.99))] * 1000 if every else 0.0,
        errors={k: sum(t.errors.get(k, 0) for t in tallies) for t in tallies for k in t.errors},
    )
