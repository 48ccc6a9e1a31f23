"""The embedded index file: SQLite in a file of its own, shared by every kind of document.

Independent of the main database, whatever that is. Each kind keeps its own
tables in it (search.embedded_index); the file holds `meta` and `changes`: a
generation counter bumped by every logged write and the ids each generation
touched, so every process (gunicorn workers, the CLI) refreshes its in-memory
caches incrementally instead of reloading them.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

CHANGES_KEPT = 5000  # generations of the change log kept for lagging processes
EVERYTHING = -1  # change-log id meaning "the whole index changed" (clear)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', 0);
CREATE TABLE IF NOT EXISTS changes (generation INTEGER NOT NULL, doc_id INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS changes_generation ON changes (generation);
"""


class IndexFile:
    """One SQLite index file: a connection per thread, schemas, logged write transactions."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.local = threading.local()
        self._lock = threading.Lock()
        self._ready = False  # created on first use: building the app has no side effects

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (sqlite3 connections must not be shared across threads)."""
        conn: sqlite3.Connection | None = getattr(self.local, "conn", None)
        if conn is None:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA cache_size = -65536")
            conn.execute("PRAGMA temp_store = MEMORY")
            conn.create_function("candidate", 1, self._is_candidate)
            if not self._ready:
                self.create(conn, _SCHEMA)
                self._ready = True
            self.local.conn = conn
        return conn

    def create(self, conn: sqlite3.Connection, schema: str) -> None:
        """Run a schema script (CREATE ... IF NOT EXISTS) once, in one transaction.

        One script in one transaction: processes starting together create it once.
        """
        with self._lock:
            conn.executescript(f"BEGIN IMMEDIATE;{schema}COMMIT;")

    def _is_candidate(self, rowid: int) -> bool:
        """The SQL function candidate(id): whether the id is in this thread's candidate bitmap."""
        data: bytes = self.local.candidates
        byte = rowid >> 3
        return byte < len(data) and bool(data[byte] >> (rowid & 7) & 1)

    @contextmanager
    def write(self, logged: Iterable[int] | None) -> Iterator[sqlite3.Connection]:
        """A write transaction; with `logged` ids, it bumps the generation and logs them."""
        conn = self.connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            if logged is not None:
                self._log(conn, logged)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _log(self, conn: sqlite3.Connection, ids: Iterable[int]) -> None:
        conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
        generation = self.generation(conn)
        conn.executemany(
            "INSERT INTO changes (generation, doc_id) VALUES (?, ?)",
            [(generation, i) for i in ids],
        )
        if generation % 100 == 0:
            conn.execute("DELETE FROM changes WHERE generation < ?", (generation - CHANGES_KEPT,))

    def generation(self, conn: sqlite3.Connection | None = None) -> int:
        """The index generation: it changes whenever any process makes a logged write."""
        conn = conn or self.connection()
        row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0])

    def close(self) -> None:
        """Close this thread's connection (others close when their threads end)."""
        conn = getattr(self.local, "conn", None)
        if conn is not None:
            conn.close()
            self.local.conn = None
