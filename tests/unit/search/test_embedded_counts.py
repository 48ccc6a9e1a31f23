"""Query words' instance counts kept per process (search.embedded_counts): the ones FTS5
holds, dropped when the index changes, bounded, and the scores they give FTS5's own."""

from __future__ import annotations

import sqlite3
import threading

from search.embedded_counts import InstanceCounts
from search.embedded_scoring import Part, Rescorer
from search.embedded_tables import TOKENIZE

COLUMNS = ("title", "body")
WEIGHTS = (10, 1)
TEXTS = [
    ("battery cathode", "a lithium battery with a graphene cathode"),
    ("graphene sensor", "sensor of gas, graphene coated"),
    ("lithium recycling", "battery recycling of lithium and cobalt from a battery"),
    ("drone", "inspection drone with a lidar"),
]


def _index(conn: sqlite3.Connection) -> None:
    conn.execute(f"CREATE VIRTUAL TABLE fts USING fts5 (title, body, tokenize = '{TOKENIZE}')")
    conn.executemany(
        "INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)",
        [(n, *texts) for n, texts in enumerate(TEXTS, start=1)],
    )
    conn.commit()


def _conn(path: str) -> sqlite3.Connection:
    return sqlite3.connect(path, check_same_thread=False)


def test_counts_are_the_instances_weighed_by_column(tmp_path: object) -> None:
    conn = _conn(str(tmp_path) + "/a.db")
    _index(conn)
    counts = InstanceCounts("fts", COLUMNS, WEIGHTS)
    counts.prepare(conn)
    assert counts.word(conn, "batteri").among([1, 2, 3, 4]) == {1: 11, 3: 2}
    assert counts.word(conn, "lith", prefix=True).among([1, 3]) == {1: 1, 3: 11}
    assert counts.lengths(conn, [2, 4]) == {2: 2 + 5, 4: 1 + 5}
    assert counts.rows == 4


def test_what_is_kept_is_dropped_when_the_index_changes(tmp_path: object) -> None:
    conn = _conn(str(tmp_path) + "/a.db")
    _index(conn)
    counts = InstanceCounts("fts", COLUMNS, WEIGHTS)
    counts.prepare(conn)
    assert counts.word(conn, "drone").among([4, 5]) == {4: 11}
    counts.prepare(conn)  # unchanged: kept
    assert counts.kept == 1
    conn.execute("INSERT INTO fts (rowid, title, body) VALUES (5, 'drone drone', 'drone')")
    conn.commit()
    counts.prepare(conn)
    assert counts.kept == 0 and counts.rows == 5
    assert counts.word(conn, "drone").among([4, 5]) == {4: 11, 5: 21}
    assert counts.lengths(conn, [5]) == {5: 3}


def test_the_least_recently_used_words_are_dropped_beyond_the_cap(tmp_path: object) -> None:
    conn = _conn(str(tmp_path) + "/a.db")
    _index(conn)
    counts = InstanceCounts("fts", COLUMNS, WEIGHTS, cap=3)
    counts.prepare(conn)
    counts.word(conn, "batteri")  # 2 documents
    counts.word(conn, "drone")  # 1
    counts.word(conn, "batteri")  # used again: drone is the oldest now
    counts.word(conn, "lidar")  # 1: drone dropped
    assert list(counts._words) == ["batteri", "lidar"] and counts.kept == 3
    counts.word(conn, "a")  # 3 documents: the others dropped
    assert list(counts._words) == ["a"] and counts.kept == 3
    assert counts.word(conn, "lithium").among([1, 3]) == {1: 1, 3: 11}  # too many: not kept...
    assert list(counts._words) == ["lithium"]  # ... or kept alone


def test_the_kept_lengths_start_again_beyond_their_cap(tmp_path: object) -> None:
    conn = _conn(str(tmp_path) + "/a.db")
    _index(conn)
    counts = InstanceCounts("fts", COLUMNS, WEIGHTS, lengths_cap=3)
    counts.prepare(conn)
    assert counts.lengths(conn, [1, 2]) == {1: 2 + 7, 2: 2 + 5}
    assert counts.lengths(conn, [2, 4]) == {2: 7, 4: 6}  # 2 kept, 4 read: 3 kept
    assert sorted(counts._lengths) == [1, 2, 4]
    assert counts.lengths(conn, [3]) == {3: 2 + 9}  # a fourth: what was kept is dropped
    assert sorted(counts._lengths) == [3]


def _fts5_scores(conn: sqlite3.Connection, match: str) -> list[tuple[int, float]]:
    return conn.execute(
        "SELECT rowid, -bm25(fts, 10, 1) FROM fts WHERE fts MATCH ? ORDER BY rowid", (match,)
    ).fetchall()


def test_scores_are_fts5s_on_every_connection(tmp_path: object) -> None:
    path = str(tmp_path) + "/a.db"
    first = _conn(path)
    _index(first)
    rescorer = Rescorer("fts", COLUMNS, [10.0, 1.0])
    bits = {"battery": 0b1010, "graphene": 0b110, "lithium cobalt": 0b1000, "lidar": 0b10000}
    parts = [Part(("battery", "graphene", "lidar"), (((0,),), ((1,),), ((2,),)), False, None)]
    phrase = [Part(("lithium cobalt", "battery"), (((0,),), ((1,),)), True, None)]

    def scores(conn: sqlite3.Connection, of: list[Part]) -> object:
        return rescorer.scores(conn, of, [1, 2, 3, 4], lambda word: bits[word].bit_count())

    assert scores(first, parts) == _fts5_scores(first, "battery OR graphene OR lidar")
    assert scores(first, phrase) == _fts5_scores(first, '"lithium cobalt" AND battery')
    # Another thread's connection: its own temporary tables (the words' tokens already known).
    found: list[object] = []
    second = _conn(path)
    thread = threading.Thread(target=lambda: found.append(scores(second, phrase)))
    thread.start()
    thread.join()
    assert found == [_fts5_scores(first, '"lithium cobalt" AND battery')]
