"""Which queries a backend may send widened together with their first pass."""

from __future__ import annotations

from search.text.clauses import query_clauses
from search.text.spelling import Speller
from search.widening import likely_widened


def _speller() -> Speller:
    return Speller({"battery": 40, "management": 12, "system": 30, "ceramic": 3})


def test_a_misspelt_query_is_likely_widened_a_correct_one_is_not() -> None:
    for text in ("batery", "ceramic batery"):
        assert likely_widened(text, query_clauses(text), _speller)
    for text in ("battery management", "石墨烯 疫苗 灌溉 芯片", ""):  # long: no guess
        assert likely_widened(text, query_clauses(text), _speller) == []
