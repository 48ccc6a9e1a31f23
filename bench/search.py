"""Benchmark of the embedded search backend against a naive LIKE baseline.

    .venv/bin/python bench/search.py [--sizes 10000,100000] [--rounds 5] [--verbose]

For each corpus size: generate a realistic corpus (bench/corpus.py), index it
into an EmbeddedSearchBackend in a temporary directory (indexing throughput),
then run a query mix (common, mid-frequency and rare terms, Chinese and
English, with and without filters, several sorts and a deep page) with facet
counts as the search page asks for them, and report p50/p95 latency. The same
mix runs as `LIKE '%term%'` queries with GROUP BY facet counts on a plain
SQLite table of the same listings: the baseline.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path and `search` would be us.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench.corpus import CorpusGenerator
from search.backend import FACETS, SearchDocument, SearchQuery
from search.embedded import EmbeddedSearchBackend
from search.text import segment_for_index

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
        BenchQuery("browse all"),
        BenchQuery("browse filtered", "", {"region": ("上海",), "price_band": ("1m_5m",)}),
        BenchQuery("browse price", "", {"field": ("biomed",)}, sort="price_desc"),
    ]


# -- the baseline: a plain table, LIKE and GROUP BY ---------------------------------------------

BASELINE_SCHEMA = """
CREATE TABLE listings (
    id INTEGER PRIMARY KEY, title_zh TEXT, title_en TEXT, summary_zh TEXT, summary_en TEXT,
    body TEXT, people TEXT, field TEXT, ipc_section TEXT, transfer_modes TEXT, trl INTEGER,
    region TEXT, price_band TEXT, price INTEGER, published_at REAL
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


def run_size(size: int, rounds: int, baseline_rounds: int, workdir: Path) -> SizeReport:
    """Index `size` listings, then time the query mix on both implementations."""
    report = SizeReport(size)
    generator = CorpusGenerator(seed=size)
    backend = EmbeddedSearchBackend(workdir / f"search-{size}.db")
    plain = sqlite3.connect(workdir / f"plain-{size}.db", isolation_level=None)
    plain.executescript(BASELINE_SCHEMA)

    print(f"\n== {size:,} listings: generating and indexing", flush=True)
    docs = generator.documents(size)
    done = 0
    while done < size:
        batch = [next(docs) for _ in range(min(BATCH, size - done))]
        ms, _ = timed(lambda b=batch: backend.index(b))
        report.index_seconds += ms / 1000
        plain.execute("BEGIN")
        plain.executemany(f"INSERT INTO listings VALUES ({','.join('?' * 15)})",
                          [baseline_row(d) for d in batch])  # fmt: skip
        plain.execute("COMMIT")
        done += len(batch)
        print(f"\r  {done:,} / {size:,}", end="", flush=True)
    ms, _ = timed(backend.optimize)
    report.optimize_seconds = ms / 1000
    report.index_bytes = sum(p.stat().st_size for p in workdir.glob(f"search-{size}.db*"))
    print(f"\r  indexed {size:,} in {report.index_seconds + report.optimize_seconds:.1f} s")

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
    print(f"  ours: {len(report.ours)} queries", flush=True)
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


def print_reports(reports: Sequence[SearchReportLike], verbose: bool) -> None:
    """The result table (and, verbose, one line per query of the first round)."""
    print()
    header = (
        f"{'docs':>8} | {'index docs/s':>12} | {'index MB':>8} | {'ours p50':>8} | "
        f"{'ours p95':>8} | {'cold p95':>8} | {'LIKE p50':>8} | {'LIKE p95':>8} | "
        f"{'speed-up p50':>12} | {'speed-up p95':>12}"
    )
    print(header)
    print("-" * len(header))
    for r in reports:
        rate = r.size / (r.index_seconds + r.optimize_seconds)
        ours50, ours95 = percentile(r.ours, 50), percentile(r.ours, 95)
        cold95 = percentile(r.ours_cold, 95)
        base50, base95 = percentile(r.baseline, 50), percentile(r.baseline, 95)
        print(
            f"{r.size:>8,} | {rate:>12,.0f} | {r.index_bytes / 1e6:>8.1f} | {ours50:>6.2f}ms | "
            f"{ours95:>6.2f}ms | {cold95:>6.2f}ms | {base50:>6.0f}ms | {base95:>6.0f}ms | "
            f"{base50 / ours50:>11.0f}x | {base95 / ours95:>11.0f}x"
        )
    print(
        "\nours: all rounds of the mix with facet counts (cold: first round only); "
        "facet bitmaps load once per index generation: "
        + ", ".join(f"{r.size:,}: {r.bitmap_ms:.0f} ms" for r in reports)
    )
    target = all(percentile(r.ours, 95) < 20 for r in reports) and all(
        percentile(r.baseline, 95) / percentile(r.ours, 95) >= 20 for r in reports
    )
    print(f"target p95 < 20 ms and >= 20x the baseline: {'met' if target else 'MISSED'}")
    if verbose:
        for r in reports:
            print(f"\n{r.size:,} listings, first round, per query:")
            print(f"  {'query':<22} {'text':<28} {'matches':>8} {'ours':>9} {'LIKE':>9}")
            for label, text, total, ours_ms, base_ms in r.per_query:
                print(f"  {label:<22} {text:<28} {total:>8,} {ours_ms:>7.2f}ms {base_ms:>7.0f}ms")


SearchReportLike = SizeReport


def main(argv: Sequence[str] | None = None) -> None:
    """Parse arguments, run every size, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the mix (ours)")
    parser.add_argument("--baseline-rounds", type=int, default=1, help="rounds (baseline)")
    parser.add_argument("--verbose", action="store_true", help="one line per query")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        reports = [run_size(n, args.rounds, args.baseline_rounds, Path(tmp)) for n in sizes]
    print_reports(reports, args.verbose)


if __name__ == "__main__":
    main()
