"""Needs in the embedded index: their own FTS5 table in the listings' SQLite file.

Tables (created on first use, beside the listings' tables, never touching them):
`need_fts` (title, problem, extra) of pre-segmented text, bm25-ranked with
column weights; `need_docs`, one row per need with what results, filters and
sorts need; `need_facets`, one row per (facet, value, need) so a need with
several transfer modes counts in each. Needs are thousands, not hundreds of
thousands, so plain SQL and Python sets are fast enough here (no bitmaps).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date
from typing import TYPE_CHECKING

from search.backend import SearchHit, SearchQuery, SearchResult
from search.documents.needs import highlights_for
from search.needs import (
    NEED_FACETS,
    NEED_SORTS,
    RELATED_MAX_DOC_SHARE,
    RELATED_MIN_DOCS,
    NeedDocument,
    related_terms,
)
from search.text.clauses import Clause, query_clauses
from search.text.fts5 import fts5_match, fts5_term
from search.text.tokens import index_token, segment_for_index

if TYPE_CHECKING:
    from search.embedded import EmbeddedSearchBackend

WEIGHTS = (10.0, 3.0, 1.0)  # need_fts(title, problem, extra)
_BM25 = f"bm25(need_fts, {', '.join(map(str, WEIGHTS))})"
_NO_DEADLINE = 99_999_999  # needs without a deadline sort after every date
_SCHEMA = """
CREATE TABLE IF NOT EXISTS need_docs (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    problem TEXT NOT NULL,
    budget_sort INTEGER NOT NULL,
    deadline_sort INTEGER NOT NULL,
    published_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS need_facets (
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    doc_id INTEGER NOT NULL,
    PRIMARY KEY (facet, value, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS need_facets_doc ON need_facets (doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS need_fts USING fts5 (
    title, problem, extra, tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS need_fts_vocab USING fts5vocab (need_fts, row);
"""
_ORDER_BY = {
    "newest": "published_at DESC, id DESC",
    "deadline": "deadline_sort ASC, id DESC",
    "budget_desc": "budget_sort DESC, id DESC",
}


def facet_values(doc: NeedDocument) -> Iterator[tuple[str, str]]:
    """(facet, value) pairs of a need."""
    yield "field", doc.field
    if doc.ipc_section:
        yield "ipc_section", doc.ipc_section
    for mode in dict.fromkeys(doc.transfer_modes):
        yield "transfer_mode", mode
    yield "region", doc.region
    yield "budget_band", doc.budget_band


def _day_number(day: date | None) -> int:
    return _NO_DEADLINE if day is None else day.year * 10_000 + day.month * 100 + day.day


class EmbeddedNeedIndex:
    """NeedIndex on the embedded backend's SQLite file (its connection, its own tables)."""

    def __init__(self, backend: EmbeddedSearchBackend) -> None:
        self.backend = backend
        self._lock = threading.Lock()
        self._schema_ready = False

    def _conn(self) -> sqlite3.Connection:
        conn = self.backend._conn()
        if not self._schema_ready:
            with self._lock:
                conn.executescript(f"BEGIN IMMEDIATE;{_SCHEMA}COMMIT;")
                self._schema_ready = True
        return conn

    def _write(self, conn: sqlite3.Connection, statements: Iterable[tuple[str, list]]) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for sql, rows in statements:
                if rows:
                    conn.executemany(sql, rows)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # -- writes ----------------------------------------------------------------------------

    def index(self, documents: Iterable[NeedDocument]) -> int:
        """Add or replace needs in one transaction; return how many were written."""
        docs = list(documents)
        if not docs:
            return 0
        ids = [(int(d.id),) for d in docs]
        doc_rows = []
        fts_rows = []
        facet_rows = []
        for d in docs:
            published = (
                d.published_at if d.published_at.tzinfo else d.published_at.replace(tzinfo=UTC)
            )
            doc_rows.append(
                (
                    int(d.id),
                    d.title,
                    d.problem,
                    -1 if d.budget_max_minor is None else int(d.budget_max_minor),
                    _day_number(d.deadline),
                    published.timestamp(),
                )
            )
            fts_rows.append(
                (
                    int(d.id),
                    segment_for_index(d.title),
                    segment_for_index(d.problem),
                    segment_for_index(f"{' '.join(d.ipc_classes)}\n{d.enterprise}"),
                )
            )
            facet_rows += [(facet, value, int(d.id)) for facet, value in facet_values(d)]
        conn = self._conn()
        self._write(
            conn,
            [
                ("DELETE FROM need_fts WHERE rowid = ?", ids),
                ("DELETE FROM need_facets WHERE doc_id = ?", ids),
                ("INSERT OR REPLACE INTO need_docs VALUES (?,?,?,?,?,?)", doc_rows),
                ("INSERT INTO need_fts (rowid, title, problem, extra) VALUES (?,?,?,?)", fts_rows),
                ("INSERT OR IGNORE INTO need_facets VALUES (?,?,?)", facet_rows),
            ],
        )
        return len(docs)

    def delete(self, ids: Iterable[int]) -> None:
        """Remove needs; unknown ids are ignored."""
        rows = [(int(i),) for i in ids]
        if not rows:
            return
        self._write(
            self._conn(),
            [
                ("DELETE FROM need_fts WHERE rowid = ?", rows),
                ("DELETE FROM need_docs WHERE id = ?", rows),
                ("DELETE FROM need_facets WHERE doc_id = ?", rows),
            ],
        )

    def clear(self) -> None:
        """Remove every need."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for table in ("need_fts", "need_docs", "need_facets"):
                conn.execute(f"DELETE FROM {table}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    # -- reads -----------------------------------------------------------------------------

    def count(self) -> int:
        """How many needs the index holds."""
        return int(self._conn().execute("SELECT count(*) FROM need_docs").fetchone()[0])

    def search(self, query: SearchQuery) -> SearchResult:
        """Every word required (in any column), facet filters and counts, one sorted page."""
        clauses = query_clauses(query.text)
        conn = self._conn()
        conn.execute("BEGIN")  # one snapshot for matches, counts and the page
        try:
            return self._search(conn, query, clauses)
        finally:
            conn.execute("COMMIT")

    def _search(self, conn: sqlite3.Connection, query: SearchQuery, clauses: list) -> SearchResult:
        expression = fts5_match(clauses)
        if expression:
            matches = {
                r for (r,) in conn.execute(
                    "SELECT rowid FROM need_fts WHERE need_fts MATCH ?", (expression,)
                )
            }  # fmt: skip
        else:
            matches = {r for (r,) in conn.execute("SELECT id FROM need_docs")}
        selected: dict[str, set[int]] = {}
        for facet, values in (query.filters or {}).items():
            if facet not in NEED_FACETS or not values:
                continue
            values = (values,) if isinstance(values, str) else values
            selected[facet] = {
                r
                for (r,) in conn.execute(
                    "SELECT doc_id FROM need_facets WHERE facet = ? "
                    "AND value IN (SELECT value FROM json_each(?))",
                    (facet, json.dumps([str(v) for v in values])),
                )
            }
        candidates = set(matches)
        for ids in selected.values():
            candidates &= ids
        facets: dict[str, dict[str, int]] = {}
        if query.with_facets:
            for facet in NEED_FACETS:
                base = set(matches)
                for other, ids in selected.items():
                    if other != facet:
                        base &= ids
                facets[facet] = self._counts(conn, facet, base)
        per_page = max(1, min(int(query.per_page), 100))
        offset = (max(1, int(query.page)) - 1) * per_page
        hits: list[SearchHit] = []
        if offset < len(candidates):
            id_list = json.dumps(sorted(candidates))
            sort = query.sort if query.sort in NEED_SORTS else "relevance"
            if sort == "relevance" and expression:
                page = conn.execute(
                    f"SELECT rowid, -{_BM25} FROM need_fts WHERE need_fts MATCH ? "
                    "AND rowid IN (SELECT value FROM json_each(?)) "
                    f"ORDER BY {_BM25}, rowid DESC LIMIT ? OFFSET ?",
                    (expression, id_list, per_page, offset),
                ).fetchall()
            else:
                order = _ORDER_BY.get(sort, _ORDER_BY["newest"])
                page = conn.execute(
                    "SELECT id, 0.0 FROM need_docs WHERE id IN (SELECT value FROM json_each(?)) "
                    f"ORDER BY {order} LIMIT ? OFFSET ?",
                    (id_list, per_page, offset),
                ).fetchall()
            hits = self._hits(conn, page, clauses)
        return SearchResult(hits=hits, total=len(candidates), facets=facets)

    @staticmethod
    def _counts(conn: sqlite3.Connection, facet: str, ids: set[int]) -> dict[str, int]:
        if not ids:
            return {}
        rows = conn.execute(
            "SELECT value, count(*) FROM need_facets WHERE facet = ? "
            "AND doc_id IN (SELECT value FROM json_each(?)) GROUP BY value",
            (facet, json.dumps(sorted(ids))),
        )
        return dict(sorted(((v, int(n)) for v, n in rows), key=lambda kv: (-kv[1], kv[0])))

    @staticmethod
    def _hits(
        conn: sqlite3.Connection, page: Sequence[tuple[int, float]], clauses: Sequence[Clause]
    ) -> list[SearchHit]:
        rows = {
            doc_id: (title, problem)
            for doc_id, title, problem in conn.execute(
                "SELECT id, title, problem FROM need_docs "
                "WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps([doc_id for doc_id, _ in page]),),
            )
        }
        return [
            SearchHit(
                id=int(doc_id),
                score=float(score or 0.0),
                highlights=highlights_for(
                    dict(zip(("title", "problem"), rows[doc_id], strict=True)), clauses
                ),
            )
            for doc_id, score in page
        ]

    def related(self, text: str, limit: int = 50) -> list[tuple[int, float]]:
        """Needs sharing any telling word with `text`, by bm25 (title words weigh most)."""
        conn = self._conn()
        terms = related_terms(text)
        total = self.count()
        if total >= RELATED_MIN_DOCS:
            terms = [t for t in terms if _doc_freq(conn, t) <= total * RELATED_MAX_DOC_SHARE]
        if not terms:
            return []
        expression = " OR ".join(fts5_term(t) for t in terms)
        rows = conn.execute(
            f"SELECT rowid, -{_BM25} FROM need_fts WHERE need_fts MATCH ? "
            f"ORDER BY {_BM25}, rowid DESC LIMIT ?",
            (expression, int(limit)),
        )
        return [(int(doc_id), float(score)) for doc_id, score in rows]


def _doc_freq(conn: sqlite3.Connection, term: str) -> int:
    row = conn.execute(
        "SELECT doc FROM need_fts_vocab WHERE term = ?", (index_token(term),)
    ).fetchone()
    return int(row[0]) if row else 0
