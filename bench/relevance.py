"""Relevance on the judged set of issue 13 (bench/judged): nDCG@10, tuning and held-out halves.

    .venv/bin/python bench/relevance.py [--es-url URL | --no-es] [--verbose] [--half tuning]

Every backend indexes the judged corpus (304 listings) and answers the 122 judged queries;
then again with the demo market's listings added as distractors. The report gives, per
backend and corpus, the mean nDCG@10 (gains 2^grade - 1) of the tuning half and of the
held-out half, the queries that found nothing, and (--verbose) every query's score with its
class. Elasticsearch: the node of --es-url or ELASTICSEARCH_URL; without one, embedded only.

Tune on the tuning half; the held-out half is the figure to report.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.judged import CLASSES, HELD_OUT, LISTINGS, QUERIES, TUNING, JudgedQuery, demo_distractors
from bench.search import ndcg_at
from search.backend import SearchBackend, SearchDocument, SearchQuery
from search.elasticsearch import ElasticsearchBackend, make_client
from search.embedded import EmbeddedSearchBackend

TARGET = 0.9


@dataclass
class Run:
    """One backend on one corpus: every query's nDCG@10 and number of matches."""

    backend: str
    corpus: str
    scores: dict[str, float] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    def mean(self, split: str, cls: str | None = None) -> float:
        values = [
            self.scores[q.text]
            for q in QUERIES
            if q.split == split and (cls is None or q.cls == cls) and q.text in self.scores
        ]
        return sum(values) / len(values) if values else 0.0

    @property
    def label(self) -> str:
        return f"{'es' if self.backend == 'elasticsearch' else 'emb'}/{self.corpus}"

    def empty(self, split: str) -> int:
        return sum(1 for q in QUERIES if q.split == split and self.totals.get(q.text, 1) == 0)


def evaluate(backend: SearchBackend, name: str, corpus: str, docs: Sequence[SearchDocument],
             queries: Sequence[JudgedQuery]) -> Run:  # fmt: skip
    """Index `docs` into `backend`, run every judged query, score the first ten hits."""
    backend.index(docs)
    if isinstance(backend, ElasticsearchBackend):
        backend.refresh()
    run = Run(name, corpus)
    for query in queries:
        result = backend.search(SearchQuery(text=query.text, per_page=10, with_facets=False))
        run.scores[query.text] = ndcg_at([hit.id for hit in result.hits], query.grades)
        run.totals[query.text] = result.total
    return run


def report(runs: Sequence[Run], verbose: bool, half: str | None = None) -> None:
    """The table: held-out and tuning nDCG@10 and zero-result queries per backend and corpus.

    With `half`, only that half's queries were run, so only that half is reported."""
    shown = [h for h in (HELD_OUT, TUNING) if half is None or h == half]
    counts = {s: sum(1 for q in QUERIES if q.split == s) for s in (TUNING, HELD_OUT)}
    print(
        f"\nrelevance on the judged set: {len(LISTINGS)} listings, {len(QUERIES)} queries "
        f"({counts[TUNING]} tuning, {counts[HELD_OUT]} held-out), nDCG@10"
    )
    print(f"  {'backend':<13} {'corpus':<18} " + " ".join(f"{h:>8}" for h in shown)
          + f"   no result ({' / '.join(shown)})")  # fmt: skip
    for run in runs:
        means = " ".join(f"{run.mean(h):>8.3f}" for h in shown)
        empties = " / ".join(str(run.empty(h)) for h in shown)
        print(f"  {run.backend:<13} {run.corpus:<18} {means}   {empties}")
    for h in shown:
        print(f"\n  {h} nDCG@10 by failure class:")
        print(f"  {'class':<12} " + " ".join(f"{r.label:>16}" for r in runs))
        for cls in CLASSES:
            print(f"  {cls:<12} " + " ".join(f"{r.mean(h, cls):>16.3f}" for r in runs))
    if HELD_OUT in shown:
        for run in runs:
            verdict = "met" if run.mean(HELD_OUT) >= TARGET else "MISSED"
            print(f"  target held-out >= {TARGET} ({run.backend}, {run.corpus}): {verdict}")
    if verbose:
        print(f"\n  {'half':<8} {'class':<12} {'query':<44} " + " ".join(
            f"{r.label + ' (n)':>16}" for r in runs))  # fmt: skip
        for q in sorted(QUERIES, key=lambda q: (q.split, q.cls)):
            if q.split not in shown:
                continue
            cells = " ".join(f"{r.scores[q.text]:>9.3f} {r.totals[q.text]:>6}" for r in runs)
            print(f"  {q.split:<8} {q.cls:<12} {q.text[:44]:<44} {cells}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--es-url", default=os.environ.get("ELASTICSEARCH_URL"), help="node URL")
    parser.add_argument("--no-es", action="store_true", help="embedded backend only")
    parser.add_argument("--verbose", action="store_true", help="one line per query")
    parser.add_argument(
        "--half", choices=(TUNING, HELD_OUT), help="run and report only this half's queries"
    )
    args = parser.parse_args(argv)
    queries = [q for q in QUERIES if args.half is None or q.split == args.half]
    corpora = {
        "judged": list(LISTINGS),
        "judged+demo": [*LISTINGS, *demo_distractors()],
    }
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="relevance-bench-") as tmp:
        for corpus, docs in corpora.items():
            embedded = EmbeddedSearchBackend(Path(tmp) / f"{corpus}.db")
            runs.append(evaluate(embedded, "embedded", corpus, docs, queries))
            embedded.close()
        if args.es_url and not args.no_es:
            client = make_client(args.es_url.split(","), request_timeout=30)
            run_id = uuid.uuid4().hex[:8]
            try:
                for corpus, docs in corpora.items():
                    es = ElasticsearchBackend(
                        client, alias=f"bench-relevance-{run_id}-{corpus.replace('+', '-')}"
                    )
                    try:
                        runs.append(evaluate(es, "elasticsearch", corpus, docs, queries))
                    finally:
                        es.drop()
            finally:
                client.close()
    report(runs, args.verbose, args.half)


if __name__ == "__main__":
    main()
