"""The embedded search backend: SQLite FTS5 in its own file, Chinese segmented with jieba.

Layout of the index file (independent of the main database, whatever that is):

- `fts`: an FTS5 table (title, summary, body, people) of pre-segmented text,
  tokenised by unicode61 + porter, ranked by bm25 with column weights; its
  rowid is the listing id.
- `docs`: one row per document with what results, filters and sorts need
  (original titles and summaries, facet values, sort keys), rowid-aligned
  with `fts`.
- `suggestions`: the suggestion keys of every title (search.text.suggestions.suggestion_keys:
  the normalised title and its later words), so suggestions as you type are a
  range scan on an index, ranked by a weight (title beginnings first, then newest).
- `meta` and `changes`: a generation counter bumped by every write and the
  ids each generation touched, so every process (gunicorn workers, the CLI)
  refreshes its in-memory caches incrementally instead of reloading them.

Why bitmaps: facets are counted on bitmaps (Python integers, bit n = listing
n), one per facet value. A query's full-text matches become a bitmap; filters
are ORs and ANDs of bitmaps; each facet count is one AND and a popcount, so
counting over 50,000 matches costs well under a millisecond where GROUP BY
queries take tens of milliseconds each. Turning 50,000 FTS rowids into a
bitmap costs ~10 ms in Python, so the bitmaps of frequent terms (those that
make that expensive) are cached and kept current through the change log.

Why tiers: bm25 over every match of a very common word (方法 in 70% of
listings) costs 50 ms and tells little (its IDF is near zero). When more than
`RANK_TIER` listings match, relevance is computed within tiers of the newest
`RANK_TIER` candidates (by id): the first page is the best bm25 matches among
the newest few thousand, pages run on into older tiers. Below that size the
ordering is plain bm25 over all matches.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

from search.backend import FACETS, SORTS, SearchDocument, SearchHit, SearchQuery, SearchResult
from search.documents.listings import highlights_for
from search.embedded_needs import EmbeddedNeedIndex
from search.needs import RELATED_MIN_DOCS, related_terms
from search.text.clauses import Clause, query_clauses, weighted_words
from search.text.fts5 import fts5_any, fts5_match, fts5_term
from search.text.suggestions import suggestion_keys, suggestion_prefix, suggestion_weight
from search.text.tokens import index_token, is_single_han, query_terms, segment_for_index

# bm25 column weights of fts(title, summary, body, people).
WEIGHTS = (10.0, 4.0, 1.0, 1.0)
RANK_TIER = 2000
# Candidate sets up to this size are passed to SQL as an id list; larger ones as a bitmap test.
SMALL_SET = 4000
# Term bitmaps are cached when the term matches at least this many listings.
CACHE_MIN_DOCS = 1000
CACHE_MAX_TERMS = 1024
# Incremental cache refresh up to this many changed ids (and 5% of the index); else reload.
REFRESH_MAX_IDS = 2000
CHANGES_KEPT = 5000  # generations of the change log kept for lagging processes
# similar(): title words in more than this share of a large index say nothing about likeness.
SIMILAR_MAX_DOC_SHARE = 0.2
SIMILAR_MIN_DOCS = 1000
# related(): words in more than this share of a large index are left out (see there).
RELATED_LISTING_SHARE = 0.05
DOC_FREQ_TTL = 600.0
_EPOCH_2000 = datetime(2000, 1, 1, tzinfo=UTC)
_NO_PRICE_ASC = 2**62  # negotiable listings sort after every price, both ways
_NO_PRICE_DESC = -1
_EVERYTHING = -1  # change-log id meaning "the whole index changed" (clear)

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', 0);
CREATE TABLE IF NOT EXISTS changes (generation INTEGER NOT NULL, doc_id INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS changes_generation ON changes (generation);
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
CREATE TABLE IF NOT EXISTS suggestions (
    key TEXT NOT NULL,
    doc_id INTEGER NOT NULL,
    lang INTEGER NOT NULL,
    weight INTEGER NOT NULL,
    PRIMARY KEY (key, doc_id, lang)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS suggestions_doc ON suggestions (doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS fts_vocab USING fts5vocab (fts, row);
INSERT OR REPLACE INTO fts (fts, rank) VALUES ('rank', 'bm25({", ".join(map(str, WEIGHTS))})');
"""
_FACET_COLUMNS = "id, field, ipc_section, transfer_mode, trl, region, price_band"
_BM25 = f"bm25(fts, {', '.join(map(str, WEIGHTS))})"
_ORDER_BY = {
    "newest": "published_at DESC, id DESC",
    "price_asc": "price_asc ASC, id ASC",
    "price_desc": "price_desc DESC, id DESC",
    "trl_desc": "trl DESC, published_at DESC, id DESC",
}
# Bit positions set in each byte value, for turning bitmaps back into ids quickly.
_BYTE_BITS = tuple(tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256))


def _bits(ids: Iterable[int]) -> int:
    """A bitmap with bit n set for each n in `ids`."""
    buffer = bytearray()
    for n in ids:
        byte = n >> 3
        if byte >= len(buffer):
            buffer.extend(bytes(byte - len(buffer) + 4096))
        buffer[byte] |= 1 << (n & 7)
    return int.from_bytes(buffer, "little")


def _ids(bits: int) -> list[int]:
    """The positions of the set bits, ascending."""
    out: list[int] = []
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for index, byte in enumerate(data):
        if byte:
            base = index << 3
            out.extend(base + bit for bit in _BYTE_BITS[byte])
    return out


def _top_threshold(bits: int, count: int) -> int:
    """The largest position p such that at least `count` set bits are at positions >= p."""
    low, high = 0, bits.bit_length()
    while low < high:  # binary search on the shift; each step is one C-speed popcount
        mid = (low + high + 1) // 2
        if (bits >> mid).bit_count() >= count:
            low = mid
        else:
            high = mid - 1
    return low


@dataclass
class _Cache:
    """Per-process bitmaps of one index generation: facet values and frequent terms."""

    generation: int
    all: int
    values: dict[str, dict[str, int]]
    terms: dict[str, int] = field(default_factory=dict)


def _facet_entries(row: Sequence[object]) -> Iterator[tuple[str, str]]:
    """(facet, value) pairs of a `docs` facet row (transfer modes are several)."""
    _, field_, section, modes, trl, region, band = row
    yield "field", str(field_)
    if section:
        yield "ipc_section", str(section)
    for mode in str(modes).split():
        yield "transfer_mode", mode
    yield "trl", str(trl)
    yield "region", str(region)
    yield "price_band", str(band)


class EmbeddedSearchBackend:
    """SearchBackend on SQLite FTS5 in its own file; safe across threads and processes."""

    name = "embedded"

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._cache: _Cache | None = None
        self._schema_ready = False  # created on first use: building the app has no side effects
        # Document frequencies for related(): exact counts cost ~2 ms a word on a large index,
        # and pruning common words needs only a recent estimate.
        self._doc_freqs: dict[str, int] = {}
        self._doc_freqs_since = 0.0

    # -- connections -----------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection (sqlite3 connections must not be shared across threads)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA cache_size = -65536")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.create_function("candidate", 1, self._is_candidate)
            if not self._schema_ready:
                with self._lock:
                    # One script in one transaction: processes starting together create it once.
                    conn.executescript(f"BEGIN IMMEDIATE;{_SCHEMA}COMMIT;")
                    self._schema_ready = True
            self._local.conn = conn
        return conn

    def _is_candidate(self, rowid: int) -> bool:
        data: bytes = self._local.candidates
        byte = rowid >> 3
        return byte < len(data) and bool(data[byte] >> (rowid & 7) & 1)

    @contextmanager
    def _write(self, ids: Iterable[int]) -> Iterator[sqlite3.Connection]:
        """A write transaction that bumps the generation and logs the ids it touched."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
            generation = self._generation(conn)
            conn.executemany(
                "INSERT INTO changes (generation, doc_id) VALUES (?, ?)",
                [(generation, i) for i in ids],
            )
            if generation % 100 == 0:
                conn.execute(
                    "DELETE FROM changes WHERE generation < ?", (generation - CHANGES_KEPT,)
                )
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
        rows = [self._rows(doc) for doc in documents]  # segment before taking the write lock
        if not rows:
            return 0
        ids = [docs_row[0] for docs_row, _ in rows]
        with self._write(ids) as conn:
            conn.executemany("DELETE FROM fts WHERE rowid = ?", [(i,) for i in ids])
            conn.executemany("DELETE FROM suggestions WHERE doc_id = ?", [(i,) for i in ids])
            conn.executemany(
                "INSERT OR REPLACE INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [docs_row for docs_row, _ in rows],
            )
            conn.executemany(
                "INSERT INTO fts (rowid, title, summary, body, people) VALUES (?,?,?,?,?)",
                [fts_row for _, fts_row in rows],
            )
            conn.executemany(
                "INSERT OR IGNORE INTO suggestions (key, doc_id, lang, weight) VALUES (?,?,?,?)",
                [key_row for docs_row, _ in rows for key_row in self._suggestion_rows(docs_row)],
            )
        return len(rows)

    @staticmethod
    def _suggestion_rows(docs_row: Sequence[object]) -> Iterator[tuple[str, int, int, int]]:
        """(key, id, language, weight) of a document's titles: 0 Chinese, 1 English."""
        doc_id, title_zh, title_en = int(docs_row[0]), str(docs_row[1]), str(docs_row[2])
        published = datetime.fromtimestamp(float(docs_row[13]), tz=UTC)  # type: ignore[arg-type]
        days = (published - _EPOCH_2000).days
        for lang, title in enumerate((title_zh, title_en)):
            for position, key in enumerate(suggestion_keys(title)):
                yield key, doc_id, lang, suggestion_weight(position == 0, days)

    @staticmethod
    def _rows(doc: SearchDocument) -> tuple[tuple[object, ...], tuple[object, ...]]:
        """The `docs` row and the segmented `fts` row of a document."""
        price = doc.asking_price_minor
        published = doc.published_at
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        docs_row = (
            int(doc.id),
            doc.title_zh or "",
            doc.title_en or "",
            doc.summary_zh or "",
            doc.summary_en or "",
            doc.field,
            doc.ipc_section,
            " ".join(doc.transfer_modes),
            int(doc.trl),
            doc.region,
            doc.price_band,
            _NO_PRICE_ASC if price is None else price,
            _NO_PRICE_DESC if price is None else price,
            published.timestamp(),
        )
        fts_row = (
            int(doc.id),
            segment_for_index(f"{doc.title_zh or ''}\n{doc.title_en or ''}"),
            segment_for_index(f"{doc.summary_zh or ''}\n{doc.summary_en or ''}"),
            segment_for_index(f"{doc.body or ''}\n{' '.join(doc.ipc_classes)}"),
            segment_for_index(f"{' '.join(doc.inventors)}\n{doc.holder}"),
        )
        return docs_row, fts_row

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents; unknown ids are ignored."""
        id_list = [int(i) for i in ids]
        if not id_list:
            return
        with self._write(id_list) as conn:
            conn.executemany("DELETE FROM fts WHERE rowid = ?", [(i,) for i in id_list])
            conn.executemany("DELETE FROM docs WHERE id = ?", [(i,) for i in id_list])
            conn.executemany("DELETE FROM suggestions WHERE doc_id = ?", [(i,) for i in id_list])

    def clear(self) -> None:
        """Remove every document (before a full reindex)."""
        with self._write([_EVERYTHING]) as conn:
            conn.execute("DELETE FROM docs")
            conn.execute("DELETE FROM fts")
            conn.execute("DELETE FROM suggestions")

    def optimize(self) -> None:
        """Merge the full-text index into one segment (after a bulk load: faster queries)."""
        conn = self._conn()
        conn.execute("INSERT INTO fts (fts) VALUES ('optimize')")

    # -- reads -----------------------------------------------------------------------------

    def count(self) -> int:
        """How many documents the index holds."""
        return int(self._conn().execute("SELECT count(*) FROM docs").fetchone()[0])

    def healthy(self) -> bool:
        """Whether the index file answers queries."""
        try:
            self._generation(self._conn())
        except sqlite3.Error:
            return False
        return True

    @staticmethod
    def _generation(conn: sqlite3.Connection) -> int:
        row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0])

    def generation(self) -> int:
        """The index generation: it changes whenever any process writes to the index."""
        return self._generation(self._conn())

    def _current(self, conn: sqlite3.Connection) -> _Cache:
        """The caches of the current generation: refreshed from the change log, or reloaded.

        Call inside a read transaction, so the generation and the rows agree.
        """
        generation = self._generation(conn)
        cache = self._cache
        if cache is not None and cache.generation == generation:
            return cache
        with self._lock:
            cache = self._cache
            if cache is None or not self._refresh(conn, cache, generation):
                cache = self._load(conn, generation)
            cache.generation = generation
            self._cache = cache
            return cache

    def _load(self, conn: sqlite3.Connection, generation: int) -> _Cache:
        """Facet bitmaps from scratch (first search of a process, or after a reindex)."""
        positions: dict[str, dict[str, list[int]]] = {facet: {} for facet in FACETS}
        ids: list[int] = []
        for row in conn.execute(f"SELECT {_FACET_COLUMNS} FROM docs"):
            ids.append(row[0])
            for facet, value in _facet_entries(row):
                positions[facet].setdefault(value, []).append(row[0])
        values = {
            facet: {value: _bits(members) for value, members in by_value.items()}
            for facet, by_value in positions.items()
        }
        return _Cache(generation, _bits(ids), values)

    def _refresh(self, conn: sqlite3.Connection, cache: _Cache, generation: int) -> bool:
        """Apply the changes since the cache's generation; False when a reload is better."""
        oldest = conn.execute("SELECT min(generation) FROM changes").fetchone()[0]
        if oldest is None or oldest > cache.generation + 1:
            return False  # the log no longer reaches back to our generation
        changed = sorted(
            {
                doc_id
                for (doc_id,) in conn.execute(
                    "SELECT doc_id FROM changes WHERE generation > ?", (cache.generation,)
                )
            }
        )
        if _EVERYTHING in changed or len(changed) > max(
            50, min(REFRESH_MAX_IDS, cache.all.bit_count() // 20)
        ):
            return False
        mask = _bits(changed)
        keep = ~mask
        id_list = json.dumps(changed)
        present: list[int] = []
        added: dict[str, dict[str, list[int]]] = {facet: {} for facet in FACETS}
        for row in conn.execute(
            f"SELECT {_FACET_COLUMNS} FROM docs WHERE id IN (SELECT value FROM json_each(?))",
            (id_list,),
        ):
            present.append(row[0])
            for facet, value in _facet_entries(row):
                added[facet].setdefault(value, []).append(row[0])
        cache.all = (cache.all & keep) | _bits(present)
        for facet, by_value in cache.values.items():
            for value in set(by_value) | set(added[facet]):
                bits = (by_value.get(value, 0) & keep) | _bits(added[facet].get(value, ()))
                by_value[value] = bits
        # A seek per id for a handful of changes; a scan of the term's doclist for more.
        rowid = "rowid" if len(changed) <= 50 else "+rowid"
        for term, bits in list(cache.terms.items()):
            matched = conn.execute(
                f"SELECT rowid FROM fts WHERE fts MATCH ? "
                f"AND {rowid} IN (SELECT value FROM json_each(?))",
                (fts5_term(term), id_list),
            )
            cache.terms[term] = (bits & keep) | _bits(r for (r,) in matched)
        return True

    def _word_bits(self, conn: sqlite3.Connection, cache: _Cache, term: str) -> int:
        """Listings holding a word: the cached bitmap of a frequent word, FTS for the rest."""
        term_bits = cache.terms.get(term)
        if term_bits is None:
            rows = conn.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (fts5_term(term),))
            term_bits = _bits(r for (r,) in rows)
            if term_bits.bit_count() >= CACHE_MIN_DOCS and len(cache.terms) < CACHE_MAX_TERMS:
                with self._lock:
                    cache.terms[term] = term_bits
        return term_bits

    def _term_bits(
        self, conn: sqlite3.Connection, cache: _Cache, clauses: Sequence[Clause | str]
    ) -> int:
        """Listings matching every clause (any alternative of it: all of its words)."""
        bits = cache.all
        for clause in clauses:
            if isinstance(clause, str):
                bits &= self._word_bits(conn, cache, clause)
                continue
            clause_bits = 0
            for alternative in clause.alternatives:
                alternative_bits = cache.all
                for word in alternative.words:
                    alternative_bits &= self._word_bits(conn, cache, word)
                    if not alternative_bits:
                        break
                clause_bits |= alternative_bits
            bits &= clause_bits
            if not bits:
                break
        return bits & cache.all

    def search(self, query: SearchQuery) -> SearchResult:
        """Full-text match, filters, facet counts of all matches, one sorted page of hits."""
        clauses = query_clauses(query.text)
        conn = self._conn()
        conn.execute("BEGIN")  # one snapshot: caches, matches and rows of one generation
        try:
            return self._search(conn, query, clauses)
        finally:
            conn.execute("COMMIT")

    def _search(
        self, conn: sqlite3.Connection, query: SearchQuery, terms: Sequence[Clause]
    ) -> SearchResult:
        cache = self._current(conn)
        matches = self._term_bits(conn, cache, terms) if terms else cache.all
        selected = self._filter_bitmaps(query.filters, cache)
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
                    for value, member_bits in cache.values[facet].items()
                    if (n := (base & member_bits).bit_count())
                }
                facets[facet] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

        per_page = max(1, min(int(query.per_page), 100))
        offset = (max(1, int(query.page)) - 1) * per_page
        hits: list[SearchHit] = []
        if offset < total:
            sort = query.sort if query.sort in SORTS else "relevance"
            if sort == "relevance" and terms:
                page = self._ranked(conn, terms, candidates, per_page, offset)
            else:
                if sort == "relevance":
                    sort = "newest"  # nothing to rank by: the newest listings first
                page = self._sorted(conn, sort, candidates, total, cache, per_page, offset)
            hits = self._hits(conn, page, terms)
        return SearchResult(hits=hits, total=total, facets=facets)

    @staticmethod
    def _filter_bitmaps(filters: dict[str, tuple[str, ...]], cache: _Cache) -> dict[str, int]:
        """Per filtered facet, the OR of its selected values' bitmaps (unknown facets ignored)."""
        selected: dict[str, int] = {}
        for facet, values in (filters or {}).items():
            if facet not in FACETS or not values:
                continue
            if isinstance(values, str):
                values = (values,)
            bits = 0
            for value in values:
                bits |= cache.values[facet].get(str(value), 0)
            selected[facet] = bits
        return selected

    @staticmethod
    def _ranking_sql(clauses: Sequence[Clause]) -> tuple[str, list[str]]:
        """The SQL ranking a tier, and its MATCH expressions (bind each before the tier's ids).

        bm25 adds up what each word scores, so words of lower weight (translations)
        are ranked by a second MATCH whose bm25 is scaled down, summed per listing.
        """
        weighted = weighted_words(clauses)
        if len(weighted) <= 1:
            return (
                f"SELECT rowid, -{_BM25} FROM fts WHERE fts MATCH ? "
                "AND rowid BETWEEN ? AND ? AND +rowid IN (SELECT value FROM json_each(?)) "
                f"ORDER BY {_BM25}, rowid DESC LIMIT ? OFFSET ?",
                [fts5_match(clauses) or ""],
            )
        parts = [
            f"SELECT rowid, -{_BM25} * {weight!r} AS score FROM fts WHERE fts MATCH ? "
            "AND rowid BETWEEN ? AND ? AND +rowid IN (SELECT value FROM json_each(?))"
            for weight in weighted
        ]
        return (
            "SELECT rowid, sum(score) AS total FROM ("
            + " UNION ALL ".join(parts)
            + ") GROUP BY rowid ORDER BY total DESC, rowid DESC LIMIT ? OFFSET ?",
            [fts5_any(words) for words in weighted.values()],
        )

    def _ranked(
        self,
        conn: sqlite3.Connection,
        clauses: Sequence[Clause],
        candidates: int,
        limit: int,
        offset: int,
    ) -> list[tuple[int, float]]:
        """One page by bm25, within tiers of the newest RANK_TIER candidates (see the module)."""
        sql, expressions = self._ranking_sql(clauses)
        page: list[tuple[int, float]] = []
        remaining = candidates
        while remaining and len(page) < limit:
            count = remaining.bit_count()
            low = _top_threshold(remaining, RANK_TIER) if count > RANK_TIER else 0
            tier = remaining >> low << low
            tier_size = min(count, RANK_TIER) if low else count
            if offset >= tier_size:
                offset -= tier_size
            else:
                ids = _ids(tier)
                id_list = json.dumps(ids)
                params: list[object] = []
                for expression in expressions:
                    params += [expression, ids[0], ids[-1], id_list]
                rows = conn.execute(sql, [*params, limit - len(page), offset]).fetchall()
                page.extend(rows)
                offset = 0
            remaining ^= tier
        return page

    def _sorted(
        self,
        conn: sqlite3.Connection,
        sort: str,
        candidates: int,
        total: int,
        cache: _Cache,
        limit: int,
        offset: int,
    ) -> list[tuple[int, float]]:
        """One page in a stored order: an id list when few candidates, else walk the index."""
        sql = "SELECT id, 0.0 FROM docs"
        params: list[object] = []
        if candidates != cache.all:
            if total <= SMALL_SET:
                sql += " WHERE id IN (SELECT value FROM json_each(?))"
                params.append(json.dumps(_ids(candidates)))
            else:
                size = (candidates.bit_length() + 7) // 8
                self._local.candidates = candidates.to_bytes(size, "little")
                sql += " WHERE candidate(id)"
        sql += f" ORDER BY {_ORDER_BY[sort]} LIMIT ? OFFSET ?"
        return conn.execute(sql, [*params, limit, offset]).fetchall()

    @staticmethod
    def _hits(
        conn: sqlite3.Connection, page: Sequence[tuple[int, float]], clauses: Sequence[Clause]
    ) -> list[SearchHit]:
        """Hits with highlighted snippets, in the page's order: the words as typed marked,
        or, in a listing that matched only through translations, the translations."""
        rows = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT id, title_zh, title_en, summary_zh, summary_en FROM docs "
                "WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps([doc_id for doc_id, _ in page]),),
            )
        }
        hits = []
        for doc_id, score in page:
            texts = dict(
                zip(("title_zh", "title_en", "summary_zh", "summary_en"), rows[doc_id], strict=True)
            )
            highlights = highlights_for(texts, clauses)
            hits.append(SearchHit(id=doc_id, score=float(score or 0.0), highlights=highlights))
        return hits

    # -- suggestions and similar listings --------------------------------------------------

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Distinct titles (Chinese or English) that start with, or have a word starting with,
        what the user typed; titles starting with it first, then newest first."""
        typed = suggestion_prefix(prefix)
        if not typed or limit <= 0:
            return []
        rows = self._conn().execute(
            "SELECT CASE s.lang WHEN 0 THEN d.title_zh ELSE d.title_en END AS title, "
            "max(s.weight) AS weight, max(s.doc_id) AS newest "
            "FROM suggestions AS s JOIN docs AS d ON d.id = s.doc_id "
            "WHERE s.key >= ? AND s.key < ? "
            "GROUP BY title ORDER BY weight DESC, newest DESC LIMIT ?",
            (typed, typed + "\U0010ffff", int(limit)),
        )
        return [title for title, _, _ in rows if title]

    def similar(self, listing_id: int, limit: int = 4) -> list[int]:
        """Listings sharing title words with this one (bm25 over titles and summaries),
        those of the same field first; topped up with the newest of the same field."""
        conn = self._conn()
        row = conn.execute(
            "SELECT title_zh, title_en, field FROM docs WHERE id = ?", (int(listing_id),)
        ).fetchone()
        if row is None:
            return []
        title_zh, title_en, field_ = row
        terms = [t for t in query_terms(f"{title_zh} {title_en}") if not is_single_han(t)]
        total = self.count()
        if (
            total >= SIMILAR_MIN_DOCS
        ):  # like more_like_this's max_doc_freq: skip words in everything
            terms = [t for t in terms if self._doc_freq(conn, t) <= total * SIMILAR_MAX_DOC_SHARE]
        scored: list[tuple[int, float, bool]] = []
        if terms:
            expression = "{title summary} : (" + " OR ".join(fts5_term(t) for t in terms) + ")"
            scored = [
                (int(doc_id), float(score), same == field_)
                for doc_id, score, same in conn.execute(
                    f"SELECT fts.rowid, -{_BM25}, docs.field FROM fts "
                    "JOIN docs ON docs.id = fts.rowid "
                    f"WHERE fts MATCH ? AND fts.rowid != ? ORDER BY {_BM25}, fts.rowid DESC "
                    "LIMIT ?",
                    (expression, int(listing_id), max(limit * 5, 20)),
                )
            ]
        scored.sort(key=lambda item: (not item[2], -item[1], -item[0]))
        chosen = [doc_id for doc_id, _, _ in scored[:limit]]
        if len(chosen) < limit:
            excluded = [int(listing_id), *chosen]
            chosen += [
                doc_id
                for (doc_id,) in conn.execute(
                    "SELECT id FROM docs WHERE field = ? "
                    "AND id NOT IN (SELECT value FROM json_each(?)) "
                    "ORDER BY published_at DESC, id DESC LIMIT ?",
                    (field_, json.dumps(excluded), limit - len(chosen)),
                )
            ]
        return chosen

    def related(self, text: str, limit: int = 50) -> list[tuple[int, float]]:
        """(id, score) of the listings sharing most telling words with `text` (matching).

        Any word counts (a search needs all of them); words in more than a small
        share of a large index are left out: they say little and cost much, since
        bm25 is computed for every listing that holds one of the words.
        """
        conn = self._conn()
        terms = related_terms(text)
        total = self.count()
        if total >= RELATED_MIN_DOCS:
            terms = [
                t for t in terms if self._recent_doc_freq(conn, t) <= total * RELATED_LISTING_SHARE
            ]
        if not terms:
            return []
        expression = "{title summary} : (" + " OR ".join(fts5_term(t) for t in terms) + ")"
        rows = conn.execute(
            f"SELECT rowid, -{_BM25} FROM fts WHERE fts MATCH ? ORDER BY {_BM25}, rowid DESC "
            "LIMIT ?",
            (expression, int(limit)),
        )
        return [(int(doc_id), float(score)) for doc_id, score in rows]

    def _recent_doc_freq(self, conn: sqlite3.Connection, term: str) -> int:
        """How many listings hold the term, remembered for DOC_FREQ_TTL seconds."""
        moment = time.monotonic()
        if moment - self._doc_freqs_since > DOC_FREQ_TTL or len(self._doc_freqs) > 100_000:
            self._doc_freqs = {}
            self._doc_freqs_since = moment
        freq = self._doc_freqs.get(term)
        if freq is None:
            freq = self._doc_freqs[term] = self._doc_freq(conn, term)
        return freq

    @cached_property
    def needs(self) -> EmbeddedNeedIndex:
        """The technology needs of this index file (their own tables)."""
        return EmbeddedNeedIndex(self)

    @staticmethod
    def _doc_freq(conn: sqlite3.Connection, term: str) -> int:
        """How many listings hold the term (as the porter tokenizer stores it)."""
        row = conn.execute(
            "SELECT doc FROM fts_vocab WHERE term = ?", (index_token(term),)
        ).fetchone()
        return int(row[0]) if row else 0
