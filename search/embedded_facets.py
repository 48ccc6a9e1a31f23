"""Bitmaps of one kind in the embedded index: every document, each facet value, frequent words.

Why bitmaps: facets are counted on bitmaps (search.bitmaps), one per facet
value. A query's full-text matches become a bitmap; filters are ORs and ANDs
of bitmaps; each facet count is one AND and a popcount, so counting over
50,000 matches costs well under a millisecond where GROUP BY queries take tens
of milliseconds each. Turning 50,000 FTS rowids into a bitmap costs ~10 ms in
Python, so the bitmaps of frequent words (those that make that expensive) are
cached and, for a kind with a change log, kept current through it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from search.bitmaps import bits_of
from search.documents import EmbeddedSpec, FacetTable
from search.embedded_file import EVERYTHING
from search.text.fts5 import fts5_term

# Incremental refresh up to this many changed ids (and 5% of the index); else reload.
REFRESH_MAX_IDS = 2000

_Positions = dict[str, dict[str, list[int]]]


@dataclass
class Bitmaps:
    """The bitmaps of one index generation: every document, facet values, frequent words."""

    generation: int
    all: int
    values: dict[str, dict[str, int]]
    terms: dict[str, int] = field(default_factory=dict)


def _scan(
    conn: sqlite3.Connection, spec: EmbeddedSpec, id_list: str | None
) -> tuple[list[int], _Positions]:
    """The ids present and, per facet and value, their documents: all, or those of `id_list`."""
    docs = f"{spec.prefix}docs"
    only = "" if id_list is None else " WHERE {} IN (SELECT value FROM json_each(?))"
    params = () if id_list is None else (id_list,)
    positions: _Positions = {facet: {} for facet in spec.facets}
    store = spec.facets_in
    if isinstance(store, FacetTable):
        present = [r for (r,) in conn.execute(f"SELECT id FROM {docs}{only.format('id')}", params)]
        rows = conn.execute(
            f"SELECT doc_id, facet, value FROM {store.name}{only.format('doc_id')}", params
        )
        for doc_id, facet, value in rows:
            if facet in positions:
                positions[facet].setdefault(value, []).append(doc_id)
        return present, positions
    present = []
    columns = ", ".join(("id", *spec.facets))
    for row in conn.execute(f"SELECT {columns} FROM {docs}{only.format('id')}", params):
        present.append(row[0])
        for facet, value in store.entries(row):
            positions[facet].setdefault(value, []).append(row[0])
    return present, positions


def load_bitmaps(conn: sqlite3.Connection, spec: EmbeddedSpec, generation: int) -> Bitmaps:
    """Bitmaps from scratch (first search of a process, after a reindex, or every search)."""
    present, positions = _scan(conn, spec, None)
    values = {
        facet: {value: bits_of(members) for value, members in by_value.items()}
        for facet, by_value in positions.items()
    }
    return Bitmaps(generation, bits_of(present), values)


def refresh_bitmaps(
    conn: sqlite3.Connection, spec: EmbeddedSpec, cache: Bitmaps, generation: int
) -> bool:
    """Apply the change log since the cache's generation; False when a reload is better."""
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
    if EVERYTHING in changed or len(changed) > max(
        50, min(REFRESH_MAX_IDS, cache.all.bit_count() // 20)
    ):
        return False
    keep = ~bits_of(changed)
    id_list = json.dumps(changed)
    present, added = _scan(conn, spec, id_list)
    cache.all = (cache.all & keep) | bits_of(present)
    for facet, by_value in cache.values.items():
        for value in set(by_value) | set(added[facet]):
            bits = (by_value.get(value, 0) & keep) | bits_of(added[facet].get(value, ()))
            by_value[value] = bits
    fts = f"{spec.prefix}fts"
    # A seek per id for a handful of changes; a scan of the term's doclist for more.
    rowid = "rowid" if len(changed) <= 50 else "+rowid"
    for term, bits in list(cache.terms.items()):
        matched = conn.execute(
            f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? "
            f"AND {rowid} IN (SELECT value FROM json_each(?))",
            (fts5_term(term), id_list),
        )
        cache.terms[term] = (bits & keep) | bits_of(r for (r,) in matched)
    return True
