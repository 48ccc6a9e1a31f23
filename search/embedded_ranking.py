"""Relevance order in the embedded index: bm25 within tiers of the newest candidates, and a
widened query's documents by how many of its clauses they match (see search.embedded_index).

A page is planned first: the tiers it takes rows from, in order (coverage levels, newest
tiers first), and how many of each. A page from one tier is ranked by SQL, which returns
that page only; a page across tiers has them all scored in one SQL statement, and each
tier's rows put in order in Python. bm25 weighs a word by how
many documents of the whole index hold it, which FTS5 counts anew in each statement
(one scan of the word's postings): one statement, not one per level and tier, counts
them once. A document's score does not depend on what else the statement scores, so the
page is the one the tiers ranked one by one would give.

A few candidates scattered from the oldest ids to the newest (a long sentence, a
filtered or widened query) are scored in Python instead (search.embedded_scoring), to
the same doubles, when that costs less: the statement would count each phrase's
documents over the whole index and walk every posting between the first candidate and
the last, for a few dozen rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from search.bitmaps import ids_of, top_threshold
from search.documents import EmbeddedSpec
from search.embedded_scoring import Part, Rescorer
from search.embedded_tables import KindTables
from search.text.clauses import Clause, weighted_words
from search.text.fts5 import fts5_any, fts5_either, fts5_match
from search.widening import min_matches

RANK_TIER = 2000
# Scoring in Python (search.embedded_scoring) costs about as much per candidate as SQL's
# bm25 spends on this many postings (counting each phrase's documents, walking the
# expression from the first candidate to the last): the cheaper way is taken. With the
# words' counts kept (search.embedded_counts), 200 (was 2000): at 100,000 listings
# `method` with 2 filters 47 -> 9 ms CPU, `传感器 检测` 26 -> 15, best of 100-500.
POSTINGS_PER_CANDIDATE = 200
WordBits = Callable[[str], int]  # the documents holding a word, as a bitmap


@dataclass(frozen=True)
class Taken:
    """Rows a page takes from one tier: after `skip` of its best, `count` of them."""

    tier: int
    skip: int
    count: int


class Scoring(NamedTuple):
    """What scoring a query's candidates needs, passed along as one."""

    conn: sqlite3.Connection
    clauses: Sequence[Clause]
    any_clause: bool  # the candidates match some clauses only (a widened query)
    word_bits: WordBits | None  # each word's documents, to score few candidates in Python


class Ranker:
    """One page of candidates in relevance order, for one kind's tables."""

    def __init__(self, tables: KindTables, spec: EmbeddedSpec) -> None:
        self.tables = tables
        self.spec = spec
        self.fts, self.bm25 = tables.fts, tables.bm25
        self.rescorer = Rescorer(
            tables.fts, list(spec.fts_columns), list(spec.fts_columns.values())
        )

    def _sql(
        self, clauses: Sequence[Clause], any_clause: bool, ordered: bool
    ) -> tuple[str, list[str]]:
        """The SQL scoring candidates, and its MATCH expressions (bind each before the ids);
        `ordered`: best first, then newest, a LIMIT and OFFSET bound last.

        bm25 adds up what each word scores, so with `scale_translations` words of
        lower weight (translations) are ranked by a second MATCH whose bm25 is
        scaled down, summed per document.
        """
        fts, bm25 = self.fts, self.bm25
        weighted = weighted_words(clauses) if self.spec.scale_translations else {}
        among = (
            f"FROM {fts} WHERE {fts} MATCH ? "
            "AND rowid BETWEEN ? AND ? AND +rowid IN (SELECT value FROM json_each(?))"
        )
        if len(weighted) <= 1:
            order = f" ORDER BY {bm25}, rowid DESC LIMIT ? OFFSET ?" if ordered else ""
            return (
                f"SELECT rowid, -{bm25} {among}{order}",
                [(fts5_either(clauses) if any_clause else fts5_match(clauses)) or ""],
            )
        parts = [f"SELECT rowid, -{bm25} * {weight!r} AS score {among}" for weight in weighted]
        order = " ORDER BY total DESC, rowid DESC LIMIT ? OFFSET ?" if ordered else ""
        return (
            "SELECT rowid, sum(score) AS total FROM ("
            + " UNION ALL ".join(parts)
            + f") GROUP BY rowid{order}",
            [fts5_any(words) for words in weighted.values()],
        )

    def _parts(self, clauses: Sequence[Clause], any_clause: bool) -> list[Part]:
        """The MATCH expressions `_sql` binds, as phrases for search.embedded_scoring."""
        weighted = weighted_words(clauses) if self.spec.scale_translations else {}
        if len(weighted) > 1:
            return [
                Part(tuple(words), tuple(((n,),) for n in range(len(words))), False, weight)
                for weight, words in weighted.items()
            ]
        phrases: list[str] = []
        shape: list[tuple[tuple[int, ...], ...]] = []
        for clause in clauses:
            alternatives = []
            for alternative in clause.alternatives:
                alternatives.append(
                    tuple(range(len(phrases), len(phrases) + len(alternative.words)))
                )
                phrases += alternative.words
            shape.append(tuple(alternatives))
        return [Part(tuple(phrases), tuple(shape), not any_clause, None)]

    def _python_cheaper(self, parts: Sequence[Part], ids: list[int], word_bits: WordBits) -> bool:
        """Whether scoring `ids` in Python costs less than SQL's bm25 (see POSTINGS_PER_CANDIDATE)."""
        budget = len(ids) * POSTINGS_PER_CANDIDATE
        span = (1 << (ids[-1] - ids[0] + 1)) - 1
        postings = 0
        for part in parts:
            for word in part.phrases:
                bits = word_bits(word)
                postings += bits.bit_count() + (bits >> ids[0] & span).bit_count()
                if postings > budget:
                    return True
        return False

    def _tiers(self, candidates: int) -> Iterator[int]:
        """The candidates in tiers of the RANK_TIER newest, or all at once (see the module)."""
        remaining = candidates
        while remaining:
            count = remaining.bit_count()
            tiered = self.spec.rank_in_tiers and count > RANK_TIER
            low = top_threshold(remaining, RANK_TIER) if tiered else 0
            tier = remaining >> low << low
            yield tier
            remaining ^= tier

    def _from_offset(self, groups: Sequence[int], offset: int) -> Iterator[tuple[int, int]]:
        """(tier, skip): the tiers of the groups ranked one group after another, from the one
        `offset` falls in, and how many of each one's best the offset skips."""
        for group in groups:
            for tier in self._tiers(group):
                size = tier.bit_count()
                if offset >= size:
                    offset -= size
                    continue
                yield tier, offset
                offset = 0

    def _plan(self, groups: Sequence[int], limit: int, offset: int) -> list[Taken]:
        """What a page takes from each tier of the groups, ranked one group after another."""
        plan: list[Taken] = []
        wanted = limit
        for tier, skip in self._from_offset(groups, offset):
            count = min(wanted, tier.bit_count() - skip)
            plan.append(Taken(tier, skip, count))
            wanted -= count
            if not wanted:
                break
        return plan

    def _scores(
        self, scoring: Scoring, ids: list[int], window: tuple[int, int] | None = None
    ) -> list[tuple[int, float]]:
        """(id, score) of the documents of `ids` (ascending) the query matches; with a
        `window` (count, skip), only those of the ranked order, in it.

        Scored in Python when that is cheaper (search.embedded_scoring), else by SQL.
        """
        conn, clauses, any_clause, word_bits = scoring
        if word_bits is not None:
            parts = self._parts(clauses, any_clause)
            if self._python_cheaper(parts, ids, word_bits):
                doc_count = lambda word: word_bits(word).bit_count()  # noqa: E731
                rows = self.rescorer.scores(conn, parts, ids, doc_count)
                if rows is not None:
                    if window is None:
                        return rows
                    rows.sort(key=lambda row: (-row[1], -row[0]))
                    count, skip = window
                    return rows[skip : skip + count]
        sql, expressions = self._sql(clauses, any_clause, ordered=window is not None)
        id_list = json.dumps(ids)
        params: list[object] = []
        for expression in expressions:
            params += [expression, ids[0], ids[-1], id_list]
        return conn.execute(sql, [*params, *(window or ())]).fetchall()

    def ranked(
        self,
        conn: sqlite3.Connection,
        clauses: Sequence[Clause],
        candidates: int,
        limit: int,
        offset: int,
        any_clause: bool = False,
        word_bits: WordBits | None = None,
    ) -> list[tuple[int, float]]:
        """One page by bm25: over all candidates, or within tiers of the newest (see the module).

        `any_clause`: the candidates match some clauses only (a widened query);
        `word_bits`: each word's documents, to score few candidates in Python.
        """
        scoring = Scoring(conn, clauses, any_clause, word_bits)
        return self._page(scoring, [candidates], limit, offset)

    def by_coverage(
        self,
        conn: sqlite3.Connection,
        clauses: Sequence[Clause],
        levels: Sequence[int],
        candidates: int,
        limit: int,
        offset: int,
        word_bits: WordBits | None = None,
    ) -> list[tuple[int, float]]:
        """One page of a widened query: documents matching more clauses first, then by bm25."""
        groups = [
            levels[k] & ~levels[k + 1] & candidates
            for k in range(len(clauses), min_matches(clauses) - 1, -1)
        ]
        return self._page(Scoring(conn, clauses, True, word_bits), groups, limit, offset)

    def _page(
        self, scoring: Scoring, groups: Sequence[int], limit: int, offset: int
    ) -> list[tuple[int, float]]:
        """The page of the groups' tiers, by score then newest: as planned, or tier by tier
        when a tier scored short (the index and the bitmaps disagree)."""
        page = self._planned(scoring, groups, limit, offset)
        if page is None:
            return self._tier_by_tier(scoring, groups, limit, offset)
        return page

    def _planned(
        self, scoring: Scoring, groups: Sequence[int], limit: int, offset: int
    ) -> list[tuple[int, float]] | None:
        """The page the plan takes, by score then newest; None if a tier scored short."""
        plan = self._plan(groups, limit, offset)
        if not plan:
            return []
        if len(plan) == 1:  # one tier: SQL ranks it and returns the page only
            (taken,) = plan
            rows = self._scores(scoring, ids_of(taken.tier), (taken.count, taken.skip))
            return rows if len(rows) == taken.count else None
        union = 0
        for taken in plan:
            union |= taken.tier
        scores = dict(self._scores(scoring, ids_of(union)))
        page: list[tuple[int, float]] = []
        for taken in plan:
            scored = [(doc_id, scores[doc_id]) for doc_id in ids_of(taken.tier) if doc_id in scores]
            if len(scored) < taken.skip + taken.count:
                return None  # the index and the bitmaps disagree: rank tier by tier
            scored.sort(key=lambda row: (-row[1], -row[0]))
            page += scored[taken.skip : taken.skip + taken.count]
        return page

    def _tier_by_tier(
        self, scoring: Scoring, groups: Sequence[int], limit: int, offset: int
    ) -> list[tuple[int, float]]:
        """The page scored one tier at a time, each topping up what the last left short."""
        page: list[tuple[int, float]] = []
        for tier, skip in self._from_offset(groups, offset):
            page += self._scores(scoring, ids_of(tier), (limit - len(page), skip))
            if len(page) >= limit:
                break
        return page
