"""Check that the Python bm25 with kept instance counts (search.embedded_counts) ranks as the
scoring it replaced: the bench query mix, and variants, on a generated corpus.

    .venv/bin/python bench/rescoring_same.py OLD_CHECKOUT [--size 5000]

OLD_CHECKOUT is a checkout of the code before (its search/embedded_scoring.py is loaded
beside ours). Every search runs three ways: the old Rescorer, the new one (Python scoring
taken whenever it can be: POSTINGS_PER_CANDIDATE 0) and FTS5's own bm25() (never Python);
the ids in order, scores, totals and facets must be the same. Prints the differences.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.corpus import CorpusGenerator
from bench.search import query_mix
from search import embedded_ranking
from search.backend import SearchQuery
from search.embedded import EmbeddedSearchBackend
from search.text.tokens import segment_for_index


def old_rescorer_class(checkout: Path) -> type:
    """The Rescorer of another checkout, loaded as a module of its own."""
    spec = importlib.util.spec_from_file_location(
        "old_embedded_scoring", checkout / "search" / "embedded_scoring.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.Rescorer  # type: ignore[no-any-return]


def queries(size: int) -> list[SearchQuery]:
    """The bench mix, each on pages 1 and 2, with and without a filter."""
    generator = CorpusGenerator(seed=size)
    rare = [w for w in generator.zh.words[1500:6000:900] if segment_for_index(w) == w][:4]
    made = []
    for bench in query_mix(rare):
        for page in (1, 2):
            for extra in ({}, {"field": ("energy", "materials")}):
                made.append(
                    SearchQuery(
                        text=bench.text,
                        filters={**bench.filters, **extra},
                        sort=bench.sort,
                        page=bench.page + page - 1,
                    )
                )
    return made


def run(backend: EmbeddedSearchBackend, mix: Sequence[SearchQuery]) -> list[object]:
    """What each search returns: total, ids and scores in order, facets."""
    out = []
    for query in mix:
        for index in (backend, *backend._kinds.values()):
            index._results.size = 0
        result = backend.search(query)
        out.append((result.total, [(h.id, h.score) for h in result.hits], result.facets))
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("old", type=Path)
    parser.add_argument("--size", type=int, default=5000)
    args = parser.parse_args(argv)
    old = old_rescorer_class(args.old)
    with tempfile.TemporaryDirectory() as folder:
        backend = EmbeddedSearchBackend(Path(folder) / "search.db")
        backend.index(list(CorpusGenerator(seed=args.size).documents(args.size)))
        mix = queries(args.size)
        embedded_ranking.POSTINGS_PER_CANDIDATE = 0
        new_results = run(backend, mix)
        words = sum(
            len(i.ranker.rescorer.counts._words) for i in (backend, *backend._kinds.values())
        )
        for index in (backend, *backend._kinds.values()):
            r = index.ranker.rescorer
            index.ranker.rescorer = old(r.fts, r.columns, r.weights)
        old_results = run(backend, mix)
        embedded_ranking.POSTINGS_PER_CANDIDATE = 10**12
        sql_results = run(backend, mix)
    differ = 0
    for query, new, before, sql in zip(mix, new_results, old_results, sql_results, strict=True):
        if not new == before == sql:
            differ += 1
            print(f"DIFFERS: {query.text!r} {query.filters} page {query.page}")
    searched = sum(1 for _, hits, _ in new_results if hits)
    print(
        f"{len(mix)} searches ({searched} with hits) at {args.size:,} listings, "
        f"{words} words' counts kept: {differ} differ"
    )
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
