"""How many times each query word occurs in each document of an FTS5 table, kept per process.

What the Python bm25 (search.embedded_scoring) needs of a candidate: each word's instances
in it, weighed by their columns, and its length in tokens. Reading them for each query
(re-tokenising the candidates' texts, their `_docsize` rows) cost most of its time at
100,000 listings; here a word's weighted counts over the whole index are read once, in
one indexed query of an `fts5vocab` table of type `instance` (a temporary table: the
index file is not changed), the first time a query uses it, and kept: one array of the
documents holding it (ascending) and one of their counts. The lengths are kept too, read
for the candidates that lack theirs.

What is kept is bounded (CAP counts, the words least recently used dropped first) and
belongs to one state of the index: FTS5's structure record (its cookie changes with
every write, its segments with any rebuild) and averages record (rows, total length)
are read before each use, and anything read from another state is dropped.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
import threading
from array import array
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

CAP = 3_000_000  # counts kept per index (about 8 bytes each)
LENGTHS_CAP = 200_000  # documents' lengths kept per index (a dict entry each: ~100 bytes)
_IDS_32 = 1 << 32


def sqlite_varints(blob: bytes) -> list[int]:
    """The varints of an FTS5 record (SQLite's format: big-endian 7-bit groups)."""
    values: list[int] = []
    i = 0
    while i < len(blob):
        value = 0
        for step in range(9):
            byte = blob[i]
            i += 1
            if step == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values


@dataclass(frozen=True)
class WordCounts:
    """One word's documents (ascending) and their weighted instance counts, side by side."""

    docs: array[int]
    counts: array[int]

    def among(self, ids: Sequence[int]) -> dict[int, int]:
        """The counts of the documents of `ids` (ascending) that hold the word."""
        docs, counts, found = self.docs, self.counts, {}
        start, end = 0, len(docs)
        for doc_id in ids:
            at = bisect.bisect_left(docs, doc_id, start, end)
            if at == end:
                break
            if docs[at] == doc_id:
                found[doc_id] = counts[at]
            start = at
        return found


class InstanceCounts:
    """Per document weighted counts of words, and lengths, of one FTS5 table; thread-safe."""

    def __init__(
        self,
        fts: str,
        columns: Sequence[str],
        weights: Sequence[int],
        cap: int = CAP,
        lengths_cap: int = LENGTHS_CAP,
    ):
        self.fts = fts
        self.vocab = f"{fts}_instances"
        self.cap = cap
        self.lengths_cap = lengths_cap
        self._weight = (
            "CASE col "
            + " ".join(f"WHEN '{n}' THEN {int(w)}" for n, w in zip(columns, weights, strict=True))
            + " END"
        )
        self._lock = threading.Lock()
        self._stamp: tuple[bytes, ...] = ()
        self._words: OrderedDict[str, WordCounts] = OrderedDict()
        self._lengths: dict[int, int] = {}
        self.kept = 0  # counts held by _words
        self.rows = 0
        self.average = 0.0

    def prepare(self, conn: sqlite3.Connection) -> None:
        """This connection's view of the table's instances (temporary tables are per
        connection), and what was kept dropped if the index changed since it was read."""
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{self.vocab} "
            f"USING fts5vocab (main, {self.fts}, instance)"
        )
        blocks = dict(conn.execute(f"SELECT id, block FROM {self.fts}_data WHERE id IN (1, 10)"))
        stamp = (blocks.get(1, b""), blocks.get(10, b""))
        if stamp == self._stamp:
            return
        row_count, *column_totals = sqlite_varints(stamp[0]) or [0]
        with self._lock:
            self._words.clear()
            self._lengths = {}
            self.kept = 0
            self.rows = row_count
            self.average = float(sum(column_totals)) / float(row_count or 1)
            self._stamp = stamp

    def word(self, conn: sqlite3.Connection, token: str, prefix: bool = False) -> WordCounts:
        """A token's counts per document (of every token starting with it, if `prefix`)."""
        key = f"{token}*" if prefix else token
        with self._lock:
            known = self._words.get(key)
            if known is not None:
                self._words.move_to_end(key)
                return known
        params: tuple[str, ...]
        if prefix:
            where, params = "term >= ? AND term < ?", (token, token[:-1] + chr(ord(token[-1]) + 1))
        else:
            where, params = "term = ?", (token,)
        # One scan of the word's instances; its rows come back as two JSON arrays (a row
        # each would cost more than the scan).
        docs_json, counts_json = conn.execute(
            "SELECT json_group_array(doc), json_group_array(n) FROM ("
            f"SELECT doc, sum({self._weight}) AS n FROM temp.{self.vocab} WHERE {where} "
            "GROUP BY doc ORDER BY doc)",
            params,
        ).fetchone()
        docs = json.loads(docs_json)
        made = WordCounts(
            array("I" if not docs or docs[-1] < _IDS_32 else "q", docs),
            array("I", json.loads(counts_json)),
        )
        self._keep(key, made)
        return made

    def _keep(self, key: str, made: WordCounts) -> None:
        """Keep a word's counts, dropping the least recently used words beyond the cap."""
        size = len(made.docs)
        if size > self.cap:
            return
        with self._lock:
            if key in self._words:
                return
            while self._words and self.kept + size > self.cap:
                _, dropped = self._words.popitem(last=False)
                self.kept -= len(dropped.docs)
            self._words[key] = made
            self.kept += size

    def lengths(self, conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, int]:
        """Each document's length in tokens (FTS5's xColumnSize(-1)), of those of `ids`."""
        known = self._lengths
        missing = [doc_id for doc_id in ids if doc_id not in known]
        read: dict[int, int] = {}
        if missing:
            rows = conn.execute(
                f"SELECT id, sz FROM {self.fts}_docsize WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(missing),),
            )
            read = {doc_id: sum(sqlite_varints(size)) for doc_id, size in rows}
            with self._lock:
                if known is self._lengths:
                    if len(known) + len(read) > self.lengths_cap:
                        self._lengths = {}  # start again rather than grow with the index
                    self._lengths.update(read)
        return {
            doc_id: read[doc_id] if doc_id in read else known[doc_id]
            for doc_id in ids
            if doc_id in read or doc_id in known
        }
