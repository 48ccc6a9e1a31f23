"""Query clauses as SQLite FTS5 MATCH expressions, every word quoted (the embedded backend)."""

from __future__ import annotations

from collections.abc import Sequence

from search.text.clauses import Clause
from search.text.tokens import has_cjk


def fts5_term(term: str) -> str:
    """One term as an FTS5 string; a lone Chinese character matches words that start with it.

    (The index holds words, so 锂 alone would otherwise not find 锂离子.) A term of words
    separated by spaces is a phrase: its words one after another.
    """
    quoted = '"' + term.replace('"', '""') + '"'
    return quoted + "*" if len(term) == 1 and has_cjk(term) else quoted


def _fts5_clause(clause: Clause | str) -> str:
    """A clause as FTS5: ("w" OR ("a" AND "b") OR ...), or just the quoted word."""
    if isinstance(clause, str):
        return fts5_term(clause)
    options = [
        " AND ".join(fts5_term(w) for w in alt.words)
        if len(alt.words) == 1
        else "(" + " AND ".join(fts5_term(w) for w in alt.words) + ")"
        for alt in clause.alternatives
    ]
    return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"


def fts5_match(terms: Sequence[Clause | str]) -> str | None:
    """An FTS5 MATCH expression requiring every term or clause, words quoted; None if none."""
    if not terms:
        return None
    parts = [_fts5_clause(term) for term in terms]
    # FTS5 takes an implicit AND between words, not between parenthesised groups.
    return (" AND " if any(part.startswith("(") for part in parts) else " ").join(parts)


def fts5_any(words: Sequence[str]) -> str:
    """An FTS5 expression matching any of the words."""
    return " OR ".join(fts5_term(word) for word in words)


def fts5_either(terms: Sequence[Clause | str]) -> str | None:
    """An FTS5 MATCH expression matching any of the terms or clauses; None if none."""
    if not terms:
        return None
    return " OR ".join(_fts5_clause(term) for term in terms)
