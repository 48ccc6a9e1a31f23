"""One embedded search engine for every kind of document: SQLite FTS5, Chinese cut by jieba.

A kind's definition (its EmbeddedSpec, search.documents) names its tables in
the index file (search.embedded_file): `<prefix>fts`, an FTS5 table of
pre-segmented text tokenised by unicode61 + porter and ranked by bm25 with
column weights, its rowid the document id; `<prefix>docs`, one row per
document with what results, filters and sorts need, rowid-aligned with the
FTS table; its facet values and any side tables (suggestion keys).

A query's matches are a bitmap, the AND over its clauses of the OR over each
clause's alternatives of the AND of their words' bitmaps; filters and facet
counts are ANDs and popcounts of facet bitmaps (search.embedded_facets).

Why tiers (`rank_in_tiers`): bm25 over every match of a very common word (方法
in 70% of listings) costs 50 ms and tells little (its IDF is near zero). When
more than RANK_TIER documents match, relevance is computed within tiers of the
newest RANK_TIER candidates (by id): the first page is the best bm25 matches
among the newest few thousand, pages run on into older tiers. Below that size
the ordering is plain bm25 over all matches.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

from search.backend import SearchHit, SearchQuery, SearchResult
from search.bitmaps import at_least, bits_of, ids_of
from search.documents import EmbeddedSpec
from search.embedded_facets import Bitmaps, load_bitmaps, refresh_bitmaps
from search.embedded_file import EVERYTHING, IndexFile
from search.embedded_ranking import Ranker
from search.embedded_results import ResultCache
from search.embedded_tables import KindTables
from search.needs import RELATED_MIN_DOCS, related_terms
from search.text.clauses import Clause
from search.text.fts5 import fts5_term
from search.text.spelling import SpellerCache, vocabulary_words
from search.text.tokens import index_token
from search.widening import Pass, min_matches, search_widening

# Candidate sets up to this size are passed to SQL as an id list; larger ones as a bitmap test.
SMALL_SET = 4000
# Word bitmaps are cached when the word matches at least this many documents.
CACHE_MIN_DOCS = 1000
CACHE_MAX_TERMS = 1024
VOCABULARY_DOCS = 20_000  # the newest documents give the words of spelling corrections


class EmbeddedIndex:
    """The documents of one kind (`spec`) in an embedded index file; safe across threads."""

    def __init__(self, file: IndexFile, spec: EmbeddedSpec) -> None:
        self.file = file
        self.spec = spec
        self.tables = KindTables(spec)
        self.docs, self.fts, self.bm25 = self.tables.docs, self.tables.fts, self.tables.bm25
        self.ranker = Ranker(self.tables, spec)
        self._lock = threading.Lock()
        self._ready = False
        self._cache: Bitmaps | None = None
        # Document frequencies for related(): exact counts cost ~2 ms a word on a large index,
        # and pruning common words needs only a recent estimate.
        self._doc_freqs: dict[str, int] = {}
        self._doc_freqs_since = 0.0
        self._speller = SpellerCache(self._vocabulary)
        self._results = ResultCache()

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection to the file, this kind's tables created on first use."""
        conn = self.file.connection()
        if not self._ready:
            self.file.create(conn, self.tables.schema())
            if missing := self.tables.missing_columns(conn):
                with self.file.write(None) as writing:
                    self.tables.add_columns(writing, missing)
            self._ready = True
        return conn

    def _write(self, logged: Iterable[int]) -> AbstractContextManager[sqlite3.Connection]:
        """A write transaction, logged in the change log if the kind keeps one."""
        self._conn()
        return self.file.write(logged if self.spec.change_log else None)

    # -- writes ----------------------------------------------------------------------------

    def index(self, documents: Iterable[Any]) -> int:
        """Add or replace documents in one transaction; return how many were written."""
        rows = [self.tables.rows(doc) for doc in documents]
        if not rows:
            return 0
        with self._write([row.id for row in rows]) as conn:
            self.tables.write(conn, rows)
        return len(rows)

    def delete(self, ids: Iterable[int]) -> None:
        """Remove documents; unknown ids are ignored."""
        id_list = [int(i) for i in ids]
        if id_list:
            with self._write(id_list) as conn:
                self.tables.delete(conn, id_list)

    def clear(self) -> None:
        """Remove every document (before a full reindex)."""
        with self._write([EVERYTHING]) as conn:
            self.tables.clear(conn)
        self._speller.forget()

    def optimize(self) -> None:
        """Merge the full-text index into one segment (after a bulk load: faster queries)."""
        self._conn().execute(f"INSERT INTO {self.fts} ({self.fts}) VALUES ('optimize')")

    # -- reads -----------------------------------------------------------------------------

    def count(self) -> int:
        """How many documents the index holds."""
        return int(self._conn().execute(f"SELECT count(*) FROM {self.docs}").fetchone()[0])

    def _bitmaps(self, conn: sqlite3.Connection) -> Bitmaps:
        """The bitmaps of the current generation: refreshed from the change log, or reloaded.

        Call inside a read transaction, so the generation and the rows agree. A kind
        without a change log has no generation to trust: its bitmaps are built anew.
        """
        if not self.spec.change_log:
            return load_bitmaps(conn, self.spec, -1)
        generation = self.file.generation(conn)
        cache = self._cache
        if cache is not None and cache.generation == generation:
            return cache
        with self._lock:
            cache = self._cache
            if cache is None or not refresh_bitmaps(conn, self.spec, cache, generation):
                cache = load_bitmaps(conn, self.spec, generation)
            cache.generation = generation
            self._cache = cache
            return cache

    def _word_bits(self, conn: sqlite3.Connection, cache: Bitmaps, term: str) -> int:
        """Documents holding a word: the cached bitmap of a frequent word, FTS for the rest."""
        term_bits = cache.terms.get(term)
        if term_bits is None:
            rows = conn.execute(
                f"SELECT rowid FROM {self.fts} WHERE {self.fts} MATCH ?", (fts5_term(term),)
            )
            term_bits = bits_of(r for (r,) in rows)
            if term_bits.bit_count() >= CACHE_MIN_DOCS and len(cache.terms) < CACHE_MAX_TERMS:
                with self._lock:
                    cache.terms[term] = term_bits
        return term_bits

    def _clause_bits(self, conn: sqlite3.Connection, cache: Bitmaps, clause: Clause) -> int:
        """Documents matching a clause: any alternative of it (all of its words)."""
        clause_bits = 0
        for alternative in clause.alternatives:
            alternative_bits = cache.all
            for word in alternative.words:
                alternative_bits &= self._word_bits(conn, cache, word)
                if not alternative_bits:
                    break
            clause_bits |= alternative_bits
        return clause_bits & cache.all

    def _match_levels(
        self, conn: sqlite3.Connection, cache: Bitmaps, clauses: Sequence[Clause], widen: bool
    ) -> list[int]:
        """Documents by how many clauses they match: levels[k] match at least k of them.

        Without `widen` only levels[n] (every clause) is computed; the others are 0.
        """
        if not clauses:
            return [cache.all]
        if widen:
            return at_least([self._clause_bits(conn, cache, c) for c in clauses])
        bits = cache.all
        for clause in clauses:
            bits &= self._clause_bits(conn, cache, clause)
            if not bits:
                break
        return [0] * len(clauses) + [bits, 0]

    def search(self, query: SearchQuery) -> SearchResult:
        """Full-text match, filters, facet counts of all matches, one sorted page of hits."""
        conn = self._conn()
        conn.execute("BEGIN")  # one snapshot: bitmaps, matches and rows of one generation
        try:
            generation = self.file.generation(conn) if self.spec.change_log else None
            known = self._results.get(generation, query)
            if known is not None:
                return known
            result = search_widening(
                query.text,
                lambda clauses, widen: self._search(conn, query, clauses, widen),
                self._speller.get,
            )
            self._results.put(generation, query, result)
            return result
        finally:
            conn.execute("COMMIT")

    def _vocabulary(self) -> dict[str, int]:
        """The English words of the newest documents' texts and how many hold each
        (for spelling corrections)."""
        rows = self._conn().execute(
            f"SELECT {', '.join(self.spec.texts)} FROM {self.docs} ORDER BY id DESC LIMIT ?",
            (VOCABULARY_DOCS,),
        )
        return dict(vocabulary_words(" ".join(map(str, row)) for row in rows))

    def _search(
        self,
        conn: sqlite3.Connection,
        query: SearchQuery,
        clauses: Sequence[Clause],
        widen: bool = False,
    ) -> Pass:
        """Matches, filters and facet counts; the page (ranking, snippets) when asked for."""
        cache = self._bitmaps(conn)
        levels = self._match_levels(conn, cache, clauses, widen)
        lowest = min_matches(clauses) if widen else len(clauses)
        matches = levels[lowest] if clauses else cache.all
        selected = self._filter_bitmaps(query.filters, cache)
        candidates = matches
        for bits in selected.values():
            candidates &= bits
        total = candidates.bit_count()
        facets = self._facets(cache, matches, selected) if query.with_facets else {}
        complete = (levels[len(clauses)] & candidates).bit_count() if clauses else total

        def result() -> SearchResult:
            hits = self._page(conn, query, clauses, widen, levels, candidates, total, cache)
            return SearchResult(hits=hits, total=total, facets=facets, widened=complete < total)

        return Pass(total, result)

    def _facets(
        self, cache: Bitmaps, matches: int, selected: Mapping[str, int]
    ) -> dict[str, dict[str, int]]:
        """Each facet's counts over the matches, most first."""
        facets: dict[str, dict[str, int]] = {}
        for facet in self.spec.facets:
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
        return facets

    def _page(
        self,
        conn: sqlite3.Connection,
        query: SearchQuery,
        clauses: Sequence[Clause],
        widen: bool,
        levels: Sequence[int],
        candidates: int,
        total: int,
        cache: Bitmaps,
    ) -> list[SearchHit]:
        """The query's page of hits, in its sort order, with snippets."""
        per_page = max(1, min(int(query.per_page), 100))
        offset = (max(1, int(query.page)) - 1) * per_page
        if offset >= total:
            return []
        sort = query.sort if query.sort in self.spec.order_by else "relevance"
        bits = functools.cache(functools.partial(self._word_bits, conn, cache))  # of one word
        ranker = self.ranker
        if sort == "relevance" and clauses and widen:
            page = ranker.by_coverage(conn, clauses, levels, candidates, per_page, offset, bits)
        elif sort == "relevance" and clauses:
            page = ranker.ranked(conn, clauses, candidates, per_page, offset, word_bits=bits)
        else:
            if sort == "relevance":
                sort = "newest"  # nothing to rank by: the newest documents first
            page = self._sorted(conn, sort, candidates, total, cache, per_page, offset)
        return self._hits(conn, page, clauses)

    def _filter_bitmaps(
        self, filters: Mapping[str, tuple[str, ...] | str], cache: Bitmaps
    ) -> dict[str, int]:
        """Per filtered facet, the OR of its selected values' bitmaps (unknown facets ignored)."""
        selected: dict[str, int] = {}
        for facet, values in (filters or {}).items():
            if facet not in self.spec.facets or not values:
                continue
            bits = 0
            for value in (values,) if isinstance(values, str) else values:  # a bare value: one
                bits |= cache.values[facet].get(str(value), 0)
            selected[facet] = bits
        return selected

    def _sorted(
        self,
        conn: sqlite3.Connection,
        sort: str,
        candidates: int,
        total: int,
        cache: Bitmaps,
        limit: int,
        offset: int,
    ) -> list[tuple[int, float]]:
        """One page in a stored order: an id list when few candidates, else walk the index."""
        sql = f"SELECT id, 0.0 FROM {self.docs}"
        params: list[object] = []
        if candidates != cache.all:
            if total <= SMALL_SET:
                sql += " WHERE id IN (SELECT value FROM json_each(?))"
                params.append(json.dumps(ids_of(candidates)))
            else:
                size = (candidates.bit_length() + 7) // 8
                self.file.local.candidates = candidates.to_bytes(size, "little")
                sql += " WHERE candidate(id)"
        sql += f" ORDER BY {self.spec.order_by[sort]} LIMIT ? OFFSET ?"
        return conn.execute(sql, [*params, limit, offset]).fetchall()

    def _hits(
        self,
        conn: sqlite3.Connection,
        page: Sequence[tuple[int, float]],
        clauses: Sequence[Clause],
    ) -> list[SearchHit]:
        """Hits with highlighted snippets of the kind's texts, in the page's order."""
        names = self.spec.texts
        rows = {
            row[0]: dict(zip(names, row[1:], strict=True))
            for row in conn.execute(
                f"SELECT id, {', '.join(names)} FROM {self.docs} "
                "WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps([doc_id for doc_id, _ in page]),),
            )
        }
        return [
            SearchHit(
                id=int(doc_id),
                score=float(score or 0.0),
                highlights=self.spec.highlights(rows[doc_id], clauses),
            )
            for doc_id, score in page
        ]

    # -- matching --------------------------------------------------------------------------

    def related(self, text: str, limit: int = 50) -> list[tuple[int, float]]:
        """(id, score) of the documents sharing most telling words with `text` (matching).

        Any word counts (a search needs all of them); words in more than a share
        of a large index are left out: they say little and cost much, since bm25
        is computed for every document that holds one of the words.
        """
        conn = self._conn()
        terms = related_terms(text)
        total = self.count()
        if total >= RELATED_MIN_DOCS:
            most = total * self.spec.related_max_share
            terms = [t for t in terms if self._recent_doc_freq(conn, t) <= most]
        if not terms:
            return []
        expression = " OR ".join(fts5_term(t) for t in terms)
        if self.spec.related_columns:
            expression = "{" + " ".join(self.spec.related_columns) + "} : (" + expression + ")"
        rows = conn.execute(
            f"SELECT rowid, -{self.bm25} FROM {self.fts} WHERE {self.fts} MATCH ? "
            f"ORDER BY {self.bm25}, rowid DESC LIMIT ?",
            (expression, int(limit)),
        )
        return [(int(doc_id), float(score)) for doc_id, score in rows]

    def _recent_doc_freq(self, conn: sqlite3.Connection, term: str) -> int:
        """How many documents hold the term, remembered for the spec's `doc_freq_ttl` seconds."""
        ttl = self.spec.doc_freq_ttl
        if ttl <= 0:
            return self.doc_freq(conn, term)
        moment = time.monotonic()
        if moment - self._doc_freqs_since > ttl or len(self._doc_freqs) > 100_000:
            self._doc_freqs = {}
            self._doc_freqs_since = moment
        freq = self._doc_freqs.get(term)
        if freq is None:
            freq = self._doc_freqs[term] = self.doc_freq(conn, term)
        return freq

    def doc_freq(self, conn: sqlite3.Connection, term: str) -> int:
        """How many documents hold the term (as the porter tokenizer stores it)."""
        row = conn.execute(
            f"SELECT doc FROM {self.tables.vocab} WHERE term = ?", (index_token(term),)
        ).fetchone()
        return int(row[0]) if row else 0
