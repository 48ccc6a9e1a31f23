"""Benchmark of the search backends: embedded, Elasticsearch and a naive LIKE baseline.

    .venv/bin/python bench/search.py [--sizes 10000,100000] [--rounds 5] [--verbose]
                                     [--es-url URL | --no-es]

For each corpus size: generate a realistic corpus (bench/corpus.py), index it
into an EmbeddedSearchBackend in a temporary directory and into a fresh
Elasticsearch index (indexing throughput, the app-side analysis included),
then run a query mix (common, mid-frequency and rare terms, Chinese and
English, with and without filters, several sorts and a deep page) with facet
counts as the search page asks for them, and report p50/p95 latency. The same
mix runs as `LIKE '%term%'` queries with GROUP BY facet counts on a plain
SQLite table of the same listings: the baseline.

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
from search.backend import FACETS, SearchBackend, SearchDocument, SearchQuery
from search.elasticsearch import Elasticsearch, ElasticsearchBackend, make_client
from search.embedded import EmbeddedSearchBackend
from search.text.tokens import segment_for_index

BATCH = 2000


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
    """The p-th percentile (nearest rank) of the samples."""
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def timed(call: Callable[[], object]) -> tuple[float, object]:
    """Milliseconds taken by `call` and its result."""
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


@dataclass
class SizeReport:
    """Figures for one corpus size."""

    size: int
    index_seconds: float = 0.0
    optimize_seconds: float = 0.0
    index_bytes: int = 0
    bitmap_ms: float = 0.0
    ours: list[float] = field(default_factory=list)
    ours_cold: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    per_query: list[tuple[str, str, int, float, float]] = field(default_factory=list)
    es_index_seconds: float = 0.0
    es_merge_seconds: float = 0.0
    es: list[float] = field(default_factory=list)
    es_cold: list[float] = field(default_factory=list)
    es_per_query: list[tuple[int, float]] = field(default_factory=list)  # (total, ms)


def run_size(
    size: int,
    rounds: int,
    baseline_rounds: int,
    workdir: Path,
    es: ElasticsearchBackend | None = None,
) -> SizeReport:
    """Index `size` listings, then time the query mix on every implementation."""
    report = SizeReport(size)
    generator = CorpusGenerator(seed=size)
    backend = EmbeddedSearchBackend(workdir / f"search-{size}.db")
    es_index = es.new_index() if es is not None else ""
    plain = sqlite3.connect(workdir / f"plain-{size}.db", isolation_level=None)
    plain.executescript(BASELINE_SCHEMA)

    print(f"\n== {size:,} listings: generating and indexing", flush=True)
    docs = generator.documents(size)
    done = 0
    while done < size:
        batch = [next(docs) for _ in range(min(BATCH, size - done))]
        ms, _ = timed(lambda b=batch: backend.index(b))
        report.index_seconds += ms / 1000
        if es is not None:
            ms, _ = timed(lambda b=batch: es.index_into(es_index, b, chunk_size=1000))
            report.es_index_seconds += ms / 1000
        plain.execute("BEGIN")
        plain.executemany(f"INSERT INTO listings VALUES ({','.join('?' * 16)})",
                          [baseline_row(d) for d in batch])  # fmt: skip
        plain.execute("COMMIT")
        done += len(batch)
        print(f"\r  {done:,} / {size:,}", end="", flush=True)
    ms, _ = timed(backend.optimize)
    report.optimize_seconds = ms / 1000
    report.index_bytes = sum(p.stat().st_size for p in workdir.glob(f"search-{size}.db*"))
    print(
        f"\r  embedded: indexed {size:,} in {report.index_seconds + report.optimize_seconds:.1f} s"
    )
    if es is not None:
        start = time.perf_counter()
        es.client.options(request_timeout=600).indices.forcemerge(
            index=es_index, max_num_segments=1
        )
        es.switch_alias(es_index)  # refresh on, refreshed, behind the alias
        report.es_merge_seconds = time.perf_counter() - start
        total = report.es_index_seconds + report.es_merge_seconds
        print(f"  elasticsearch: indexed {es.count():,} in {total:.1f} s")

    rare = [w for w in generator.zh.words[1500:6000:900] if segment_for_index(w) == w][:4]
    mix = query_mix(rare)
    report.bitmap_ms, _ = timed(lambda: backend.search(SearchQuery(text="", per_page=1)))
    modes = sorted({m for v in generator.modes for m in [v]})

    for round_no in range(rounds):
        for query in mix:
            ms, result = timed(lambda q=query: backend.search(q.search_query()))
            report.ours.append(ms)
            if round_no == 0:
                report.ours_cold.append(ms)
                report.per_query.append((query.label, query.text, result.total, ms, 0.0))  # type: ignore[attr-defined]
    print(f"  embedded: {len(report.ours)} queries", flush=True)
    if es is not None:
        for round_no in range(rounds):
            for query in mix:
                ms, result = timed(lambda q=query: es.search(q.search_query()))
                report.es.append(ms)
                if round_no == 0:
                    report.es_cold.append(ms)
                    report.es_per_query.append((result.total, ms))  # type: ignore[attr-defined]
        print(f"  elasticsearch: {len(report.es)} queries", flush=True)
    for round_no in range(baseline_rounds):
        for i, query in enumerate(mix):
            ms, _ = timed(lambda q=query: baseline_search(plain, q, modes))
            report.baseline.append(ms)
            if round_no == 0:
                label, text, total, ours_ms, _ = report.per_query[i]
                report.per_query[i] = (label, text, total, ours_ms, ms)
    print(f"  baseline: {len(report.baseline)} queries", flush=True)
    backend.close()
    plain.close()
    return report


def print_reports(reports: Sequence[SizeReport], verbose: bool) -> None:
    """The result table (and, verbose, one line per query of the first round)."""
    with_es = any(r.es for r in reports)
    print()
    header = (
        f"{'docs':>8} | {'backend':<13} | {'index docs/s':>12} | {'p50':>8} | {'p95':>8} | "
        f"{'cold p95':>8} | {'p95 vs LIKE':>11}"
    )
    print(header)
    print("-" * len(header))
    for r in reports:
        base95 = percentile(r.baseline, 95)
        rows = [
            ("embedded", r.size / (r.index_seconds + r.optimize_seconds), r.ours, r.ours_cold),
        ]
        if r.es:
            es_rate = r.size / (r.es_index_seconds + r.es_merge_seconds)
            rows.append(("elasticsearch", es_rate, r.es, r.es_cold))
        for name, rate, samples, cold in rows:
            p50, p95 = percentile(samples, 50), percentile(samples, 95)
            print(
                f"{r.size:>8,} | {name:<13} | {rate:>12,.0f} | {p50:>6.2f}ms | {p95:>6.2f}ms | "
                f"{percentile(cold, 95):>6.2f}ms | {base95 / p95:>10.0f}x"
            )
        base50 = percentile(r.baseline, 50)
        print(
            f"{r.size:>8,} | {'LIKE baseline':<13} | {'':>12} | {base50:>6.0f}ms | "
            f"{base95:>6.0f}ms | {'':>8} | {'':>11}"
        )
    print(
        "\nlatency: all rounds of the mix with facet counts, client side (cold: first round "
        "only); index docs/s includes the app-side analysis (jieba, stemming) and the final "
        "optimize / force-merge. Embedded facet bitmaps load once per index generation: "
        + ", ".join(f"{r.size:,}: {r.bitmap_ms:.0f} ms" for r in reports)
    )
    met = all(percentile(r.ours, 95) < 20 for r in reports)
    line = f"target p95 < 20 ms: embedded {'met' if met else 'MISSED'}"
    if with_es:
        es_met = all(r.es and percentile(r.es, 95) < 20 for r in reports)
        line += f", elasticsearch {'met' if es_met else 'MISSED'}"
    print(line)
    if verbose:
        for r in reports:
            print(f"\n{r.size:,} listings, first round, per query:")
            print(
                f"  {'query':<22} {'text':<28} {'matches':>8} {'embedded':>9} "
                f"{'es':>9} {'es matches':>10} {'LIKE':>9}"
            )
            for i, (label, text, total, ours_ms, base_ms) in enumerate(r.per_query):
                es_total, es_ms = r.es_per_query[i] if r.es_per_query else (0, 0.0)
                print(
                    f"  {label:<22} {text:<28} {total:>8,} {ours_ms:>7.2f}ms "
                    f"{es_ms:>7.2f}ms {es_total:>10,} {base_ms:>7.0f}ms"
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


SearchReportLike = SizeReport


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments, run every size on every backend, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the mix (backends)")
    parser.add_argument("--baseline-rounds", type=int, default=1, help="rounds (baseline)")
    parser.add_argument("--es-url", default=os.environ.get("ELASTICSEARCH_URL"), help="node URL")
    parser.add_argument("--no-es", action="store_true", help="embedded and baseline only")
    parser.add_argument("--verbose", action="store_true", help="one line per query")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        if args.no_es:
            reports = [run_size(n, args.rounds, args.baseline_rounds, Path(tmp)) for n in sizes]
            print_reports(reports, args.verbose)
            relevance([EmbeddedSearchBackend(Path(tmp) / "judged.db")], args.verbose)
            return
        with elasticsearch_node(args.es_url) as url:
            client = make_client(url.split(","), request_timeout=30)
            run = uuid.uuid4().hex[:8]
            created: list[ElasticsearchBackend] = []
            try:
                warm_up(client, f"bench-{run}-warm-up")
                reports = []
                for n in sizes:
                    es = ElasticsearchBackend(client, alias=f"bench-{run}-{n}")
                    created.append(es)
                    reports.append(run_size(n, args.rounds, args.baseline_rounds, Path(tmp), es))
                    es.drop()  # free the node's heap and disk before the next size
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
