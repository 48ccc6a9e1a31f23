"""The embedded search backend: SQLite FTS5 in its own file, Chinese segmented with jieba.

Layout of the index file (independent of the main database, whatever that is):

- `fts`: an FTS5 table (title, summary, body, people) of pre-segmented text,
  tokenised by unicode61 + porter, ranked by bm25 with column weights; its
  rowid is the listing id.
- `docs`: one row per document with what results, filters and sorts need
  (original titles and summaries, facet values, sort keys), rowid-aligned
  with `fts`.
- `meta`: a generation counter, bumped by every write, so each process knows
  when its in-memory facet bitmaps are stale.

Facets are counted on bitmaps (Python integers, bit n = listing n): one per
facet value, loaded once per index generation. A query turns its full-text
matches into a bitmap; filters are ORs and ANDs of bitmaps; each facet count
is one AND and a popcount. That keeps counting over 50,000 matches well under
a millisecond, where GROUP BY queries would take tens of milliseconds each.
Results are ordered by SQLite (bm25 through FTS5's `ORDER BY rank`, the other
sorts by walking an index) and stop at the page.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path

from search.backend import FACETS, SORTS, SearchDocument, SearchHit, SearchQuery, SearchResult
from search.text import fts5_match, highlight, query_terms, segment_for_index

# bm25 column weights of fts(title, summary, body, people).
WEIGHTS = (10.0, 4.0, 1.0, 1.0)
# Up to this many candidates, ordering goes through an explicit id list; above it,
# SQLite walks the sort order and a bitmap test keeps the candidates.
SMALL_SET = 4000
SUMMARY_CHARS = 160
_NO_PRICE_ASC = 2**62  # negotiable listings sort after every price, both ways
_NO_PRICE_DESC = -1

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', 0);
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    summary_zh TEXT NOT NULL,
    summary_en TEXT NOT NULL,
    field TEXT NOT NULL,
    ipc_section TEXT,
    transfer_mode TEXT NOT NULL,
    trl INTEGER NOT NULL,
    region TEXT NOT NULL,
    price_band TEXT NOT NULL,
    price_asc INTEGER NOT NULL,
    price_desc INTEGER NOT NULL,
    published_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_newest ON docs (published_at);
CREATE INDEX IF NOT EXISTS docs_price_asc ON docs (price_asc);
CREATE INDEX IF NOT EXISTS docs_price_desc ON docs (price_desc);
CREATE INDEX IF NOT EXISTS docs_trl ON docs (trl, published_at);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5 (
    title, summary, body, people, tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT OR REPLACE INTO fts (fts, rank) VALUES ('rank', 'bm25({", ".join(map(str, WEIGHTS))})');
"""

_ORDER_BY = {
    "newest": "published_at DESC, id DESC",
    "price_asc": "price_asc ASC, id ASC",
    "price_desc": "price_desc DESC, id DESC",
    "trl_desc": "trl DESC, published_at DESC, id DESC",
}


@dataclass(frozen=True)
class _Bitmaps:
    """Facet bitmaps of one index generation."""

    generation: int
    all: int
    values: dict[str, dict[str, int]]


def _bits(ids: Iterable[int]) -> int:
    """A bitmap with bit n set for each n in `ids`."""
    buffer = bytearray()
    for n in ids:
        byte = n >> 3
        if byte >= len(buffer):
            buffer.extend(bytes(byte - len(buffer) + 1024))
        buffer[byte] |= 1 << (n & 7)
    return int.from_bytes(buffer, "little")


def _ids(bits: int) -> list[int]:
    """The positions of the set bits, ascending."""
    out: list[int] = []
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for byte_index, byte in enumerate(data):
        if byte:
            base = byte_index << 3
            out.extend(base + bit for bit in range(8) if byte >> bit & 1)
    return out


class EmbeddedSearchBackend:
    """SearchBackend on SQLite FTS5 in its own file; safe across threads and processes."""

    name = "embedded"

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._bitmaps: _Bitmaps | None = None
        # One script in one transaction: processes starting together create it once.
        self._conn().executescript(f"BEGIN IMMEDIATE;{_SCHEMA}COMMIT;")

    # -- connections -----------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection (sqlite3 connections must not be shared across threads)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA cache_size = -65536")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.create_function("candidate", 1, self._is_candidate, deterministic=True)
            self._local.conn = conn
        return conn

    def _is_candidate(self, rowid: int) -> bool:
        data: bytes = self._local.candidates
        byte = rowid >> 3
        return byte < len(data) and bool(data[byte] >> (rowid & 7) & 1)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that bumps the generation (other processes see the change)."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- writes ----------------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents in one transaction; return how many were written."""
        rows = [self._rows(doc) for doc in documents]  # segment outside the write lock
        if not rows:
            return 0
        with self._write() as conn:
            conn.executemany("DELETE FROM fts WHERE rowid = ?", [(r[0][0],) for r in rows])
            conn.executemany(
                "INSERT OR REPLACE INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [r[0] for r in rows],
            )
            conn.executemany(
                "INSERT INTO fts (rowid, title, summary, body, people) VALUES (?,?,?,?,?)",
                [r[1] for r in rows],
            )
        return len(rows)

    @staticmethod
    def _rows(doc: SearchDocument) -> tuple[tuple[object, ...], tuple[object, ...]]:
        """The `docs` row and the segmented `fts` row of a document."""
        price = doc.asking_price_minor
        published = doc.published_at
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        docs_row = (
            doc.id,
            doc.title_zh or "",
            doc.title_en or "",
            doc.summary_zh or "",
            doc.summary_en or "",
            doc.field,
            doc.ipc_section,
            " ".join(doc.transfer_modes),
            doc.trl,
            doc.region,
            doc.price_band,
            _NO_PRICE_ASC if price is None else price,
            _NO_PRICE_DESC if price is None else price,
            published.timestamp(),
        )
        fts_row = (
            doc.id,
            segment_for_index(f"{doc.title_zh or ''}\n{doc.title_en or ''}"),
            segment_for_index(f"{doc.summary_zh or ''}\n{doc.summary_en or ''}"),
            segment_for_index(f"{doc.body or ''}\n{' '.join(doc.ipc_classes)}"),
            segment_for_index(f"{' '.join(doc.inventors)}\n{doc.holder}"),
        )
        return docs_row, fts_row

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents; unknown ids are ignored."""
        params = [(int(i),) for i in ids]
        if not params:
            return
        with self._write() as conn:
            conn.executemany("DELETE FROM fts WHERE rowid = ?", params)
            conn.executemany("DELETE FROM docs WHERE id = ?", params)

    def clear(self) -> None:
        """Remove every document (before a full reindex)."""
        with self._write() as conn:
            conn.execute("DELETE FROM docs")
            conn.execute("DELETE FROM fts")

    def optimize(self) -> None:
        """Merge the full-text index into one segment (after a bulk load: faster queries)."""
        with self._write() as conn:
            conn.execute("INSERT INTO fts (fts) VALUES ('optimize')")

    # -- reads -----------------------------------------------------------------------------

    def count(self) -> int:
        """How many documents the index holds."""
        return int(self._conn().execute("SELECT count(*) FROM docs").fetchone()[0])

    def healthy(self) -> bool:
        """Whether the index file answers queries."""
        try:
            self._conn().execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        except sqlite3.Error:
            return False
        return True

    def generation(self) -> int:
        """The index generation: it changes whenever any process writes to the index."""
        row = self._conn().execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0])

    def _facet_bitmaps(self) -> _Bitmaps:
        """The facet bitmaps of the current generation, loaded when another write happened."""
        generation = self.generation()
        current = self._bitmaps
        if current is not None and current.generation == generation:
            return current
        with self._lock:
            current = self._bitmaps
            if current is not None and current.generation == generation:
                return current
            conn = self._conn()
            conn.execute("BEGIN")  # one snapshot for the generation and the rows
            try:
                generation = self.generation()
                rows = conn.execute(
                    "SELECT id, field, ipc_section, transfer_mode, trl, region, price_band "
                    "FROM docs"
                ).fetchall()
            finally:
                conn.execute("COMMIT")
            positions: dict[str, dict[str, list[int]]] = {facet: {} for facet in FACETS}
            ids: list[int] = []
            for doc_id, field, section, modes, trl, region, band in rows:
                ids.append(doc_id)
                positions["field"].setdefault(field, []).append(doc_id)
                if section:
                    positions["ipc_section"].setdefault(section, []).append(doc_id)
                for mode in modes.split():
                    positions["transfer_mode"].setdefault(mode, []).append(doc_id)
                positions["trl"].setdefault(str(trl), []).append(doc_id)
                positions["region"].setdefault(region, []).append(doc_id)
                positions["price_band"].setdefault(band, []).append(doc_id)
            values = {
                facet: {value: _bits(members) for value, members in by_value.items()}
                for facet, by_value in positions.items()
            }
            self._bitmaps = _Bitmaps(generation, _bits(ids), values)
            return self._bitmaps

    def search(self, query: SearchQuery) -> SearchResult:
        """Full-text match, filters, facet counts of all matches, one sorted page of hits."""
        terms = query_terms(query.text)
        expression = fts5_match(terms)
        bitmaps = self._facet_bitmaps()
        conn = self._conn()

        matches = bitmaps.all
        if expression is not None:
            rows = conn.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (expression,))
            matches = _bits(rowid for (rowid,) in rows) & bitmaps.all

        selected = self._filter_bitmaps(query.filters, bitmaps)
        candidates = matches
        for bits in selected.values():
            candidates &= bits
        total = candidates.bit_count()

        facets: dict[str, dict[str, int]] = {}
        if query.with_facets:
            for facet in FACETS:
                # Disjunctive faceting: a facet's own selection does not narrow its counts,
                # so the sidebar shows what ticking another value (OR) would add.
                base = matches
                for other, bits in selected.items():
                    if other != facet:
                        base &= bits
                counts = {
                    value: n
                    for value, member_bits in bitmaps.values[facet].items()
                    if (n := (base & member_bits).bit_count())
                }
                facets[facet] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

        per_page = max(1, min(int(query.per_page), 100))
        offset = (max(1, int(query.page)) - 1) * per_page
        hits: list[SearchHit] = []
        if total and offset < total:
            page = self._page(
                conn, query.sort, expression, matches, candidates, total, bitmaps, per_page, offset
            )
            hits = self._hits(conn, page, terms)
        return SearchResult(hits=hits, total=total, facets=facets)

    @staticmethod
    def _filter_bitmaps(filters: dict[str, tuple[str, ...]], bitmaps: _Bitmaps) -> dict[str, int]:
        """Per filtered facet, the OR of its selected values' bitmaps (unknown facets ignored)."""
        selected: dict[str, int] = {}
        for facet, values in filters.items():
            if facet not in FACETS or not values:
                continue
            if isinstance(values, str):
                values = (values,)
            bits = 0
            for value in values:
                bits |= bitmaps.values[facet].get(str(value), 0)
            selected[facet] = bits
        return selected

    def _page(
        self,
        conn: sqlite3.Connection,
        sort: str,
        expression: str | None,
        matches: int,
        candidates: int,
        total: int,
        bitmaps: _Bitmaps,
        limit: int,
        offset: int,
    ) -> list[tuple[int, float]]:
        """(id, score) of one page of candidates in the requested order."""
        if sort not in SORTS:
            sort = "relevance"
        if sort == "relevance" and expression is None:
            sort = "newest"
        if sort == "relevance":
            sql = "SELECT rowid, -rank FROM fts WHERE fts MATCH ?"
            params: list[object] = [expression]
            if candidates != matches:
                sql += self._candidate_clause(candidates, total, params, "rowid")
            sql += " ORDER BY rank LIMIT ? OFFSET ?"
            return conn.execute(sql, [*params, limit, offset]).fetchall()
        sql = "SELECT id, 0.0 FROM docs"
        params = []
        if candidates != bitmaps.all:
            sql += " WHERE 1" + self._candidate_clause(candidates, total, params, "id")
        sql += f" ORDER BY {_ORDER_BY[sort]} LIMIT ? OFFSET ?"
        return conn.execute(sql, [*params, limit, offset]).fetchall()

    def _candidate_clause(self, candidates: int, total: int, params: list[object], col: str) -> str:
        """SQL restricting `col` to the candidates: an id list when few, else a bitmap test."""
        if total <= SMALL_SET:
            params.append(json.dumps(_ids(candidates)))
            return f" AND {col} IN (SELECT value FROM json_each(?))"
        self._local.candidates = candidates.to_bytes((candidates.bit_length() + 7) // 8, "little")
        return f" AND candidate({col})"

    @staticmethod
    def _hits(
        conn: sqlite3.Connection, page: Sequence[tuple[int, float]], terms: Sequence[str]
    ) -> list[SearchHit]:
        """Hits with highlighted snippets, in the page's order."""
        ids = [doc_id for doc_id, _ in page]
        rows = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT id, title_zh, title_en, summary_zh, summary_en FROM docs "
                "WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(ids),),
            )
        }
        hits = []
        for doc_id, score in page:
            title_zh, title_en, summary_zh, summary_en = rows[doc_id]
            highlights = {
                "title_zh": highlight(title_zh, terms),
                "title_en": highlight(title_en, terms),
                "summary_zh": highlight(summary_zh, terms, SUMMARY_CHARS),
                "summary_en": highlight(summary_en, terms, SUMMARY_CHARS),
            }
            highlights["title"] = _best(highlights["title_zh"], highlights["title_en"])
            highlights["summary"] = _best(highlights["summary_zh"], highlights["summary_en"])
            hits.append(SearchHit(id=doc_id, score=float(score or 0.0), highlights=highlights))
        return hits


def _best(zh: str, en: str) -> str:
    """The snippet that shows a match, Chinese first; else whichever is not empty."""
    if "<mark>" in zh or ("<mark>" not in en and zh):
        return zh
    return en
