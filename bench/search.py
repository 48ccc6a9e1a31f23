"""Benchmark of the search backends: embedded, Elasticsearch and a naive LIKE baseline.

    .venv/bin/python bench/search.py [--sizes 10000,100000] [--rounds 5] [--verbose]
                                     [--keep DIR] [--es-url URL | --no-es]
                                     [--es-alias NAME] [--es-only]

For each corpus size: generate a realistic corpus (bench/corpus.py), index it
into an EmbeddedSearchBackend and a fresh Elasticsearch index (indexing
throughput, the app-side analysis included), or with `--keep DIR` open the
indices an earlier run kept there (the embedded file `DIR/phases-<size>.db`, the
Elasticsearch alias `phases-<size>`, shared with bench/search_phases.py), then run
a query mix (common, mid-frequency and rare terms, Chinese and English, with and
without filters, several sorts, a deep page, and the wider queries) with facet
counts as the search page asks for them. The same mix runs as `LIKE '%term%'`
queries with GROUP BY facet counts on a plain SQLite table of the same listings:
the baseline. `--es-alias NAME` keeps the Elasticsearch index behind NAME instead
(one size); `--es-only` times Elasticsearch alone (no embedded index, no baseline).

The figure of record is the p95 of NEVER-SEEN queries: every query timed with what
only a repeated query reuses forgotten first (analysed queries, the embedded
results cache, Elasticsearch's request cache), with its CPU time (this process's,
plus the node's `took`) and the load average; p50/p95 of the mix as repeated in
production are printed beside it.

Relevance: both backends index the hand-written corpus of bench/judgements.py
and answer its judged queries; the report gives nDCG@10 (graded 0-3).

Elasticsearch: the node of --es-url or ELASTICSEARCH_URL; otherwise one is
started with devservices/elasticsearch.sh and stopped afterwards.
"""

from __future__ import annotations

import argparse
import math
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path and `search` would be us.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.corpus import CorpusGenerator
from bench.judgements import JUDGEMENTS, LISTINGS
from bench.search_kept import NodeTook, forget, kept_backends, load_avg, timed_search
from search.backend import FACETS, SearchBackend, SearchDocument, SearchQuery
from search.elasticsearch import Elasticsearch, ElasticsearchBackend, make_client
from search.embedded import EmbeddedSearchBackend
from search.text.tokens import segment_for_index


@dataclass(frozen=True)
class BenchQuery:
    """One query of the mix, with a label for the report."""

    label: str
    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1

    def search_query(self) -> SearchQuery:
        """As the search page sends it: 20 a page, facets counted."""
        return SearchQuery(text=self.text, filters=self.filters, sort=self.sort, page=self.page)


def wider_queries() -> list[BenchQuery]:
    """Queries that take the wider paths: sentence-like text (filler dropped, many clauses,
    often widened to a minimum share of words), English bridged to Chinese (glossary and
    CC-CEDICT clauses), pinyin, abbreviations, typos (spelling corrections and typo matches
    after widening) and word mixes that no listing holds together (the widened pass)."""
    return [
        BenchQuery("sentence zh", "一种用于锂离子电池的石墨烯复合正极材料及其制备方法"),
        BenchQuery("sentence zh", "基于深度学习的无人机图像识别系统"),
        BenchQuery(
            "sentence en", "method for preparing a graphene composite catalyst for fuel cells"
        ),
        BenchQuery("bridged en", "lithium battery cathode"),
        BenchQuery("bridged en", "drone navigation"),
        BenchQuery("bridged en", "vaccine antibody"),
        BenchQuery("pinyin", "shimoxi"),
        BenchQuery("abbreviation", "PEM 燃料电池"),
        BenchQuery("typo en", "grapheme sensr"),
        BenchQuery("typo en", "catalist"),
        BenchQuery("widened zh", "石墨烯 疫苗 灌溉 芯片 轴承"),
        BenchQuery("widened mixed", "区块链 battery 育种 lidar"),
    ]


def query_mix(rare_zh: Sequence[str]) -> list[BenchQuery]:
    """The query mix: what people type on a technology market, common to rare."""
    return [
        BenchQuery("common zh", "制备方法"),
        BenchQuery("common zh", "方法"),
        BenchQuery("common zh", "一种 系统"),
        BenchQuery("common en", "method"),
        BenchQuery("common en", "system"),
        BenchQuery("common zh page 5", "方法", page=5),
        BenchQuery("common zh newest", "制备方法", sort="newest"),
        BenchQuery("common zh price", "方法", sort="price_asc"),
        BenchQuery("common + filter", "方法", {"field": ("energy", "materials")}),
        BenchQuery("common + 2 filters", "method", {"trl": ("7", "8", "9"), "region": ("北京",)}),
        BenchQuery("mid zh", "石墨烯"),
        BenchQuery("mid zh", "锂离子电池"),
        BenchQuery("mid zh", "传感器 检测"),
        BenchQuery("mid en", "catalyst"),
        BenchQuery("mid en", "neural network"),
        BenchQuery("mid + filter", "电池", {"transfer_mode": ("equity",)}),
        BenchQuery("mid trl sort", "材料", sort="trl_desc"),
        *(BenchQuery("rare zh", word) for word in rare_zh),
        BenchQuery("rare en", "spectrometer chromatography"),
        *wider_queries(),
        BenchQuery("browse all"),
        BenchQuery("browse filtered", "", {"region": ("上海",), "price_band": ("1m_5m",)}),
        BenchQuery("browse price", "", {"field": ("biomed",)}, sort="price_desc"),
    ]


# -- the baseline: a plain table, LIKE and GROUP BY ---------------------------------------------

BASELINE_SCHEMA = """
CREATE TABLE listings (
    id INTEGER PRIMARY KEY, title_zh TEXT, title_en TEXT, summary_zh TEXT, summary_en TEXT,
    body TEXT, people TEXT, field TEXT, ipc_section TEXT, transfer_modes TEXT, trl INTEGER,
    region TEXT, price_band TEXT, price INTEGER, published_at REAL, advancement TEXT
);
CREATE INDEX listings_field ON listings (field);
CREATE INDEX listings_published ON listings (published_at);
CREATE INDEX listings_price ON listings (price);
"""
TEXT_COLUMNS = ("title_zh", "title_en", "summary_zh", "summary_en", "body", "people")
BASELINE_ORDER = {
    "relevance": "published_at DESC",
    "newest": "published_at DESC",
    "price_asc": "price IS NULL, price ASC",
    "price_desc": "price IS NULL, price DESC",
    "trl_desc": "trl DESC, published_at DESC",
}


def baseline_row(doc: SearchDocument) -> tuple[object, ...]:
    """A listing as the naive implementation stores it."""
    return (
        doc.id,
        doc.title_zh,
        doc.title_en,
        doc.summary_zh,
        doc.summary_en,
        doc.body,
        " ".join((*doc.inventors, doc.holder)),
        doc.field,
        doc.ipc_section,
        "," + ",".join(doc.transfer_modes) + ",",
        doc.trl,
        doc.region,
        doc.price_band,
        doc.asking_price_minor,
        doc.published_at.timestamp(),
        doc.advancement,
    )


def _baseline_where(query: BenchQuery, skip_facet: str | None = None) -> tuple[str, list[object]]:
    clauses: list[str] = ["1"]
    params: list[object] = []
    for word in query.text.split():
        clauses.append("(" + " OR ".join(f"{c} LIKE ?" for c in TEXT_COLUMNS) + ")")
        params.extend([f"%{word}%"] * len(TEXT_COLUMNS))
    for facet, values in query.filters.items():
        if facet == skip_facet:
            continue
        if facet == "transfer_mode":
            clauses.append("(" + " OR ".join("transfer_modes LIKE ?" for _ in values) + ")")
            params.extend(f"%,{v},%" for v in values)
        else:
            clauses.append(f"{facet} IN ({','.join('?' for _ in values)})")
            params.extend(int(v) if facet == "trl" else v for v in values)
    return " AND ".join(clauses), params


def baseline_search(conn: sqlite3.Connection, query: BenchQuery, modes: Sequence[str]) -> int:
    """The naive search: LIKE for each word, a count, GROUP BY per facet, one ordered page."""
    where, params = _baseline_where(query)
    total = conn.execute(f"SELECT count(*) FROM listings WHERE {where}", params).fetchone()[0]
    conn.execute(
        f"SELECT id, title_zh, title_en, summary_zh, summary_en FROM listings WHERE {where} "
        f"ORDER BY {BASELINE_ORDER[query.sort]} LIMIT 20 OFFSET ?",
        [*params, (query.page - 1) * 20],
    ).fetchall()
    for facet in FACETS:
        where, params = _baseline_where(query, skip_facet=facet)
        if facet == "transfer_mode":
            for mode in modes:
                conn.execute(
                    f"SELECT count(*) FROM listings WHERE {where} AND transfer_modes LIKE ?",
                    [*params, f"%,{mode},%"],
                ).fetchone()
        else:
            conn.execute(
                f"SELECT {facet}, count(*) FROM listings WHERE {where} GROUP BY {facet}", params
            ).fetchall()
    return int(total)


# -- measuring ----------------------------------------------------------------------------------


def percentile(samples: Sequence[float], p: float) -> float:
    """The p-th percentile (nearest rank) of the samples (NaN when there are none)."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def timed(call: Callable[[], object]) -> tuple[float, object]:
    """Milliseconds taken by `call` and its result."""
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


@dataclass
class Samples:
    """One backend's times for the mix at one size (wall ms unless said)."""

    name: str
    index_rate: float | None = None  # documents a second; None: kept from an earlier run
    repeated: list[float] = field(default_factory=list)  # every round, caches as in production
    first: list[float] = field(default_factory=list)  # the first round
    never_seen: list[float] = field(default_factory=list)  # caches forgotten before each query
    never_seen_cpu: list[float] = field(default_factory=list)  # this process + the node's took
    per_query: list[tuple[int, list[float]]] = field(default_factory=list)  # matches, never-seen


@dataclass
class SizeReport:
    """Figures for one corpus size."""

    size: int
    mix: list[BenchQuery] = field(default_factory=list)
    load: str = ""  # the load average while the mix ran
    bitmap_ms: float = 0.0
    backends: list[Samples] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    baseline_per_query: list[float] = field(default_factory=list)


def measure(backend: SearchBackend, mix: Sequence[BenchQuery], rounds: int) -> Samples:
    """The mix `rounds` times as repeated in production, then `rounds` times never seen."""
    samples = Samples(backend.name)
    took = NodeTook(backend)
    for round_no in range(rounds):
        for query in mix:
            ms, _, _ = timed_search(backend, query.search_query(), took)
            samples.repeated.append(ms)
            if round_no == 0:
                samples.first.append(ms)
    samples.per_query = [(0, []) for _ in mix]
    for _ in range(rounds):
        for i, query in enumerate(mix):
            forget(backend)
            ms, cpu_ms, result = timed_search(backend, query.search_query(), took)
            samples.never_seen.append(ms)
            samples.never_seen_cpu.append(cpu_ms)
            samples.per_query[i] = (result.total, [*samples.per_query[i][1], ms])
    print(f"  {backend.name}: {len(mix)} queries x {rounds} rounds x 2", flush=True)
    return samples


def baseline_db(path: Path, size: int) -> sqlite3.Connection:
    """The LIKE baseline's plain table of the corpus (kept in `path` for the next run)."""
    fresh = not path.exists()
    plain = sqlite3.connect(path, isolation_level=None)
    if fresh:
        plain.executescript(BASELINE_SCHEMA)
        docs = CorpusGenerator(seed=size).documents(size)
        plain.execute("BEGIN")
        plain.executemany(f"INSERT INTO listings VALUES ({','.join('?' * 16)})",
                          (baseline_row(d) for d in docs))  # fmt: skip
        plain.execute("COMMIT")
    return plain


def run_size(
    size: int,
    rounds: int,
    baseline_rounds: int,
    keep: str,
    es_url: str | None,
    es_alias: str = "",
    es_only: bool = False,
) -> SizeReport:
    """Index `size` listings (or open the kept indices), then time the mix on each."""
    generator = CorpusGenerator(seed=size)
    rare = [w for w in generator.zh.words[1500:6000:900] if segment_for_index(w) == w][:4]
    mix = query_mix(rare)
    report = SizeReport(size, mix)
    modes = sorted({m for v in generator.modes for m in [v]})
    print(f"\n== {size:,} listings: {'kept in ' + keep if keep else 'indexing'}", flush=True)
    seconds: dict[str, float] = {}
    with kept_backends(
        size, keep, es_url, es_alias, load_seconds=seconds, embedded_too=not es_only
    ) as found:
        if not es_only:
            report.bitmap_ms, _ = timed(lambda: found[0].search(SearchQuery(text="", per_page=1)))
        report.load = load_avg()
        for backend in found:
            samples = measure(backend, mix, rounds)
            if backend.name in seconds:
                samples.index_rate = size / seconds[backend.name]
            report.backends.append(samples)
        report.baseline_per_query = [math.nan] * len(mix)
        if not es_only:
            time_baseline(report, size, baseline_rounds, keep, modes)
        report.load += f" .. {load_avg()}"
    return report


def time_baseline(report: SizeReport, size: int, rounds: int, keep: str, modes: list[str]) -> None:
    """The LIKE baseline's times of the mix (its table kept in `keep`, if given)."""
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        plain = baseline_db(Path(keep or tmp) / f"plain-{size}.db", size)
        for round_no in range(rounds):
            for i, query in enumerate(report.mix):
                ms, _ = timed(lambda q=query: baseline_search(plain, q, modes))
                report.baseline.append(ms)
                if round_no == 0:
                    report.baseline_per_query[i] = ms
        plain.close()


def print_reports(reports: Sequence[SizeReport], verbose: bool) -> None:
    """The result table, the figure of record, and (verbose) one line per query."""
    print()
    header = (
        f"{'docs':>8} | {'backend':<13} | {'index docs/s':>12} | {'p50':>8} | {'p95':>8} | "
        f"{'first p95':>9} | {'NEVER-SEEN p95':>14} | {'its CPU p95':>11} | {'p95 vs LIKE':>11}"
    )
    print(header)
    print("-" * len(header))
    for r in reports:
        base95 = percentile(r.baseline, 95)
        for s in r.backends:
            rate = f"{s.index_rate:,.0f}" if s.index_rate else "kept"
            never = percentile(s.never_seen, 95)
            print(
                f"{r.size:>8,} | {s.name:<13} | {rate:>12} | "
                f"{percentile(s.repeated, 50):>6.2f}ms | {percentile(s.repeated, 95):>6.2f}ms | "
                f"{percentile(s.first, 95):>7.2f}ms | {never:>12.2f}ms | "
                f"{percentile(s.never_seen_cpu, 95):>9.2f}ms | {base95 / never:>10.0f}x"
            )
        print(
            f"{r.size:>8,} | {'LIKE baseline':<13} | {'':>12} | "
            f"{percentile(r.baseline, 50):>6.0f}ms | {base95:>6.0f}ms |"
        )
    print(
        "\nlatency: wall ms of the mix with facet counts, client side. p50/p95: every round, "
        "caches as in production (repeats answered from the results / request caches); first: "
        "the first round; NEVER-SEEN: every round with what only a repeated query reuses "
        "forgotten before each query (analysed queries, results, ES request cache), the "
        "figure of record; its CPU: this process's CPU ms plus the node's took. Embedded "
        "bitmaps load once per index generation: "
        + ", ".join(f"{r.size:,}: {r.bitmap_ms:.0f} ms" for r in reports)
    )
    for r in reports:
        verdicts = ", ".join(
            f"{s.name} {percentile(s.never_seen, 95):.2f} ms "
            f"({'met' if percentile(s.never_seen, 95) < 20 else 'MISSED'}; "
            f"CPU {percentile(s.never_seen_cpu, 95):.2f} ms)"
            for s in r.backends
        )
        print(f"{r.size:,}: never-seen p95 (target < 20 ms): {verdicts}; load {r.load}")
    if verbose:
        for r in reports:
            print(f"\n{r.size:,} listings, per query: matches, median never-seen ms, LIKE ms")
            names = " ".join(f"{s.name[:13]:>24}" for s in r.backends)
            print(f"  {'query':<20} {'text':<26} {names} {'LIKE':>8}")
            for i, query in enumerate(r.mix):
                cells = " ".join(
                    f"{s.per_query[i][0]:>12,} {percentile(s.per_query[i][1], 50):>9.2f}ms"
                    for s in r.backends
                )
                print(
                    f"  {query.label:<20} {query.text[:24]:<26} {cells} "
                    f"{r.baseline_per_query[i]:>6.0f}ms"
                )


# -- relevance ----------------------------------------------------------------------------------


def ndcg_at(ranked: Sequence[int], grades: dict[int, int], k: int = 10) -> float:
    """nDCG@k with gains 2^grade - 1; 1.0 when the first k are the best possible order."""
    dcg = sum(
        (2 ** grades.get(doc_id, 0) - 1) / math.log2(i + 2) for i, doc_id in enumerate(ranked[:k])
    )
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**grade - 1) / math.log2(i + 2) for i, grade in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def relevance(backends: Sequence[SearchBackend], verbose: bool) -> dict[str, float]:
    """Mean nDCG@10 of every backend over the judged queries (bench/judgements.py)."""
    per_query: dict[str, list[float]] = {b.name: [] for b in backends}
    for backend in backends:
        backend.index(LISTINGS)
        if isinstance(backend, ElasticsearchBackend):
            backend.refresh()
    for text, grades in JUDGEMENTS.items():
        for backend in backends:
            hits = backend.search(SearchQuery(text=text, per_page=10, with_facets=False)).hits
            per_query[backend.name].append(ndcg_at([hit.id for hit in hits], grades))
    means = {name: sum(values) / len(values) for name, values in per_query.items()}
    print(f"\nrelevance on {len(LISTINGS)} hand-judged listings, {len(JUDGEMENTS)} queries:")
    if verbose:
        print(f"  {'query':<32} " + " ".join(f"{name:>13}" for name in per_query))
        for i, text in enumerate(JUDGEMENTS):
            print(f"  {text:<32} " + " ".join(f"{v[i]:>13.3f}" for v in per_query.values()))
    for name, mean in means.items():
        verdict = "met" if mean >= 0.85 else "MISSED"
        print(f"  nDCG@10 {name:<13} {mean:.3f}  (target >= 0.85: {verdict})")
    return means


# -- Elasticsearch ------------------------------------------------------------------------------


def warm_up(client: Elasticsearch, alias: str, rounds: int = 30) -> None:
    """Exercise a freshly started node's JVM (JIT) on a tiny index before anything is timed.

    Without it the first size pays the JVM's warm-up (the first queries of a new
    node take 30-140 ms); the indices measured afterwards are still fresh, so the
    "cold" column keeps meaning the first queries on a new index.
    """
    backend = ElasticsearchBackend(client, alias=alias, refresh_on_write=True)
    try:
        backend.index(LISTINGS)
        mix = query_mix(["锂离子", "疫苗", "灌溉", "芯片"])
        for _ in range(rounds):
            for query in mix:
                backend.search(query.search_query())
    finally:
        backend.drop()


@contextmanager
def elasticsearch_node(url: str | None) -> Iterator[str]:
    """The given node, or one started with devservices/elasticsearch.sh for the run."""
    if url:
        yield url
        return
    script = ROOT / "devservices" / "elasticsearch.sh"
    print("starting Elasticsearch (devservices/elasticsearch.sh start) ...", flush=True)
    started = subprocess.run([str(script), "start"], capture_output=True, text=True, check=True)
    try:
        yield started.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([str(script), "stop"], capture_output=True, check=False)
        print("stopped Elasticsearch", flush=True)


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments, run every size on every backend, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the mix (backends)")
    parser.add_argument("--baseline-rounds", type=int, default=1, help="rounds (baseline)")
    parser.add_argument("--es-url", default=os.environ.get("ELASTICSEARCH_URL"), help="node URL")
    parser.add_argument("--no-es", action="store_true", help="embedded and baseline only")
    parser.add_argument("--keep", default="", help="folder keeping the indices between runs")
    parser.add_argument("--es-alias", default="", help="the kept ES index (phases-<size>)")
    parser.add_argument("--es-only", action="store_true", help="Elasticsearch alone")
    parser.add_argument("--verbose", action="store_true", help="one line per query")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        if args.no_es:
            reports = [
                run_size(n, args.rounds, args.baseline_rounds, args.keep, None) for n in sizes
            ]
            print_reports(reports, args.verbose)
            relevance([EmbeddedSearchBackend(Path(tmp) / "judged.db")], args.verbose)
            return
        with elasticsearch_node(args.es_url) as url:
            client = make_client(url.split(","), request_timeout=30)
            run = uuid.uuid4().hex[:8]
            created: list[ElasticsearchBackend] = []
            try:
                warm_up(client, f"bench-{run}-warm-up")
                reports = [run_size(n, args.rounds, args.baseline_rounds, args.keep, url,
                                    args.es_alias, args.es_only) for n in sizes]  # fmt: skip
                print_reports(reports, args.verbose)
                judged = ElasticsearchBackend(client, alias=f"bench-{run}-judged")
                created.append(judged)
                relevance([EmbeddedSearchBackend(Path(tmp) / "judged.db"), judged], args.verbose)
            finally:
                for backend in created:
                    backend.drop()
                client.close()


if __name__ == "__main__":
    main()
