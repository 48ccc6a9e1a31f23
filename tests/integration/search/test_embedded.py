"""The embedded backend's own machinery: caches shared through the index file, rank tiers."""

from __future__ import annotations

from pathlib import Path

import pytest

from search import embedded_index, embedded_ranking
from search.backend import SearchQuery
from search.embedded import EmbeddedSearchBackend
from tests.integration.search.test_contract import doc


def test_another_process_sees_writes_through_the_change_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded_index, "CACHE_MIN_DOCS", 1)  # cache every term bitmap
    reader = EmbeddedSearchBackend(tmp_path / "search.db")
    writer = EmbeddedSearchBackend(tmp_path / "search.db")  # as a second worker would
    writer.index([doc(1, title_zh="石墨烯涂层", field="materials"), doc(2)])
    assert reader.search(SearchQuery(text="石墨烯")).total == 1

    writer.index([doc(3, title_zh="石墨烯薄膜", field="energy")])
    writer.delete([1])
    result = reader.search(SearchQuery(text="石墨烯"))
    assert [hit.id for hit in result.hits] == [3]
    assert result.facets["field"] == {"energy": 1}

    writer.clear()
    assert reader.search(SearchQuery(text="石墨烯")).total == 0
    assert reader.search(SearchQuery()).total == 0


def test_rank_tiers_page_through_every_match_once(monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:  # fmt: skip
    monkeypatch.setattr(embedded_ranking, "RANK_TIER", 7)
    backend = EmbeddedSearchBackend(tmp_path / "search.db")
    backend.index([doc(i) for i in range(1, 31)])
    seen = []
    for page in range(1, 5):
        seen += [h.id for h in backend.search(SearchQuery(text="装置", page=page, per_page=9)).hits]
    assert sorted(seen) == list(range(1, 31))
    # The first page comes from the newest tier.
    first = backend.search(SearchQuery(text="装置", per_page=7)).hits
    assert sorted(h.id for h in first) == list(range(24, 31))


def test_threads_share_one_backend(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    backend = EmbeddedSearchBackend(tmp_path / "search.db")
    backend.index([doc(i) for i in range(1, 50)])

    def work(i: int) -> int:
        if i % 5 == 0:
            backend.index([doc(100 + i)])
        return backend.search(SearchQuery(text="装置")).total

    with ThreadPoolExecutor(max_workers=8) as pool:
        totals = list(pool.map(work, range(40)))
    assert min(totals) >= 49 and backend.count() == 57


def test_a_widened_query_ranks_and_highlights_only_the_pass_it_answers_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = EmbeddedSearchBackend(tmp_path / "search.db")
    backend.index(
        [
            doc(1, title_zh="锂电池供电的无人机"),
            doc(2, title_zh="一种锂离子电池隔膜"),
            doc(3, title_zh="植保无人机"),
        ]
    )
    pages: list[list[int]] = []
    hits = embedded_index.EmbeddedIndex._hits

    def counted(self, conn, page, clauses):  # type: ignore[no-untyped-def]
        pages.append([doc_id for doc_id, _ in page])
        return hits(self, conn, page, clauses)

    monkeypatch.setattr(embedded_index.EmbeddedIndex, "_hits", counted)
    result = backend.search(SearchQuery(text="锂电池 无人机"))  # one listing has both
    assert result.widened and result.total == 3 and result.hits[0].id == 1
    assert pages == [[hit.id for hit in result.hits]]  # the first pass's page was never made


def test_scores_computed_in_python_are_the_ones_fts5_computes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from bench.corpus import CorpusGenerator

    backend = EmbeddedSearchBackend(tmp_path / "search.db")
    backend.index(list(CorpusGenerator(seed=7).documents(120)))
    queries = [
        SearchQuery(text=text, filters=filters, page=page)
        for text in (
            "一种用于锂离子电池的石墨烯复合正极材料及其制备方法",
            "method for preparing a graphene composite catalyst for fuel cells",
            "区块链 battery 育种 lidar",
            "锂 电池",
            "PEM 燃料电池",
            "lithium-ion battery",
            "catalist sensr",
        )
        for filters in ({}, {"field": ("energy", "materials")})
        for page in (1, 2)
    ]

    def results(postings_per_candidate: int) -> list[object]:
        monkeypatch.setattr(embedded_ranking, "POSTINGS_PER_CANDIDATE", postings_per_candidate)
        backend._results.size = 0  # nothing remembered from the other way
        return [(r.total, [(h.id, h.score) for h in r.hits]) for r in map(backend.search, queries)]

    by_sql = results(10**12)  # FTS5's bm25() always
    by_python = results(0)  # search.embedded_scoring whenever it can
    assert by_python == by_sql
    assert any(hits for _, hits in by_sql)
