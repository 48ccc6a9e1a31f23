"""Benchmark of saved-search alerts: the cost of matching one new listing against them all.

    .venv/bin/python bench/alerts.py [--saved 100000] [--samples 300] [--database-url URL]

Builds, in a database (SQLite in a temporary directory by default; --database-url
names another one, e.g. PostgreSQL, WHICH IS EMPTIED FIRST), --saved synthetic
saved searches of 1 000 users: one or two words drawn from the corpus vocabulary
(bench/corpus.py, Zipf-distributed like the listings' words), a field filter on
40 % of them, a transfer-mode filter on 20 %, a few with filters only. Then, for
--samples new listings of the same corpus, it times `search.alerts.matching_searches`
(the real path: the generation row read, then the in-memory alert index of
`search.alert_index`, loaded once before the timing and reported apart with the
memory it took) and prints p50/p95/max in milliseconds and how many searches each
listing matched. Goal: p95 < 50 ms with 100 000 saved searches on the embedded
(SQLite) set-up.

Figures (2 shared cores, load average in brackets; `--samples 300`, SQLite):

    saved      code                        p50       p95      matched (median)
    100 000    before (SQL keys) [0.8]     257 ms    447 ms    7 923
    100 000    before (SQL keys) [5]       338 ms    770 ms    7 923
    100 000    before (SQL keys) [16]     1157 ms   2058 ms    7 923
    100 000    alert index [5], 2 runs     4-5 ms    11-13 ms   7 923
    100 000    alert index [17-18], 3 runs 16-20 ms  29-40 ms  7 923
    100 000    alert index [9-15], 3 runs  8-39 ms   16-85 ms  7 923  (2026-12-02)
    300 000    alert index [15-17]          42 ms     83 ms   24 132
    1 000 000  alert index [5-6]            66 ms    138 ms   78 254
    1 000 000  alert index [10-15]         117 ms    266 ms   78 254

The index loaded in 7 s at 100 000 (+57 MB resident; 14-17 s at load 17), 52 s at 300 000
(+145 MB), 77 s at 1 000 000 (+447 MB; 108 s at load 10-15). A listing
costs its ~70 look-ups, a subset test per group of searches under those keys, and
the searches it matches: each listing matches ~8 % of these searches, so the time grows
with the matches, linearly, as the memory and the first load do (see
docs/architecture.md, "Alerts").
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from flask_migrate import upgrade
from sqlalchemy import insert, text

from bench.corpus import CorpusGenerator
from core.extensions import db
from listings.rules import FIELDS, TransferMode
from search.alert_index import alert_index
from search.alerts import document_terms, matching_searches
from search.models import SavedSearch
from search.text.tokens import analyse

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
USERS = 1000
BATCH = 5000


def build(saved: int, rng: random.Random, corpus: CorpusGenerator) -> None:
    """Users and saved searches, by bulk inserts (the alert index loads them at its first use)."""
    from accounts.models import User

    db.session.execute(
        insert(User),
        [
            {"email": f"u{i}@bench.example", "name": f"u{i}", "password_hash": "x",
             "created_at": NOW, "locale": "zh_CN"}
            for i in range(1, USERS + 1)
        ],
    )  # fmt: skip
    modes = [m.value for m in TransferMode]
    fields = list(FIELDS)
    rows = []
    for search_id in range(1, saved + 1):
        words = [corpus.zh() for _ in range(rng.choice((0, 1, 1, 1, 2)))]
        filters: dict[str, list[str]] = {}
        if not words or rng.random() < 0.4:
            filters["field"] = [rng.choice(fields)]
        if rng.random() < 0.2:
            filters["transfer_mode"] = [rng.choice(modes)]
        query_text = " ".join(words)
        terms = analyse(query_text)
        rows.append(
            {"id": search_id, "user_id": rng.randint(1, USERS), "name": query_text or "—",
             "text": query_text, "terms": terms, "filters": filters, "frequency": "instant",
             "created_at": NOW}
        )  # fmt: skip
        if len(rows) >= BATCH:
            db.session.execute(insert(SavedSearch), rows)
            rows = []
    if rows:
        db.session.execute(insert(SavedSearch), rows)
    db.session.commit()


def resident_mb() -> float:
    """This process's resident set size (Linux), in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saved", type=int, default=100_000)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    from marketplace import create_app

    work = Path(tempfile.mkdtemp(prefix="bench-alerts-"))
    url = args.database_url or f"sqlite:///{work / 'bench.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SEARCH_INDEX_PATH": str(work / "s.db")})
    rng = random.Random(7)
    corpus = CorpusGenerator(seed=7)
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        started = time.perf_counter()
        build(args.saved, rng, corpus)
        print(f"{args.saved} saved searches built in {time.perf_counter() - started:.1f} s")
        before = resident_mb()
        started = time.perf_counter()
        alert_index().refresh(db.session)
        print(
            f"alert index of {len(alert_index())} searches loaded in "
            f"{time.perf_counter() - started:.1f} s, resident memory +{resident_mb() - before:.0f} MB"
        )
        timings, matched = [], []
        for doc in corpus.documents(args.samples, first_id=1):
            terms = document_terms(doc)
            started = time.perf_counter()
            found = matching_searches(terms)
            timings.append((time.perf_counter() - started) * 1000)
            matched.append(len(found))
            db.session.expunge_all()
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(
        f"alerts ({url.split(':')[0]}, "
        f"{args.saved} saved searches, {args.samples} new listings): "
        f"p50 {_median(timings):.1f} ms, p95 {p95:.1f} ms, max {timings[-1]:.1f} ms; "
        f"matched per listing: median {_median(matched):.0f}, max {max(matched)}"
    )


def _median(values: list[float] | list[int]) -> float:
    """The median (not `statistics.median`: run as a script, bench/statistics.py shadows it)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return (
        float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    )


if __name__ == "__main__":
    main()
