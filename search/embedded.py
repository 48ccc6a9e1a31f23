"""The embedded search backend: SQLite FTS5 in a file of its own, Chinese segmented with jieba.

The backend is the index of listings (search.embedded_index, with the
listings' definition) plus what only listings offer (suggestions as you type,
similar listings); every other kind of document has its tables in the same
file (`index_for()`; needs: `need_docs`, `need_fts`, `need_facets`). The file
and its change log are search.embedded_file's.

Suggestions are a range scan on the `suggestions` table's keys (the normalised
title and its later words, search.text.suggestions), ranked by a weight (title
beginnings first, then newest).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from search.documents import EmbeddedSpec
from search.embedded_file import IndexFile
from search.embedded_index import EmbeddedIndex
from search.listing_documents import EMBEDDED as LISTINGS_SPEC
from search.need_documents import EMBEDDED as NEEDS_SPEC
from search.text.fts5 import fts5_term
from search.text.suggestions import suggestion_prefix
from search.text.tokens import is_single_han, query_terms

# similar(): title words in more than this share of a large index say nothing about likeness.
SIMILAR_MAX_DOC_SHARE = 0.2
SIMILAR_MIN_DOCS = 1000


class EmbeddedSearchBackend(EmbeddedIndex):
    """SearchBackend on SQLite FTS5 in its own file; safe across threads and processes."""

    name = "embedded"

    def __init__(self, path: str | Path) -> None:
        super().__init__(IndexFile(path), LISTINGS_SPEC)
        self.path = self.file.path
        self._kinds: dict[str, EmbeddedIndex] = {}

    def index_for(self, spec: EmbeddedSpec) -> EmbeddedIndex:
        """The index of another kind of document in this file (its tables made on first use)."""
        if spec.prefix == self.spec.prefix:
            return self
        index = self._kinds.get(spec.prefix)
        if index is None:
            index = self._kinds.setdefault(spec.prefix, EmbeddedIndex(self.file, spec))
        return index

    @property
    def needs(self) -> EmbeddedIndex:
        """The technology needs of this index file (their own tables)."""
        return self.index_for(NEEDS_SPEC)

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        self.file.close()

    def healthy(self) -> bool:
        """Whether the index file answers queries."""
        try:
            self.file.generation()
        except sqlite3.Error:
            return False
        return True

    def generation(self) -> int:
        """The index generation: it changes whenever any process writes listings."""
        return self.file.generation()

    # -- what only listings offer ------------------------------------------------------------

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
            terms = [t for t in terms if self.doc_freq(conn, t) <= total * SIMILAR_MAX_DOC_SHARE]
        scored: list[tuple[int, float, bool]] = []
        if terms:
            expression = "{title summary} : (" + " OR ".join(fts5_term(t) for t in terms) + ")"
            scored = [
                (int(doc_id), float(score), same == field_)
                for doc_id, score, same in conn.execute(
                    f"SELECT fts.rowid, -{self.bm25}, docs.field FROM fts "
                    "JOIN docs ON docs.id = fts.rowid "
                    f"WHERE fts MATCH ? AND fts.rowid != ? ORDER BY {self.bm25}, fts.rowid DESC "
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
