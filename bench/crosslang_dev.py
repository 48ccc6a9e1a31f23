"""nDCG@10 of the rough English <-> Chinese development set (bench/judged/crosslang_dev.txt).

    .venv/bin/python bench/crosslang_dev.py [--es-url URL | --no-es] [--demo] [--verbose]

Not a judged set and not part of bench/relevance.py: one query per monolingual listing of
the judged corpus, graded roughly (see the file). Use it to see English <-> Chinese
bridge failures query by query without looking at the held-out half; never report it as
relevance. Every backend indexes the judged corpus (with --demo, the demo market's
listings too) and answers the development queries.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.judged import HERE, LISTINGS, JudgedQuery, demo_distractors
from bench.relevance import Run, evaluate
from search.elasticsearch import ElasticsearchBackend, make_client
from search.embedded import EmbeddedSearchBackend

DEV = "dev"


def load_dev_queries() -> list[JudgedQuery]:
    """The development queries: `query | id:grade ...`, English or Chinese."""
    queries = []
    for line in (HERE / "crosslang_dev.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        text, _, grades = (part.strip() for part in line.partition(" | "))
        pairs = (item.split(":") for item in grades.split())
        queries.append(JudgedQuery("crosslang", text, {int(i): int(g) for i, g in pairs}, DEV))
    return queries


def _mean(run: Run, queries: Sequence[JudgedQuery], chinese: bool | None = None) -> float:
    values = [
        run.scores[q.text] for q in queries if chinese is None or (not q.text.isascii()) == chinese
    ]
    return sum(values) / len(values) if values else 0.0


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--es-url", default=os.environ.get("ELASTICSEARCH_URL"), help="node URL")
    parser.add_argument("--no-es", action="store_true", help="embedded backend only")
    parser.add_argument("--demo", action="store_true", help="demo listings as distractors too")
    parser.add_argument("--verbose", action="store_true", help="one line per query")
    args = parser.parse_args(argv)
    queries = load_dev_queries()
    corpus = "judged+demo" if args.demo else "judged"
    docs = [*LISTINGS, *demo_distractors()] if args.demo else list(LISTINGS)
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="crosslang-dev-") as tmp:
        embedded = EmbeddedSearchBackend(Path(tmp) / "dev.db")
        runs.append(evaluate(embedded, "embedded", corpus, docs, queries))
        embedded.close()
    if args.es_url and not args.no_es:
        client = make_client(args.es_url.split(","), request_timeout=30)
        es = ElasticsearchBackend(client, alias=f"bench-crosslang-dev-{uuid.uuid4().hex[:8]}")
        try:
            runs.append(evaluate(es, "elasticsearch", corpus, docs, queries))
        finally:
            es.drop()
            client.close()
    english = sum(1 for q in queries if q.text.isascii())
    print(f"\ncrosslang development set: {len(queries)} queries ({english} English), "
          f"corpus {corpus}, nDCG@10")  # fmt: skip
    print(f"  {'backend':<13} {'all':>7} {'English':>8} {'Chinese':>8}   no result")
    for run in runs:
        empty = sum(1 for q in queries if run.totals.get(q.text, 1) == 0)
        print(f"  {run.backend:<13} {_mean(run, queries):>7.3f} {_mean(run, queries, False):>8.3f}"
              f" {_mean(run, queries, True):>8.3f}   {empty}")  # fmt: skip
    if args.verbose:
        for q in queries:
            cells = " ".join(f"{r.scores[q.text]:>7.3f} {r.totals[q.text]:>5}" for r in runs)
            print(f"  {q.text[:52]:<52} {cells}")


if __name__ == "__main__":
    main()
