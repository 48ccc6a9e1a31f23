"""Where a search's time goes, per phase, on both backends (issue 13).

    .venv/bin/python bench/search_phases.py [--size 20000] [--rounds 5] [--keep DIR] [--cold]
                                            [--es-url URL | --no-es] [--es-alias NAME]
                                            [--profile LABEL] [--only LABEL]

Indexes bench/search.py's corpus of `--size` listings once (kept in `--keep`, and in
the Elasticsearch index `phases-<size>` or `--es-alias` when `--keep` is given, so later
runs start at once; bench/search_kept.py), then runs bench/search.py's query mix and
reports, per backend, each query's wall time split into phases, its CPU time (this
process's, plus the node's `took` summed over its searches), with the load average:

- analysis: query clauses (jieba, glossary, CC-CEDICT, pinyin, expansions), both passes;
- spelling: SymSpell corrections of a widened query's English words;
- embedded: matching (word and clause bitmaps), facets (popcounts), ranking (bm25 SQL),
  sorted pages, hydration (rows and highlighted snippets of the page's hits);
- Elasticsearch: round trips (`_msearch` calls), the node's own `took`, the client's
  time beyond it (HTTP, JSON), and hydration (highlighted snippets of the hits).

The figures are the medians over `--rounds` rounds (the first one dropped as cold).
`--cold` forgets, before each query, what only a repeated query reuses (analysed queries,
results remembered per generation, Elasticsearch's request cache). `--profile LABEL` runs the queries whose label starts with LABEL under cProfile instead.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.corpus import CorpusGenerator
from bench.search import BenchQuery, query_mix
from bench.search_kept import forget, kept_backends, load_avg
from search import embedded_index, es_index, widening
from search.backend import SearchBackend
from search.embedded_ranking import Ranker
from search.text.tokens import segment_for_index


def median(values: Iterable[float]) -> float:
    """The median (`statistics` would be bench/statistics.py, run as a script)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


PHASES: dict[str, float] = defaultdict(float)
COUNTS: dict[str, int] = defaultdict(int)


def _timed(phase: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            PHASES[phase] += (time.perf_counter() - start) * 1000
            COUNTS[phase] += 1

    return wrapper


def instrument() -> None:
    """Wrap the functions of each phase with timers (the measured code is not changed)."""
    widening.query_clauses = _timed("analysis", widening.query_clauses)
    widening.corrections = _timed("spelling", widening.corrections)
    index = embedded_index.EmbeddedIndex
    index._match_levels = _timed("match", index._match_levels)  # type: ignore[method-assign]
    index._hits = _timed("hydrate", index._hits)  # type: ignore[method-assign]
    index._sorted = _timed("sorted", index._sorted)  # type: ignore[method-assign]
    index._bitmaps = _timed("bitmaps", index._bitmaps)  # type: ignore[method-assign]
    Ranker.ranked = _timed("rank", Ranker.ranked)  # type: ignore[method-assign]
    es = es_index.ElasticsearchIndex
    original_msearch = es._msearch

    def msearch(self: Any, bodies: Any) -> Any:
        start = time.perf_counter()
        responses = original_msearch(self, bodies)
        PHASES["round trip"] += (time.perf_counter() - start) * 1000
        COUNTS["round trip"] += 1
        for response in responses or []:
            PHASES["es took"] += float(response.get("took", 0))
        return responses

    es._msearch = msearch  # type: ignore[method-assign]
    highlights = es_index.ElasticsearchIndex._search_once

    def search_once(self: Any, *args: Any) -> Any:
        return _timed("es pass", highlights)(self, *args)

    es._search_once = search_once  # type: ignore[method-assign]


def corpus_mix(size: int) -> tuple[CorpusGenerator, list[BenchQuery]]:
    generator = CorpusGenerator(seed=size)
    rare = [w for w in generator.zh.words[1500:6000:900] if segment_for_index(w) == w][:4]
    return generator, query_mix(rare)


def run(backend: SearchBackend, mix: list[BenchQuery], rounds: int, cold: bool) -> None:
    """The mix `rounds` + 1 times (the first warms caches); one line of medians per query."""
    timings: dict[int, list[tuple[float, dict[str, float], dict[str, int]]]] = defaultdict(list)
    matches: dict[int, int] = {}
    for round_no in range(rounds + 1):
        for i, query in enumerate(mix):
            if cold:
                forget(backend)
            PHASES.clear()
            COUNTS.clear()
            start, cpu = time.perf_counter(), time.process_time()
            result = backend.search(query.search_query())
            total = (time.perf_counter() - start) * 1000
            PHASES["cpu"] = (time.process_time() - cpu) * 1000 + PHASES.get("es took", 0.0)
            matches[i] = result.total
            if round_no:
                timings[i].append((total, dict(PHASES), dict(COUNTS)))
    names = (
        ["cpu", "analysis", "spelling", "match", "rank", "sorted", "hydrate"]
        if backend.name == "embedded"
        else ["cpu", "analysis", "spelling", "es took", "round trip", "es pass"]
    )
    print(
        f"\n{backend.name}: median ms per query over {rounds} rounds"
        f"{', caches forgotten before each' if cold else ''} (load {load_avg()})"
    )
    print(f"  {'query':<16} {'text':<24} {'total':>7} " + " ".join(f"{n:>10}" for n in names)
          + f" {'passes':>6} {'trips':>5} {'matches':>8}")  # fmt: skip
    every: list[float] = []
    every_cpu: list[float] = []
    for i, query in enumerate(mix):
        timed = timings[i]
        every += [t for t, _, _ in timed]
        every_cpu += [p["cpu"] for _, p, _ in timed]
        phase = {n: median(p.get(n, 0.0) for _, p, _ in timed) for n in names}
        counts = timed[0][2]
        print(
            f"  {query.label:<16} {query.text[:22]:<24} {median(t for t, _, _ in timed):>7.2f} "
            + " ".join(f"{phase[n]:>10.2f}" for n in names)
            + f" {counts.get('analysis', 0):>6} {counts.get('round trip', 0):>5} {matches[i]:>8,}"
        )
    for what, samples in (("wall", every), ("cpu", every_cpu)):
        ordered = sorted(samples)
        p95 = ordered[max(0, round(0.95 * len(ordered) + 0.5) - 1)]
        print(f"  {what}: p50 {median(ordered):.2f} ms, p95 {p95:.2f} ms over {len(ordered)}")
    print("  (cpu: this process's CPU time, plus the node's took summed over its searches)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", default="", help="folder keeping the embedded index")
    parser.add_argument("--es-url", default=os.environ.get("ELASTICSEARCH_URL"))
    parser.add_argument("--no-es", action="store_true")
    parser.add_argument("--es-alias", default="", help="the kept ES index (phases-<size>)")
    parser.add_argument("--profile", default="", help="cProfile the queries of this label")
    parser.add_argument("--cold", action="store_true", help="forget caches before each query")
    parser.add_argument("--only", default="", help="only the queries of labels starting so")
    args = parser.parse_args()
    _, mix = corpus_mix(args.size)
    if args.only:
        mix = [q for q in mix if q.label.startswith(args.only)]
    es_url = None if args.no_es else args.es_url
    with kept_backends(args.size, args.keep, es_url, args.es_alias) as found:
        if args.profile:
            chosen = [q for q in mix if q.label.startswith(args.profile)]
            for backend in found:
                for query in chosen:
                    backend.search(query.search_query())
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(args.rounds):
                    for query in chosen:
                        backend.search(query.search_query())
                profiler.disable()
                print(f"\n{backend.name}: {args.rounds} x {len(chosen)} queries")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
            return
        instrument()
        for backend in found:
            run(backend, mix, args.rounds, args.cold)


if __name__ == "__main__":
    main()
