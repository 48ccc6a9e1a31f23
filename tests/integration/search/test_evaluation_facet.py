"""The evaluated advancement (科技成果评价) as a search facet, on every backend."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from search.backend import SearchBackend, SearchQuery
from tests.integration.search.test_contract import doc, ids


def _corpus() -> list:
    return [
        doc(1, advancement="international_leading"),
        doc(2, advancement="domestic_advanced"),
        doc(3, advancement="international_leading", field="energy"),
        doc(4),  # never evaluated: no value
    ]


def test_advancement_filters_and_counts_evaluated_listings(search_backend: SearchBackend) -> None:
    search_backend.index(_corpus())
    everything = search_backend.search(SearchQuery())
    assert everything.total == 4
    assert everything.facets["advancement"] == {"international_leading": 2, "domestic_advanced": 1}
    assert sorted(ids(search_backend, filters={"advancement": ("international_leading",)})) == [
        1,
        3,
    ]
    both = {"advancement": ("international_leading", "domestic_advanced"), "field": ("ict",)}
    assert sorted(ids(search_backend, filters=both)) == [1, 2]


def test_a_new_evaluation_replaces_the_grade(search_backend: SearchBackend) -> None:
    search_backend.index(_corpus())
    search_backend.index([doc(1, advancement="domestic_leading")])
    facets = search_backend.search(SearchQuery()).facets["advancement"]
    assert facets == {"international_leading": 1, "domestic_leading": 1, "domestic_advanced": 1}


def test_an_embedded_file_made_before_the_facet_gains_its_column(tmp_path: Path) -> None:
    from search.embedded import EmbeddedSearchBackend

    path = tmp_path / "old.db"
    backend = EmbeddedSearchBackend(path)
    backend.index([doc(1)])
    backend.close()
    with sqlite3.connect(path) as conn:  # as the file was before evaluations existed
        conn.execute("ALTER TABLE docs DROP COLUMN advancement")
    reopened = EmbeddedSearchBackend(path)
    try:
        assert reopened.search(SearchQuery()).total == 1
        reopened.index([doc(1, advancement="international_advanced")])
        filtered = reopened.search(
            SearchQuery(filters={"advancement": ("international_advanced",)})
        )
        assert [hit.id for hit in filtered.hits] == [1]
    finally:
        reopened.close()
