"""Technology needs on every search backend: found, filtered, counted and ranked alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from listings.rules import price_band
from search.backend import NeedDocument, SearchBackend, SearchQuery
from search.needs import NEED_FACETS
from tests.integration.search.test_contract import doc as listing_doc

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def need(doc_id: int, **values: object) -> NeedDocument:
    """A plain open need; tests override what matters to them."""
    budget = values.pop("budget_max_minor", 50_000_000)
    base = NeedDocument(
        id=doc_id,
        title=f"寻求一种通用检测技术{doc_id}",
        problem="企业生产线需要一种可靠的在线检测方案。",
        ipc_classes=("G01N 33/00",),
        enterprise="测试科技有限公司",
        field="ict",
        ipc_section="G",
        transfer_modes=("assignment",),
        region="上海",
        budget_band=price_band(budget),  # type: ignore[arg-type]
        budget_max_minor=budget,  # type: ignore[arg-type]
        deadline=None,
        published_at=T0 + timedelta(days=doc_id),
        organisation_id=1,
    )
    return replace(base, **values)  # type: ignore[arg-type]


def ids(backend: SearchBackend, **query: object) -> list[int]:
    return [hit.id for hit in backend.needs.search(SearchQuery(**query)).hits]  # type: ignore[arg-type]


def test_chinese_words_find_needs_and_a_title_match_ranks_first(
    search_backend: SearchBackend,
) -> None:
    search_backend.needs.index(
        [
            need(1, problem="现有正极材料循环寿命短，希望找到包覆改性技术。"),
            need(2, title="寻求高镍三元正极材料量产工艺"),
            need(3, title="寻求农业灌溉节水控制系统"),
        ]
    )
    assert ids(search_backend, text="正极材料") == [2, 1]
    assert ids(search_backend, text="灌溉") == [3]


def test_english_stems_and_the_enterprise_name_are_searchable(
    search_backend: SearchBackend,
) -> None:
    search_backend.needs.index(
        [
            need(1, title="Looking for solid-state battery separators"),
            need(2, enterprise="宁德示范新能源有限公司"),
        ]
    )
    assert ids(search_backend, text="battery separator") == [1]
    assert ids(search_backend, text="宁德") == [2]


def test_empty_text_browses_every_need_newest_first(search_backend: SearchBackend) -> None:
    search_backend.needs.index([need(i) for i in range(1, 5)])
    result = search_backend.needs.search(SearchQuery())
    assert result.total == 4 and [h.id for h in result.hits] == [4, 3, 2, 1]
    assert search_backend.needs.count() == 4


def _facet_corpus() -> list[NeedDocument]:
    return [
        need(1, field="energy", transfer_modes=("assignment", "equity"), region="北京"),
        need(2, field="energy", transfer_modes=("equity",), ipc_section="H"),
        need(3, field="biomed", budget_max_minor=None),
        need(4, field="materials", transfer_modes=("sole_licence",), region="北京"),
    ]


def test_need_facets_filter_or_within_and_across_and_count_every_match(
    search_backend: SearchBackend,
) -> None:
    search_backend.needs.index(_facet_corpus())
    assert sorted(ids(search_backend, filters={"field": ("energy", "biomed")})) == [1, 2, 3]
    assert ids(search_backend, filters={"field": ("energy",), "region": ("北京",)}) == [1]
    assert sorted(ids(search_backend, filters={"transfer_mode": ("equity",)})) == [1, 2]
    result = search_backend.needs.search(SearchQuery(filters={"field": ("energy",)}))
    assert set(result.facets) == set(NEED_FACETS)
    assert result.total == 2
    assert result.facets["field"] == {"energy": 2, "biomed": 1, "materials": 1}
    assert result.facets["transfer_mode"] == {"equity": 2, "assignment": 1}
    assert result.facets["budget_band"] == {"500k_1m": 2}
    assert search_backend.needs.search(SearchQuery()).facets["budget_band"]["negotiable"] == 1


def test_sorting_by_deadline_puts_open_ended_needs_last_and_by_budget(
    search_backend: SearchBackend,
) -> None:
    search_backend.needs.index(
        [
            need(1, deadline=date(2026, 6, 1), budget_max_minor=300),
            need(2, deadline=None, budget_max_minor=None),
            need(3, deadline=date(2026, 4, 1), budget_max_minor=100),
        ]
    )
    assert ids(search_backend, sort="deadline") == [3, 1, 2]
    assert ids(search_backend, sort="budget_desc") == [1, 3, 2]


def test_reindexing_a_need_replaces_it_and_deleting_removes_it(
    search_backend: SearchBackend,
) -> None:
    search_backend.needs.index([need(1, title="寻求锂电池回收技术"), need(2)])
    search_backend.needs.index([need(1, title="寻求光伏组件清洗机器人")])
    assert ids(search_backend, text="回收") == []
    assert ids(search_backend, text="光伏") == [1]
    search_backend.needs.delete([1, 99])
    assert ids(search_backend) == [2]


def test_hits_mark_the_words_found(search_backend: SearchBackend) -> None:
    search_backend.needs.index([need(1, title="寻求氢燃料电池催化剂技术")])
    hit = search_backend.needs.search(SearchQuery(text="催化剂")).hits[0]
    assert "<mark>催化剂</mark>" in hit.highlights["title"]


def test_needs_and_listings_are_kept_apart(search_backend: SearchBackend) -> None:
    search_backend.index([listing_doc(1, title_zh="一种燃料电池催化剂")])
    search_backend.needs.index([need(7, title="寻求燃料电池催化剂")])
    assert [h.id for h in search_backend.search(SearchQuery(text="催化剂")).hits] == [1]
    assert ids(search_backend, text="催化剂") == [7]
    search_backend.clear()
    assert search_backend.count() == 0
    assert search_backend.needs.count() == 1
    search_backend.needs.clear()
    assert search_backend.needs.count() == 0


def test_related_ranks_needs_by_shared_words_and_leaves_out_unrelated_ones(
    search_backend: SearchBackend,
) -> None:
    search_backend.needs.index(
        [
            need(1, title="寻求高镍正极材料包覆技术", problem="正极材料循环寿命短。"),
            need(2, title="寻求正极材料回收工艺", problem="回收电池中的金属。"),
            need(3, title="寻求奶牛养殖环境监测系统", problem="牧场需要监测温湿度。"),
        ]
    )
    found = [i for i, _ in search_backend.needs.related("一种高镍正极材料的包覆方法", 10)]
    assert found[:2] == [1, 2] and 3 not in found
    assert search_backend.needs.related("", 10) == []


def test_related_listings_share_words_with_a_need(search_backend: SearchBackend) -> None:
    search_backend.index(
        [
            listing_doc(1, title_zh="一种高镍正极材料的包覆方法"),
            listing_doc(2, title_zh="一种正极材料的回收工艺"),
            listing_doc(3, title_zh="一种奶牛养殖监测系统"),
        ]
    )
    found = [i for i, _ in search_backend.related("寻求高镍正极材料包覆技术，提高循环寿命", 10)]
    assert found[:2] == [1, 2] and 3 not in found
