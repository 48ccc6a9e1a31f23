"""What people type finds what they mean, on every backend (issue 13's failure classes)."""

from __future__ import annotations

from search.backend import SearchBackend, SearchDocument, SearchQuery
from tests.integration.search.test_contract import doc, ids


def _corpus() -> list[SearchDocument]:
    return [
        doc(1, title_zh="一种锂离子电池隔膜及其制备方法", summary_zh="提高锂离子电池安全性。"),
        doc(2, title_zh="光伏组件清洗机器人"),
        doc(3, title_zh="海带多糖提取工艺", summary_zh="从海带中提取褐藻多糖。"),
        doc(4, title_zh="", title_en="Battery management system with active balancing"),
        doc(5, title_zh="果蔬保鲜包装膜", body="专利号 201510123456.1"),
        doc(6, title_zh="", title_en="Membrane separation of brine"),
        doc(7, title_zh="", title_en="Ceramic separator for batteries"),
    ]


def test_abbreviation_finds_the_long_form(search_backend: SearchBackend) -> None:
    search_backend.index(_corpus())
    assert ids(search_backend, text="锂电池")[0] == 1
    assert ids(search_backend, text="鋰離子電池")[0] == 1  # traditional folded to simplified


def test_english_finds_a_chinese_only_listing(search_backend: SearchBackend) -> None:
    search_backend.index(_corpus())
    assert 1 in ids(search_backend, text="lithium")
    assert ids(search_backend, text="kelp")[0] == 3  # CC-CEDICT: kelp -> 海带


def test_english_finds_chinese_only_listings_cc_cedict_glosses_in_other_forms(
    search_backend: SearchBackend,
) -> None:
    search_backend.index(
        [
            *_corpus(),
            doc(8, title_zh="流感病毒灭活疫苗"),
            doc(9, title_zh="纳米纤维素气凝胶"),
            doc(10, title_zh="城市污泥厌氧消化工艺"),
        ]
    )
    assert ids(search_backend, text="influenza vaccine")[0] == 8  # flu; influenza
    assert ids(search_backend, text="nanocellulose") == [9]  # nano + cellulose
    assert ids(search_backend, text="anaerobic digestion")[0] == 10  # 厌 氧 indexed as 厌氧


def test_typo_is_corrected_and_said(search_backend: SearchBackend) -> None:
    search_backend.index(_corpus())
    result = search_backend.search(SearchQuery(text="batery"))
    assert {hit.id for hit in result.hits} >= {4, 7}
    assert result.suggestion in ("battery", "batteries")


def test_patent_number_in_any_form(search_backend: SearchBackend) -> None:
    search_backend.index(_corpus())
    for typed in ("CN201510123456.1", "ZL 2015 1012 3456.1", "2015101234561", "201510123456"):
        assert ids(search_backend, text=typed) == [5], typed


def test_pinyin_and_initials_find_chinese_titles(search_backend: SearchBackend) -> None:
    search_backend.index(_corpus())
    assert ids(search_backend, text="lizidianchi")[0] == 1
    assert ids(search_backend, text="lzdc")[0] == 1


def test_sentence_query_widens_and_says_so(search_backend: SearchBackend) -> None:
    search_backend.index(_corpus())
    assert ids(search_backend, text="一种锂电池的制备方法")[0] == 1  # filler never required
    result = search_backend.search(SearchQuery(text="锂电池 无人机"))  # no listing has both
    assert result.widened
    assert [hit.id for hit in result.hits] == [1]


def test_acronym_and_class_expand(search_backend: SearchBackend) -> None:
    search_backend.index(_corpus())
    assert ids(search_backend, text="BMS")[0] == 4
    assert ids(search_backend, text="海藻")[0] == 3  # a class finds its member 海带


def test_separation_is_not_a_separator(search_backend: SearchBackend) -> None:
    search_backend.index(_corpus())
    assert ids(search_backend, text="separation") == [6]
    found = ids(search_backend, text="separators")
    assert found[0] == 7 and 6 not in found  # 隔膜 (a separator) may follow, brine may not


def test_keywords_are_searched_with_the_weight_of_the_title(search_backend: SearchBackend) -> None:
    search_backend.index(
        [
            doc(1, title_zh="一种储能装置", keywords=("飞轮",)),
            doc(2, title_zh="一种储能装置", summary_zh="飞轮的另一种用法。"),
            doc(3),
        ]
    )
    assert ids(search_backend, text="飞轮") == [1, 2]


def test_english_finds_a_chinese_word_only_its_own_gloss_names(
    search_backend: SearchBackend,
) -> None:
    # CC-CEDICT glosses 稻米 as rice, but gives rice as 大米, 水稻, 白米: only the
    # listing's own bridge (its words' English glosses) finds it.
    search_backend.index([doc(1, title_zh="稻米降镉加工工艺"), doc(2, title_zh="小麦面粉加工工艺")])
    assert ids(search_backend, text="rice") == [1]


def test_pinyin_finds_a_word_said_only_in_the_summary(search_backend: SearchBackend) -> None:
    search_backend.index(
        [
            doc(1, title_zh="一种生物处理工艺", summary_zh="适用于城镇污水。"),
            doc(2, title_zh="一种生物处理工艺", summary_zh="适用于土壤修复。"),
        ]
    )
    assert ids(search_backend, text="wushui") == [1]


def test_a_widened_query_ranks_by_how_many_words_match(search_backend: SearchBackend) -> None:
    search_backend.index(
        [
            doc(1, title_zh="石墨烯石墨烯石墨烯导热膜"),  # one word, many times
            doc(2, title_zh="石墨烯柔性散热涂层", summary_zh="用于手机散热。"),  # two words
            doc(3, title_zh="陶瓷基板"),
        ]
    )
    found = ids(search_backend, text="石墨烯 散热 晶圆")
    assert found[:2] == [2, 1] and 3 not in found


def test_lone_characters_are_joined_into_the_word_they_spell(
    search_backend: SearchBackend,
) -> None:
    # jieba cuts 可生物降解塑料 as 可 / 生物 / 降解塑料: joined again, 可生物降解 is
    # the glossary's biodegradable, so an English-only listing is found too.
    search_backend.index(
        [
            doc(1, title_zh="", title_en="Biodegradable plastic film for packaging"),
            doc(2, title_zh="", title_en="Plastic pipe extrusion die"),
            doc(3, title_zh="可生物降解塑料及其制备方法"),
        ]
    )
    assert ids(search_backend, text="可生物降解塑料")[:2] == [3, 1]  # plastic alone follows


def test_a_class_word_finds_the_members_of_its_members(search_backend: SearchBackend) -> None:
    search_backend.index([doc(1, title_zh="紫菜工厂化育苗技术"), doc(2, title_zh="水稻育苗技术")])
    assert ids(search_backend, text="藻类") == [1]  # 藻类 -> 海藻 -> 紫菜


def test_a_one_word_query_widens_to_its_parts(search_backend: SearchBackend) -> None:
    search_backend.index(
        [
            doc(1, title_zh="基于知识图谱的智能问答"),
            doc(2, title_zh="电力设备知识库构建方法"),
            doc(3, title_zh="水稻育苗技术"),
        ]
    )
    result = search_backend.search(SearchQuery(text="知识图谱"))
    assert [hit.id for hit in result.hits] == [1, 2] and result.widened


def test_a_one_word_query_that_finds_nothing_widens_to_its_dictionary_parts(
    search_backend: SearchBackend,
) -> None:
    # jieba keeps 农业机械 whole (no cut of its own to widen to): its sub-words 农业 and
    # 机械 find listings holding either, rather than nothing at all; a word that finds
    # itself (浙江大学, test_inventors_and_holder_are_searchable) is not widened so.
    search_backend.index(
        [
            doc(1, title_zh="茶叶嫩芽采摘机械"),
            doc(2, title_zh="智慧农业物联网平台"),
            doc(3, title_zh="水稻育苗技术"),
        ]
    )
    result = search_backend.search(SearchQuery(text="农业机械"))
    assert sorted(hit.id for hit in result.hits) == [1, 2] and result.widened


def test_lone_characters_of_a_query_rank_the_listing_holding_them_together_first(
    search_backend: SearchBackend,
) -> None:
    # jieba cuts 锂硫电池 (not in its dictionary) into 锂 / 硫 / 电池, in listings and query
    # alike: each lone character matches as the start of any word, so listing 2 (硫化物,
    # 锂电池) matched as well as listing 1; the phrase puts the one holding them together first.
    search_backend.index(
        [
            doc(1, title_zh="锂硫电池用多功能隔膜涂层"),
            doc(2, title_zh="硫化物固态电解质及全固态锂电池", summary_zh="锂电池用硫化物电解质。"),
        ]
    )
    assert ids(search_backend, text="锂硫电池") == [1, 2]


def test_british_spellings_reach_cc_cedict_both_ways(search_backend: SearchBackend) -> None:
    # CC-CEDICT glosses in American spelling: an English-only listing's aluminium and a
    # query's fibre are looked up as aluminum and fiber.
    search_backend.index(
        [
            doc(1, title_zh="", title_en="Laser welding of aluminium alloys"),
            doc(2, title_zh="竹纤维增强复合板材"),
            doc(3, title_zh="水稻育苗技术"),
            doc(4, title_zh="", title_en="Carbon fiber reinforced thermoplastics"),
        ]
    )
    assert ids(search_backend, text="铝合金") == [1]
    assert ids(search_backend, text="fibre") == [4, 2]  # as typed (American), translated


def test_chinese_finds_an_english_only_listing_by_its_own_words(
    search_backend: SearchBackend,
) -> None:
    # CC-CEDICT gives 泵 alone no English here (a lone 汉字 of many senses), but it
    # glosses pump first with 泵: the listing's own Chinese bridge finds it.
    search_backend.index(
        [
            doc(1, title_zh="", title_en="Magnetic drive pump for corrosive liquids"),
            doc(2, title_zh="", title_en="Corrosion-resistant valve lining"),
        ]
    )
    assert ids(search_backend, text="泵") == [1]


def test_english_finds_chinese_by_the_head_of_a_longer_gloss(
    search_backend: SearchBackend,
) -> None:
    # CC-CEDICT glosses 缬氨酸 as "valine (Val), an essential amino acid": its head
    # before the comma reaches the listing's English bridge.
    search_backend.index(
        [doc(1, title_zh="缬氨酸发酵生产工艺"), doc(2, title_zh="赖氨酸发酵生产工艺")]
    )
    assert ids(search_backend, text="valine") == [1]


def test_an_english_word_form_finds_its_gloss(search_backend: SearchBackend) -> None:
    # drying is glossed as dry (干燥): the listing that dries sludge comes first.
    search_backend.index(
        [doc(1, title_zh="污泥脱水压滤机"), doc(2, title_zh="污泥低温干燥装置"), doc(3)]
    )
    assert ids(search_backend, text="sludge drying")[0] == 2


def test_a_chinese_word_no_dictionary_has_is_translated_by_its_parts(
    search_backend: SearchBackend,
) -> None:
    # 陶瓷膜 is in no CC-CEDICT entry; 陶瓷 (ceramic) and 膜 (membrane) are.
    search_backend.index(
        [
            doc(1, title_zh="", title_en="Polymer membrane for gas separation"),
            doc(2, title_zh="", title_en="Ceramic membrane for oily wastewater"),
            doc(3, title_zh="", title_en="Ceramic tiles with a glaze"),
        ]
    )
    assert ids(search_backend, text="陶瓷膜")[0] == 2
