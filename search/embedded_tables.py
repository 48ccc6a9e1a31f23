"""The tables of one kind of document in the embedded index file, and the SQL that writes them.

Named after the kind's EmbeddedSpec (search.documents): `<prefix>docs`,
`<prefix>fts`, `<prefix>fts_vocab`, the side tables (suggestion keys) and,
when facet values are rows of their own, the facet table.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from search.documents import EmbeddedSpec, FacetTable, SideTable
from search.text.tokens import segment_for_index

# How every kind's FTS5 table cuts its (pre-segmented) texts into tokens.
TOKENIZE = "porter unicode61 remove_diacritics 2"


@dataclass(frozen=True)
class DocumentRows:
    """What one document writes: its `docs` row, its segmented FTS texts, its side-table rows."""

    id: int
    docs: tuple[object, ...]
    fts: tuple[str, ...]
    side: tuple[list[tuple[object, ...]], ...]


def _side_tables(spec: EmbeddedSpec) -> tuple[SideTable, ...]:
    """The spec's side tables, and its facet table if facet values are rows of their own."""
    store = spec.facets_in
    if not isinstance(store, FacetTable):
        return spec.side_tables
    facets = SideTable(
        name=store.name,
        columns=("facet TEXT NOT NULL", "value TEXT NOT NULL", "doc_id INTEGER NOT NULL"),
        primary_key=("facet", "value", "doc_id"),
        rows=lambda doc: [(facet, value, int(doc.id)) for facet, value in store.values(doc)],
    )
    return (*spec.side_tables, facets)


def _marks(count: int) -> str:
    return ",".join("?" * count)


class KindTables:
    """The tables of one kind: their schema, a document's rows, and writes in a transaction."""

    def __init__(self, spec: EmbeddedSpec) -> None:
        self.spec = spec
        self.docs = f"{spec.prefix}docs"
        self.fts = f"{spec.prefix}fts"
        self.vocab = f"{spec.prefix}fts_vocab"
        self.side = _side_tables(spec)
        self.bm25 = f"bm25({self.fts}, {', '.join(map(str, spec.fts_columns.values()))})"

    def schema(self) -> str:
        """Every table (CREATE ... IF NOT EXISTS), and the bm25 weights as the FTS rank."""
        spec, docs, fts = self.spec, self.docs, self.fts
        columns = ",\n    ".join(("id INTEGER PRIMARY KEY", *spec.docs_columns))
        weights = ", ".join(map(str, spec.fts_columns.values()))
        parts = [f"CREATE TABLE IF NOT EXISTS {docs} (\n    {columns}\n);"]
        parts += [
            f"CREATE INDEX IF NOT EXISTS {name} ON {docs} ({on});"
            for name, on in spec.docs_indexes.items()
        ]
        parts.append(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5 (\n    "
            f"{', '.join(spec.fts_columns)}, tokenize = '{TOKENIZE}'\n);"
        )
        for table in self.side:
            body = ",\n    ".join((*table.columns, f"PRIMARY KEY ({', '.join(table.primary_key)})"))
            parts.append(f"CREATE TABLE IF NOT EXISTS {table.name} (\n    {body}\n) WITHOUT ROWID;")
            parts.append(f"CREATE INDEX IF NOT EXISTS {table.name}_doc ON {table.name} (doc_id);")
        parts.append(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.vocab} USING fts5vocab ({fts}, row);"
        )
        parts.append(
            f"INSERT OR REPLACE INTO {fts} ({fts}, rank) VALUES ('rank', 'bm25({weights})');"
        )
        return "\n".join(parts) + "\n"

    def missing_columns(self, conn: sqlite3.Connection) -> list[str]:
        """The `docs` columns a file made before them lacks (each declared with a DEFAULT, last):
        added by `add_columns`, their values arrive as documents are written again (reindex)."""
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({self.docs})")}
        return [column for column in self.spec.docs_columns if column.split()[0] not in present]

    def add_columns(self, conn: sqlite3.Connection, columns: Sequence[str]) -> None:
        """Add `missing_columns` (inside the caller's write transaction); a racing process's
        addition is seen again under the lock."""
        for column in columns:
            if column in self.missing_columns(conn):
                conn.execute(f"ALTER TABLE {self.docs} ADD COLUMN {column}")

    def rows(self, doc: Any) -> DocumentRows:
        """A document's rows, its text segmented (do it before taking the write lock)."""
        return DocumentRows(
            id=int(doc.id),
            docs=self.spec.docs_row(doc),
            fts=tuple(segment_for_index(text) for text in self.spec.fts_texts(doc)),
            side=tuple(list(table.rows(doc)) for table in self.side),
        )

    def write(self, conn: sqlite3.Connection, documents: Sequence[DocumentRows]) -> None:
        """Add or replace documents (inside the caller's write transaction)."""
        self.delete(conn, [doc.id for doc in documents], keep_docs=True)
        conn.executemany(
            f"INSERT OR REPLACE INTO {self.docs} VALUES ({_marks(len(self.spec.docs_columns) + 1)})",
            [doc.docs for doc in documents],
        )
        conn.executemany(
            f"INSERT INTO {self.fts} (rowid, {', '.join(self.spec.fts_columns)}) "
            f"VALUES ({_marks(len(self.spec.fts_columns) + 1)})",
            [(doc.id, *doc.fts) for doc in documents],
        )
        for n, table in enumerate(self.side):
            conn.executemany(
                f"INSERT OR IGNORE INTO {table.name} VALUES ({_marks(len(table.columns))})",
                [row for doc in documents for row in doc.side[n]],
            )

    def delete(self, conn: sqlite3.Connection, ids: Sequence[int], keep_docs: bool = False) -> None:
        """Remove documents (inside the caller's write transaction); `docs` rows kept if asked,
        for INSERT OR REPLACE to overwrite."""
        id_rows = [(i,) for i in ids]
        conn.executemany(f"DELETE FROM {self.fts} WHERE rowid = ?", id_rows)
        if not keep_docs:
            conn.executemany(f"DELETE FROM {self.docs} WHERE id = ?", id_rows)
        for table in self.side:
            conn.executemany(f"DELETE FROM {table.name} WHERE doc_id = ?", id_rows)

    def clear(self, conn: sqlite3.Connection) -> None:
        """Remove every document (inside the caller's write transaction)."""
        for table in (self.docs, self.fts, *(table.name for table in self.side)):
            conn.execute(f"DELETE FROM {table}")
