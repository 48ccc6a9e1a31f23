"""bm25 as SQLite FTS5 computes it, in Python, for a few candidates scattered over a large index.

Why: FTS5's bm25() counts the documents of each of the query's phrases anew in every
statement (a scan of its postings over the whole index), and a MATCH limited to a few
dozen candidates scattered from the oldest to the newest id still walks every posting
of every word between them: a long sentence's 20-odd words cost 60-100 ms at 100,000
listings for fewer than a hundred candidates. Here the candidates' own texts are
tokenised again by the same tokenizer (a temporary FTS5 table holding only them) to
count each phrase's instances per column; each phrase's document count is its word
bitmap's (the one the match used), the index's row count and total length FTS5's own
record, each document's length FTS5's `_docsize` row. The arithmetic is FTS5's
(fts5_aux.c, fts5Bm25Function), term for term and in the same order, so the scores are
the same doubles. The one order SQLite chooses is how `sum()` adds a document's parts
(translations scaled down, search.embedded_ranking); they are added in the statement's
order, which gave the same doubles in every search compared (bench mix and variants at
20,000 and 100,000 listings, SQLite 3.40).

A phrase scores in a document only when its node of the MATCH expression matches
there: the words of its alternative all found (FTS5 gives a phrase of an unmatched
AND no instances); a phrase FTS5 matches by prefix (a lone 汉字) has an instance at
every token starting with it.
"""

from __future__ import annotations

import functools
import json
import math
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from search.embedded_counts import InstanceCounts
from search.embedded_tables import TOKENIZE
from search.text.fts5 import fts5_term

K1 = 1.2  # FTS5's bm25 constants
B = 0.75
_TOKENS_KEPT = 50_000  # query words' tokens remembered per process


@dataclass(frozen=True)
class Part:
    """One MATCH expression of a ranking statement, as phrases and how they combine.

    `phrases`: each quoted word in the order FTS5 numbers them; `clauses`: per clause,
    its alternatives as indices into `phrases` (all must match); `every`: all clauses
    must match (AND), else any (OR); `weight`: what the statement multiplies its bm25
    by (None: the score is -bm25 itself).
    """

    phrases: tuple[str, ...]
    clauses: tuple[tuple[tuple[int, ...], ...], ...]
    every: bool
    weight: float | None

    @functools.cached_property
    def single_words(self) -> bool:
        """Whether each clause is one alternative of one word (a plain OR or AND of words)."""
        return all(len(alts) == 1 and len(alts[0]) == 1 for alts in self.clauses)


class Rescorer:
    """bm25 of one kind's FTS5 table computed in Python (see the module); thread-safe."""

    def __init__(self, fts: str, columns: Sequence[str], weights: Sequence[float]) -> None:
        self.fts = fts
        self.columns = tuple(columns)
        self.weights = tuple(float(w) for w in weights)
        # Whole weights add up to the same double in any order, as FTS5 adds them per instance.
        self.whole_weights = all(w.is_integer() for w in self.weights)
        self.scratch = f"temp.{fts}_scored"
        self._tokens: dict[str, tuple[str, ...]] = {}
        self._lock = threading.Lock()
        self.counts = InstanceCounts(fts, self.columns, [int(w) for w in self.weights])

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """This connection's temporary tables: candidates' texts, and a query word (contentless:
        only their index is kept, and emptied at once)."""
        columns = ", ".join(self.columns)
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.scratch} "
            f"USING fts5 ({columns}, content = '', columnsize = 0, tokenize = '{TOKENIZE}')"
        )
        name = self.scratch.removeprefix("temp.")
        conn.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.scratch}_i "
            f"USING fts5vocab (temp, {name}, instance)"
        )

    def _empty(self, conn: sqlite3.Connection) -> None:
        """Empty the scratch table (contentless: its index dropped, nothing tokenised again)."""
        name = self.scratch.removeprefix("temp.")
        conn.execute(f"INSERT INTO {self.scratch} ({name}) VALUES ('delete-all')")

    def tokens(self, conn: sqlite3.Connection, word: str) -> tuple[str, ...]:
        """The tokens FTS5 makes of a query word (as it makes them of the texts)."""
        known = self._tokens.get(word)
        if known is not None:
            return known
        self._prepare(conn)
        first = self.columns[0]
        conn.execute(f"INSERT INTO {self.scratch} (rowid, {first}) VALUES (0, ?)", (word,))
        made = tuple(
            term
            for (term,) in conn.execute(
                f"SELECT term FROM {self.scratch}_i WHERE doc = 0 ORDER BY offset"
            )
        )
        self._empty(conn)
        with self._lock:
            if len(self._tokens) > _TOKENS_KEPT:
                self._tokens.clear()
            self._tokens[word] = made
        return made

    def _places(
        self, conn: sqlite3.Connection, ids: list[int], placed: set[str]
    ) -> dict[int, dict[str, set[tuple[int, int]]]]:
        """Per candidate the (column, offset) places of the tokens of `placed` (the tokens of
        phrases of several), from the candidates' texts tokenised again."""
        self._prepare(conn)
        conn.execute(
            f"INSERT INTO {self.scratch} (rowid, {', '.join(self.columns)}) "
            f"SELECT id, {', '.join(f'c{n}' for n in range(len(self.columns)))} "
            f"FROM {self.fts}_content WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
        places: dict[int, dict[str, set[tuple[int, int]]]] = {}
        column_of = {name: n for n, name in enumerate(self.columns)}
        try:
            rows = conn.execute(
                f"SELECT doc, term, col, offset FROM {self.scratch}_i "
                "WHERE term IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(placed)),),
            )
            for doc, term, column, offset in rows:
                places.setdefault(doc, {}).setdefault(term, set()).add((column_of[column], offset))
        finally:
            self._empty(conn)
        return places

    def _counts(
        self, conn: sqlite3.Connection, ids: list[int], tokens: set[str], prefixes: set[str]
    ) -> dict[int, dict[str, int]]:
        """Per candidate and token (of `tokens`, or `prefix*` for each of `prefixes`: every
        token starting with it) its instances weighed by their columns."""
        weighed: dict[int, dict[str, int]] = {}
        wanted = [(token, False) for token in sorted(tokens)]
        wanted += [(prefix, True) for prefix in sorted(prefixes)]
        for token, prefix in wanted:
            key = f"{token}*" if prefix else token
            for doc_id, count in self.counts.word(conn, token, prefix).among(ids).items():
                weighed.setdefault(doc_id, {})[key] = count
        return weighed

    def _frequencies(
        self,
        words: dict[str, tuple[str, ...]],
        prefixed: set[str],
        weighed: dict[str, int],
        places: dict[str, set[tuple[int, int]]],
    ) -> dict[str, float]:
        """Each word's weighted frequency in one document (words it lacks left out): whole
        weights, so their sum is the double FTS5 makes adding them instance by instance."""
        found: dict[str, float] = {}
        for word, made in words.items():
            if word in prefixed:
                total = weighed.get(f"{made[0]}*", 0)
            elif len(made) == 1:
                total = weighed.get(made[0], 0)
            else:
                total = _phrase_weight(places, made, self.weights)
            if total:
                found[word] = float(total)
        return found

    def scores(
        self,
        conn: sqlite3.Connection,
        parts: Sequence[Part],
        ids: list[int],
        doc_count: Callable[[str], int],
    ) -> list[tuple[int, float]] | None:
        """(id, score) of the candidates the parts match, ascending ids, as the ranking
        statement scores them; None when column weights are not whole numbers (their
        sums would depend on the order), or for a phrase of no token or a prefix of several."""
        words = {word for part in parts for word in part.phrases}
        tokens = {word: self.tokens(conn, word) for word in words}
        prefixed = {word for word in words if _is_prefix(word)}
        if (
            not self.whole_weights
            or not all(tokens.values())
            or any(len(tokens[word]) > 1 for word in prefixed)
        ):
            return None
        placed = {t for w, made in tokens.items() if len(made) > 1 for t in made}
        exact = {t for word, made in tokens.items() if word not in prefixed for t in made}
        prefixes = {tokens[word][0] for word in prefixed}
        self.counts.prepare(conn)
        counts = self._counts(conn, ids, exact, prefixes)
        places = self._places(conn, ids, placed) if placed else {}
        lengths = self.counts.lengths(conn, ids)
        row_count, average = self.counts.rows, self.counts.average
        idf = {word: _idf(row_count, doc_count(word)) for word in words}
        scored: list[tuple[int, float]] = []
        for doc_id in ids:
            if doc_id not in counts:
                continue
            freqs = self._frequencies(tokens, prefixed, counts[doc_id], places.get(doc_id, {}))
            norm = K1 * (1 - B + B * float(lengths[doc_id]) / average)
            total: float | None = None
            for part in parts:
                value = _part_value(part, freqs, idf, norm)
                if value is not None:
                    total = value if total is None else total + value
            if total is not None:
                scored.append((doc_id, total))
        return scored


def _part_value(
    part: Part, freqs: dict[str, float], idf: dict[str, float], norm: float
) -> float | None:
    """What the statement makes of one part for one document; None if it does not match.

    FTS5's sum over the phrases in their order (a phrase not scoring adds 0.0: nothing).
    """
    phrases = part.phrases
    if part.single_words:  # each clause one word: it scores where it is found
        scoring = [word in freqs for word in phrases]
        matched = sum(scoring)
    else:
        scoring = [False] * len(phrases)
        matched = 0
        for alternatives in part.clauses:
            hit = False
            for alternative in alternatives:
                if all(phrases[i] in freqs for i in alternative):
                    hit = True
                    for i in alternative:
                        scoring[i] = True
            matched += hit
    if not (matched == len(part.clauses) if part.every else matched):
        return None
    score = 0.0
    for word, scores in zip(phrases, scoring, strict=True):
        if scores:
            freq = freqs[word]
            score += idf[word] * ((freq * (K1 + 1.0)) / (freq + norm))
    bm25 = -1.0 * score
    return -bm25 if part.weight is None else -bm25 * part.weight


def _is_prefix(word: str) -> bool:
    return fts5_term(word).endswith("*")


def _idf(row_count: int, hits: int) -> float:
    """FTS5's IDF of a phrase found in `hits` of `row_count` rows (never below 1e-6)."""
    idf = math.log((row_count - hits + 0.5) / (hits + 0.5))
    return idf if idf > 0.0 else 1e-6


def _phrase_weight(
    places: dict[str, set[tuple[int, int]]], tokens: tuple[str, ...], weights: Sequence[float]
) -> int:
    """The instances of a phrase of several tokens (one after another), weighed by column."""
    later = [places.get(token, set()) for token in tokens[1:]]
    return sum(
        int(weights[column])
        for column, offset in places.get(tokens[0], ())
        if all((column, offset + n) in at for n, at in enumerate(later, start=1))
    )
