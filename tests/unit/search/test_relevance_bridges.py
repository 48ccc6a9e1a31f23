"""Stand-ins that carry a query across languages and scripts (issue 13)."""

from __future__ import annotations

from search.es_query import COVERAGE_SCORE, text_query
from search.listing_documents import FIELD_WEIGHTS
from search.text.cedict import english_bridge, to_chinese
from search.text.clauses import query_clauses, required_terms
from search.text.pinyin_words import hanzi_of
from search.text.spelling import Speller
from search.text.tokens import query_terms, segment_for_index


def test_pinyin_spells_chinese_words_but_english_stays_english() -> None:
    assert "污水" in hanzi_of("wushui")
    assert hanzi_of("haidai")[0] == "海带"
    assert hanzi_of("battery") == hanzi_of("change") == ()


def test_a_chinese_only_text_is_bridged_to_its_english_glosses() -> None:
    bridge = english_bridge("海带膳食纤维").split()
    assert "kelp" in bridge
    assert english_bridge("no chinese here") == ""


def test_a_hyphenated_code_is_one_clause_never_translated_by_its_parts() -> None:
    (clause,) = query_clauses("CAR-T")
    words = [alt.words for alt in clause.alternatives]
    assert words[0] == ("car", "t")
    assert ("嵌合", "抗原受体") in words or ("嵌合抗原受体",) in words
    assert not any("汽车" in w for w in words)


def test_question_words_are_never_required() -> None:
    terms, _ = required_terms("有没有能够处理印染废水的技术")
    assert "有没有" not in terms and "能够" not in terms
    assert "废水" in terms or "印染" in terms


def test_a_widened_query_scores_every_matched_clause_above_any_bm25() -> None:
    query = text_query(query_clauses("石墨烯 散热"), FIELD_WEIGHTS, min_match=1)
    named = query["bool"]["should"]
    assert len(named) == 2
    assert all(c["function_score"]["functions"] == [{"weight": COVERAGE_SCORE}] for c in named)
    assert query["bool"]["minimum_should_match"] == 1


def test_each_word_of_a_dictionary_phrase_is_a_clause_carrying_the_phrase_translation() -> None:
    regenerative, braking = query_clauses("regenerative braking")
    for clause in (regenerative, braking):
        assert ("再生制动",) in [alt.words for alt in clause.alternatives]
    assert ("制动",) in [alt.words for alt in braking.alternatives]  # found when widened


def test_english_word_forms_reach_their_dictionary_entry() -> None:
    assert "消化" in to_chinese("digestion")
    assert "再生" in to_chinese("regenerative")


def test_lone_filler_characters_join_a_dictionary_word() -> None:
    assert "中和抗体" in query_terms("流感 中和抗体")


def test_a_dictionary_word_is_never_corrected_to_another_word() -> None:
    speller = Speller({"lets": 5, "battery": 3})
    assert speller.correct("lens") is None
    assert speller.correct("batery") == "battery"


def test_english_words_reach_chinese_through_synonyms_adjectives_and_prefixes() -> None:
    assert "流感" in to_chinese("influenza")  # CC-CEDICT: flu; influenza
    assert "平流层" in to_chinese("stratospheric")  # stratosphere
    assert to_chinese("nanocellulose") == ("纳米纤维素",)  # nano + cellulose


def test_the_index_holds_dictionary_words_jieba_cuts_apart() -> None:
    assert "厌氧" in segment_for_index("餐厨垃圾厌氧发酵").split()  # inside 厌氧发酵
    assert "厌氧" in segment_for_index("城市污泥厌氧消化").split()  # 厌 氧 joined
    assert "anaerobic" in english_bridge("餐厨垃圾厌氧发酵").split()
