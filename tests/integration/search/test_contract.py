"""What every search backend does for users, whatever it runs on (the contract suite)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from listings.rules import price_band
from search.backend import FACETS, SearchBackend, SearchDocument, SearchQuery

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def doc(doc_id: int, **values: object) -> SearchDocument:
    """A plain published listing; tests override what matters to them."""
    price = values.pop("asking_price_minor", 10_000_000)
    base = SearchDocument(
        id=doc_id,
        title_zh=f"一种测试装置{doc_id}",
        title_en="",
        summary_zh="本成果提供一种通用的装置。",
        summary_en="",
        body="",
        ipc_classes=("G01N 33/00",),
        inventors=("王伟",),
        holder="测试大学",
        field="ict",
        ipc_section="G",
        transfer_modes=("assignment",),
        trl=5,
        region="上海",
        price_band=price_band(price),  # type: ignore[arg-type]
        asking_price_minor=price,  # type: ignore[arg-type]
        published_at=T0 + timedelta(days=doc_id),
        organisation_id=1,
    )
    return replace(base, **values)  # type: ignore[arg-type]


def ids(backend: SearchBackend, **query: object) -> list[int]:
    return [hit.id for hit in backend.search(SearchQuery(**query)).hits]  # type: ignore[arg-type]


def test_chinese_term_finds_the_listing_and_title_match_ranks_first(
    search_backend: SearchBackend,
) -> None:
    search_backend.index(
        [
            doc(1, body="正极材料在电池中的应用，提高能量密度。"),
            doc(2, title_zh="一种高镍三元正极材料的制备方法"),
            doc(3, title_zh="一种农业灌溉控制系统"),
        ]
    )
    assert ids(search_backend, text="正极材料") == [2, 1]


def test_sub_words_of_indexed_chinese_words_match(search_backend: SearchBackend) -> None:
    search_backend.index([doc(1, title_zh="锂离子电池隔膜"), doc(2)])
    assert ids(search_backend, text="离子") == [1]
    assert ids(search_backend, text="锂") == [1]


def test_english_stems_match(search_backend: SearchBackend) -> None:
    search_backend.index(
        [doc(1, title_zh="", title_en="Solid-state battery with a ceramic separator"), doc(2)]
    )
    assert ids(search_backend, text="batteries") == [1]
    assert ids(search_backend, text="BATTERY separators") == [1]


def test_inventors_and_holder_are_searchable(search_backend: SearchBackend) -> None:
    search_backend.index([doc(1, inventors=("欧阳明",), holder="浙江大学"), doc(2)])
    assert ids(search_backend, text="浙江大学") == [1]


def test_empty_text_browses_everything_newest_first(search_backend: SearchBackend) -> None:
    search_backend.index([doc(i) for i in range(1, 6)])
    result = search_backend.search(SearchQuery())
    assert result.total == 5
    assert [hit.id for hit in result.hits] == [5, 4, 3, 2, 1]


def _facet_corpus() -> list[SearchDocument]:
    return [
        doc(1, field="energy", trl=7, transfer_modes=("assignment", "equity"), region="北京"),
        doc(2, field="energy", trl=3, transfer_modes=("equity",)),
        doc(3, field="biomed", trl=7, transfer_modes=("assignment",), asking_price_minor=None),
        doc(4, field="materials", trl=9, transfer_modes=("sole_licence",), region="北京"),
    ]


def test_filters_or_within_a_facet_and_across_facets(search_backend: SearchBackend) -> None:
    search_backend.index(_facet_corpus())
    assert sorted(ids(search_backend, filters={"field": ("energy", "biomed")})) == [1, 2, 3]
    assert sorted(ids(search_backend, filters={"field": ("energy",), "trl": ("7",)})) == [1]
    assert sorted(ids(search_backend, filters={"transfer_mode": ("equity",)})) == [1, 2]
    assert ids(search_backend, filters={"region": ("深圳",)}) == []


def test_facet_counts_cover_all_matches_and_add_up(search_backend: SearchBackend) -> None:
    search_backend.index(_facet_corpus() + [doc(i) for i in range(10, 40)])
    result = search_backend.search(SearchQuery(per_page=5))
    assert result.total == 34 and len(result.hits) == 5
    assert set(result.facets) == set(FACETS)
    for facet in ("field", "trl", "region", "price_band", "ipc_section"):
        assert sum(result.facets[facet].values()) == result.total, facet
    assert result.facets["field"]["energy"] == 2
    assert result.facets["transfer_mode"] == {"assignment": 32, "equity": 2, "sole_licence": 1}
    assert result.facets["price_band"]["negotiable"] == 1


def test_filtered_totals_match_the_facet_counts(search_backend: SearchBackend) -> None:
    search_backend.index(_facet_corpus())
    unfiltered = search_backend.search(SearchQuery())
    for value, count in unfiltered.facets["field"].items():
        assert search_backend.search(SearchQuery(filters={"field": (value,)})).total == count
    filtered = search_backend.search(SearchQuery(filters={"field": ("energy",)}))
    assert filtered.total == 2
    assert sum(filtered.facets["trl"].values()) == 2  # other facets count the filtered set
    assert filtered.facets["field"]["biomed"] == 1  # its own facet still offers the others


def test_sorting_by_price_puts_negotiable_last(search_backend: SearchBackend) -> None:
    search_backend.index(
        [
            doc(1, asking_price_minor=300),
            doc(2, asking_price_minor=None),
            doc(3, asking_price_minor=100),
            doc(4, asking_price_minor=200),
        ]
    )
    assert ids(search_backend, sort="price_asc") == [3, 4, 1, 2]
    assert ids(search_backend, sort="price_desc") == [1, 4, 3, 2]
    assert ids(search_backend, text="装置", sort="price_asc") == [3, 4, 1, 2]


def test_sorting_by_maturity_and_newest(search_backend: SearchBackend) -> None:
    search_backend.index([doc(1, trl=9), doc(2, trl=2), doc(3, trl=5)])
    assert ids(search_backend, sort="trl_desc") == [1, 3, 2]
    assert ids(search_backend, text="装置", sort="newest") == [3, 2, 1]


def test_pages_partition_the_results(search_backend: SearchBackend) -> None:
    search_backend.index([doc(i) for i in range(1, 24)])
    pages = [ids(search_backend, text="装置", page=p, per_page=10) for p in (1, 2, 3, 4)]
    assert [len(p) for p in pages] == [10, 10, 3, 0]
    assert sorted(i for page in pages for i in page) == list(range(1, 24))
    assert search_backend.search(SearchQuery(text="装置", page=4, per_page=10)).total == 23


def test_indexing_again_replaces_and_delete_removes(search_backend: SearchBackend) -> None:
    search_backend.index([doc(1, title_zh="旧标题的石墨烯涂层"), doc(2)])
    search_backend.index([doc(1, title_zh="新标题的碳纤维材料")])
    assert ids(search_backend, text="石墨烯") == []
    assert ids(search_backend, text="碳纤维") == [1]
    assert search_backend.count() == 2
    search_backend.delete([1, 999])
    assert ids(search_backend, text="碳纤维") == []
    assert search_backend.count() == 1
    assert search_backend.search(SearchQuery()).facets["field"] == {"ict": 1}


def test_clear_empties_the_index(search_backend: SearchBackend) -> None:
    search_backend.index([doc(1), doc(2)])
    search_backend.clear()
    assert search_backend.count() == 0
    assert search_backend.search(SearchQuery(text="装置")).total == 0
    assert search_backend.healthy()


def test_highlights_mark_matches_in_the_original_text(search_backend: SearchBackend) -> None:
    search_backend.index(
        [
            doc(
                1,
                title_zh="一种<b>锂离子</b>电池的制备方法",
                summary_zh="本发明提高了电池的循环寿命 & 安全性。",
                title_en="Lithium battery",
            )
        ]
    )
    (hit,) = search_backend.search(SearchQuery(text="电池")).hits
    assert hit.highlights["title"] == "一种&lt;b&gt;锂离子&lt;/b&gt;<mark>电池</mark>的制备方法"
    assert "<mark>电池</mark>的循环寿命 &amp; 安全性" in hit.highlights["summary"]
    assert " " not in hit.highlights["title"]  # no segmentation spaces leak into snippets


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '电池"',
        "*",
        "电池*",
        "AND",
        "OR 电池",
        "NOT",
        "-电池",
        "(电池",
        "电池)",
        "NEAR(",
        "title:电池",
        "{title}:电池",
        "^电池",
        "a'b",
        "\\",
        "%",
        "_",
        "电池 AND (",
        "🔋",
        "x" * 500,
    ],
)
def test_special_characters_never_crash(search_backend: SearchBackend, text: str) -> None:
    search_backend.index([doc(1, title_zh="固态电池"), doc(2)])
    result = search_backend.search(SearchQuery(text=text))
    assert result.total >= 0
    if "电池" in text and "title" not in text:  # "title" is just a word here
        assert [hit.id for hit in result.hits] == [1]


def test_unknown_filters_and_sorts_are_harmless(search_backend: SearchBackend) -> None:
    search_backend.index([doc(1), doc(2)])
    result = search_backend.search(
        SearchQuery(filters={"colour": ("red",)}, sort="cheapest", page=1)
    )
    assert result.total == 2


# -- edge cases of what people type -------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["the and of", "的 和 与", "AND OR NOT", "！？。，", "... --- ***"]
)
def test_only_stop_words_or_punctuation_browse_everything(
    search_backend: SearchBackend, text: str
) -> None:
    search_backend.index([doc(i) for i in range(1, 4)])
    result = search_backend.search(SearchQuery(text=text))
    assert result.total == 3
    assert [hit.id for hit in result.hits] == [3, 2, 1]
    assert all("<mark>" not in hit.highlights["title"] for hit in result.hits)


def test_very_long_queries_are_answered(search_backend: SearchBackend) -> None:
    search_backend.index([doc(1, title_zh="固态电池", title_en="Solid-state battery"), doc(2)])
    many_words = " ".join(f"word{i}" for i in range(400))[:2000]
    assert len(many_words) == 2000
    assert search_backend.search(SearchQuery(text=many_words)).total == 0
    repeated = " ".join(["固态电池 battery"] * 153).ljust(2000)
    assert ids(search_backend, text=repeated) == [1]
    assert ids(search_backend, text="电" * 2000) == [1]  # one term: 电, a prefix of 电池
    assert ids(search_backend, text="~" * 2000) == [2, 1]  # no words at all: browse


def test_mixed_chinese_and_english_terms_are_all_required(search_backend: SearchBackend) -> None:
    search_backend.index(
        [
            doc(1, title_zh="固态电池隔膜", title_en="Ceramic separator for solid-state cells"),
            doc(2, title_zh="固态电池电解质"),
            doc(3, title_zh="", title_en="Separator film"),
        ]
    )
    # every word first; then, the query widened, listings with some of them
    assert ids(search_backend, text="固态电池 separator")[0] == 1
    assert ids(search_backend, text="separator固态电池")[0] == 1
    assert sorted(ids(search_backend, text="separator")) == [1, 3]
    hit = search_backend.search(SearchQuery(text="隔膜 ceramic")).hits[0]
    assert hit.highlights["title_zh"] == "固态电池<mark>隔膜</mark>"
    assert hit.highlights["title_en"].startswith("<mark>Ceramic</mark> separator")


@pytest.mark.parametrize(
    "text",
    [
        '"battery"',
        "battery*",
        "battery~",
        "battery~2",
        "battery^",
        "battery^3",
        "battery:",
        "title:battery",
        "/battery/",
        "battery\\",
        "\\battery",
        "(battery)",
        "[battery]",
        "{battery}",
        "+battery",
        "-battery",
        "!battery",
        "battery AND",
        "OR battery",
        "battery && ||",
        "battery NOT",
        "battery]",
        "{battery",
        '"电池',
        "电池~",
        "电池^2",
        "(电池 OR battery)",
    ],
)
def test_query_syntax_is_plain_text(search_backend: SearchBackend, text: str) -> None:
    search_backend.index(
        [doc(1, title_zh="固态电池", title_en="Solid-state battery"), doc(2, title_zh="光伏组件")]
    )
    result = search_backend.search(SearchQuery(text=text))
    words = {"title", "2", "3"} & set(
        text.replace(":", " ").replace("~", " ").replace("^", " ").split()
    )
    if words:  # a digit or 'title' is a word no listing has: only a widened query matches
        assert result.total == 0 or (result.widened and [h.id for h in result.hits] == [1])
    else:
        assert [hit.id for hit in result.hits] == [1]


def test_english_typos_find_the_word(search_backend: SearchBackend) -> None:
    search_backend.index(
        [
            doc(1, title_zh="", title_en="Solid-state battery with a ceramic separator"),
            doc(2, title_zh="", title_en="Battery management system", body="battery battery"),
            doc(3, title_zh="", title_en="Irrigation controller"),
        ]
    )
    assert sorted(ids(search_backend, text="baterry")) == [1, 2]
    assert ids(search_backend, text="ceramc seperator") == [1]
    (hit,) = search_backend.search(SearchQuery(text="seperator")).hits
    assert hit.highlights["title"] == "Solid-state battery with a ceramic <mark>separator</mark>"
    # typos are allowed only when the words as typed find nothing
    search_backend.index([doc(4, title_zh="", title_en="Seperate electrolyte layer")])
    assert ids(search_backend, text="separator") == [1]
    assert ids(search_backend, text="seperate") == [4]


def test_chinese_words_never_match_with_typos(search_backend: SearchBackend) -> None:
    search_backend.index([doc(1, title_zh="锂离子电池隔膜"), doc(2, title_zh="光伏组件")])
    assert ids(search_backend, text="电地") == []
    assert ids(search_backend, text="锂离电池") == [1]  # 锂离 is cut to 锂 + 离: both prefixes


# -- suggestions as you type and similar listings ------------------------------------------------


def _suggest_corpus() -> list[SearchDocument]:
    return [
        doc(
            1,
            title_zh="一种高镍三元正极材料的制备方法",
            title_en="Preparation of high-nickel cathodes",
        ),
        doc(2, title_zh="正极材料包覆工艺", title_en="Cathode coating process"),
        doc(3, title_zh="一种农业灌溉控制系统", title_en="Irrigation control system"),
        doc(4, title_zh="正极材料包覆工艺", title_en="Cathode coating process"),  # same title
        doc(5, title_zh="固态电池", title_en="Solid-state battery with a ceramic separator"),
    ]


def test_suggestions_complete_titles_in_both_languages(search_backend: SearchBackend) -> None:
    search_backend.index(_suggest_corpus())
    assert search_backend.suggest("一种高") == ["一种高镍三元正极材料的制备方法"]
    assert search_backend.suggest("irrig") == ["Irrigation control system"]
    assert search_backend.suggest("IRRIGATION C") == ["Irrigation control system"]
    assert search_backend.suggest("solid-st") == ["Solid-state battery with a ceramic separator"]


def test_suggestions_match_later_words_after_title_beginnings(
    search_backend: SearchBackend,
) -> None:
    search_backend.index(_suggest_corpus())
    # titles starting with 正极 first (one entry for two listings), then titles with the word
    assert search_backend.suggest("正极") == ["正极材料包覆工艺", "一种高镍三元正极材料的制备方法"]
    assert search_backend.suggest("separ") == ["Solid-state battery with a ceramic separator"]
    assert search_backend.suggest("cath") == [
        "Cathode coating process",
        "Preparation of high-nickel cathodes",
    ]
    assert search_backend.suggest("cath", limit=1) == ["Cathode coating process"]


def test_suggestions_for_nothing_or_unknown_text_are_empty(search_backend: SearchBackend) -> None:
    search_backend.index(_suggest_corpus())
    assert search_backend.suggest("") == []
    assert search_backend.suggest("   ") == []
    assert search_backend.suggest("量子") == []
    assert search_backend.suggest('"*(') == []
    search_backend.delete([5])
    assert search_backend.suggest("solid") == []


def _similar_corpus() -> list[SearchDocument]:
    return [
        doc(1, title_zh="锂离子电池正极材料", field="energy"),
        doc(2, title_zh="锂离子电池负极材料", field="energy"),
        doc(3, title_zh="锂离子电池隔膜", field="materials"),
        doc(4, title_zh="农业灌溉控制系统", field="agriculture"),
        doc(5, title_zh="智能灌溉控制方法", field="agriculture"),
        doc(6, title_zh="光伏组件清洗机器人", field="energy"),
    ]


def test_similar_listings_share_words_same_field_first(search_backend: SearchBackend) -> None:
    search_backend.index(_similar_corpus())
    similar = search_backend.similar(1)
    assert similar[:2] == [2, 6] or similar[0] == 2
    assert 1 not in similar
    assert set(similar) == {2, 3, 6}
    assert search_backend.similar(4, limit=1) == [5]
    assert search_backend.similar(999) == []


def test_similar_listings_fall_back_to_the_newest_of_the_field(
    search_backend: SearchBackend,
) -> None:
    search_backend.index([*_similar_corpus(), doc(7, title_zh="光伏逆变器", field="energy")])
    # nothing shares a word with 6 but 7 (光伏); the field's newest fill the rest
    assert search_backend.similar(6, limit=3) == [7, 2, 1]


# -- compound words and the other language ---------------------------------------------------


def test_a_compound_chinese_word_also_matches_as_its_sub_words(
    search_backend: SearchBackend,
) -> None:
    search_backend.index(
        [
            doc(1, title_zh="基于深度网络的图像智能识别方法"),  # 图像 … 识别, never 图像识别
            doc(2, title_zh="一种图像识别系统"),
            doc(3, title_zh="一种图像压缩方法"),  # 图像 alone is not enough
        ]
    )
    assert ids(search_backend, text="图像识别") == [2, 1]  # the whole word ranks first
    (hit,) = [h for h in search_backend.search(SearchQuery(text="图像识别")).hits if h.id == 1]
    assert hit.highlights["title_zh"] == "基于深度网络的<mark>图像</mark>智能<mark>识别</mark>方法"
    assert ids(search_backend, text="锂离子") == []  # 离子 does not cover 锂离子: no fallback


_UNRELATED = ("水稻抗病育种", "高速列车制动", "中药饮片炮制", "无人机植保", "智能电网调度")


def test_glossary_terms_find_listings_in_the_other_language_ranked_after(
    search_backend: SearchBackend,
) -> None:
    search_backend.index(
        [
            doc(1, title_zh="", title_en="Solid-state battery with a ceramic separator"),
            doc(2, title_zh="一种固态电池及其制备方法"),
            doc(3, title_zh="", title_en="Wastewater treatment by membrane bioreactor"),
            doc(4, title_zh="", title_en="Solid waste sorting line"),
            # Chinese-only listings hold English glosses (a bridge): with a few unrelated
            # ones, English words keep the weight (idf) they have in a real index.
            *(doc(i, title_zh=title) for i, title in enumerate(_UNRELATED, start=5)),
        ]
    )
    assert ids(search_backend, text="固态电池") == [2, 1]  # the Chinese listing first
    assert ids(search_backend, text="solid-state battery") == [1, 2]  # the English one first
    assert ids(search_backend, text="污水处理") == [3]
    (hit,) = search_backend.search(SearchQuery(text="污水处理")).hits
    # matched only through the translation: the translation is marked
    assert (
        hit.highlights["title"]
        == "<mark>Wastewater</mark> <mark>treatment</mark> by membrane bioreactor"
    )
    (hit,) = [h for h in search_backend.search(SearchQuery(text="固态电池")).hits if h.id == 2]
    assert hit.highlights["title_zh"] == "一种<mark>固态电池</mark>及其制备方法"


def test_a_listings_details_are_found_in_either_language(search_backend: SearchBackend) -> None:
    from listings.models import Listing
    from search.listing_documents import document_for

    listing = Listing(
        id=7, title_zh="一种储能电站安全监测方法", field="energy", trl=6, holder="测试大学",
        region="上海", transfer_modes=["assignment"], ipc_classes=[], inventors=[],
        problem="储能电站起火前报警太晚。", application_en="Backup batteries of data centres",
        economics_en="Retrofitting costs about a hundredth of one fire's losses.",
        organisation_id=1, created_at=T0, published_at=T0,
    )  # fmt: skip
    listing.ip_assets = []
    search_backend.index([document_for(listing), doc(2)])
    assert ids(search_backend, text="data centres") == [7]
    assert ids(search_backend, text="retrofitting") == [7]
    assert ids(search_backend, text="起火") == [7]
