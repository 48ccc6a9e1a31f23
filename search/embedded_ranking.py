"""Relevance order in the embedded index: bm25 within tiers of the newest candidates, and a
widened query's documents by how many of its clauses they match (see search.embedded_index).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from search.bitmaps import ids_of, top_threshold
from search.documents import EmbeddedSpec
from search.embedded_tables import KindTables
from search.text.clauses import Clause, weighted_words
from search.text.fts5 import fts5_any, fts5_either, fts5_match
from search.widening import min_matches

RANK_TIER = 2000


class Ranker:
    """One page of candidates in relevance order, for one kind's tables."""

    def __init__(self, tables: KindTables, spec: EmbeddedSpec) -> None:
        self.tables = tables
        self.spec = spec
        self.fts, self.bm25 = tables.fts, tables.bm25

    def _sql(self, clauses: Sequence[Clause], any_clause: bool = False) -> tuple[str, list[str]]:
        """The SQL ranking a tier, and its MATCH expressions (bind each before the tier's ids).

        bm25 adds up what each word scores, so with `scale_translations` words of
        lower weight (translations) are ranked by a second MATCH whose bm25 is
        scaled down, summed per document.
        """
        fts, bm25 = self.fts, self.bm25
        weighted = weighted_words(clauses) if self.spec.scale_translations else {}
        in_tier = (
            f"FROM {fts} WHERE {fts} MATCH ? "
            "AND rowid BETWEEN ? AND ? AND +rowid IN (SELECT value FROM json_each(?))"
        )
        if len(weighted) <= 1:
            return (
                f"SELECT rowid, -{bm25} {in_tier} ORDER BY {bm25}, rowid DESC LIMIT ? OFFSET ?",
                [(fts5_either(clauses) if any_clause else fts5_match(clauses)) or ""],
            )
        parts = [f"SELECT rowid, -{bm25} * {weight!r} AS score {in_tier}" for weight in weighted]
        return (
            "SELECT rowid, sum(score) AS total FROM ("
            + " UNION ALL ".join(parts)
            + ") GROUP BY rowid ORDER BY total DESC, rowid DESC LIMIT ? OFFSET ?",
            [fts5_any(words) for words in weighted.values()],
        )

    def ranked(
        self,
        conn: sqlite3.Connection,
        clauses: Sequence[Clause],
        candidates: int,
        limit: int,
        offset: int,
        any_clause: bool = False,
    ) -> list[tuple[int, float]]:
        """One page by bm25: over all candidates, or within tiers of the newest (see the module).

        `any_clause`: the candidates match some clauses only (a widened query).
        """
        sql, expressions = self._sql(clauses, any_clause)
        page: list[tuple[int, float]] = []
        remaining = candidates
        while remaining and len(page) < limit:
            count = remaining.bit_count()
            tiered = self.spec.rank_in_tiers and count > RANK_TIER
            low = top_threshold(remaining, RANK_TIER) if tiered else 0
            tier = remaining >> low << low
            tier_size = min(count, RANK_TIER) if low else count
            if offset >= tier_size:
                offset -= tier_size
            else:
                ids = ids_of(tier)
                id_list = json.dumps(ids)
                params: list[object] = []
                for expression in expressions:
                    params += [expression, ids[0], ids[-1], id_list]
                rows = conn.execute(sql, [*params, limit - len(page), offset]).fetchall()
                page.extend(rows)
                offset = 0
            remaining ^= tier
        return page

    def by_coverage(
        self,
        conn: sqlite3.Connection,
        clauses: Sequence[Clause],
        levels: Sequence[int],
        candidates: int,
        limit: int,
        offset: int,
    ) -> list[tuple[int, float]]:
        """One page of a widened query: documents matching more clauses first, then by bm25."""
        page: list[tuple[int, float]] = []
        for k in range(len(clauses), min_matches(clauses) - 1, -1):
            level = levels[k] & ~levels[k + 1] & candidates
            size = level.bit_count()
            if offset >= size:
                offset -= size
                continue
            page += self.ranked(conn, clauses, level, limit - len(page), offset, any_clause=True)
            offset = 0
            if len(page) >= limit:
                break
        return page
