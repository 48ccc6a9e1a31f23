"""Query analysis for recall: numbers, filler, pinyin, spelling, coverage levels."""

from __future__ import annotations

from search.bitmaps import at_least
from search.text.clauses import query_clauses, required_terms
from search.text.numbers import extract_numbers
from search.text.pinyin import pinyin_tokens
from search.text.spelling import Speller
from search.text.tokens import fold_traditional
from search.widening import word_parts


def test_patent_numbers_in_every_form_reduce_to_their_digits() -> None:
    for typed in ("CN201510123456.1", "ZL 2015 1012 3456.1", "2015101234561", "zl201510123456.1"):
        assert extract_numbers(typed)[1] == ["201510123456"], typed
    assert extract_numbers("CN 105123456 A 电池") == ("  电池", ["105123456"])
    assert extract_numbers("电池 2024 年")[1] == []  # a year is no patent number


def test_filler_words_are_never_required_unless_alone() -> None:
    assert required_terms("一种锂电池隔膜的制备方法")[0] == ["锂电池", "隔膜", "制备"]
    assert required_terms("a method for keeping fruit fresh")[0] == ["fruit", "fresh"]
    assert required_terms("方法")[0] == ["方法"]


def test_abbreviation_and_traditional_chinese_expand() -> None:
    (clause,) = query_clauses("鋰電池")
    assert ("锂离子", "电池") in [alternative.words for alternative in clause.alternatives]


def test_pinyin_tokens_cover_words_and_their_runs() -> None:
    tokens = pinyin_tokens("一种锂离子电池隔膜").split()
    assert {"lizidianchi", "lzdc", "dianchi", "gemo"} <= set(tokens)
    assert "dc" not in tokens  # two initials would be English words
    assert pinyin_tokens("Battery") == ""


def test_spelling_corrects_from_the_vocabulary_only() -> None:
    speller = Speller({"battery": 5, "batteries": 2, "desalination": 1, "separator": 3})
    assert speller.correct("batery") == "battery"
    assert speller.correct("desalinaton") == "desalination"
    assert speller.correct("battery") is None  # known
    assert speller.correct("xylophone") is None  # nothing near


def test_coverage_levels_count_clauses_per_document() -> None:
    levels = at_least([0b0111, 0b0110, 0b1100])
    assert levels[1] == 0b1111 and levels[2] == 0b0110 and levels[3] == 0b0100 and levels[4] == 0


def test_taiwan_words_in_traditional_characters_find_their_mainland_words() -> None:
    assert fold_traditional("可生物降解塑膠") == "可生物降解塑料"
    assert fold_traditional("奈米軟體") == "纳米软件"
    assert fold_traditional("晶片切割") == "晶片切割"  # simplified text: a wafer stays a wafer
    assert fold_traditional("wafer") == "wafer"


def test_a_one_word_query_has_its_dictionary_parts_as_a_last_resort() -> None:
    parts = word_parts(query_clauses("农业机械"))
    assert [clause.alternatives[0].words for clause in parts] == [("农业",), ("机械",)]
    assert word_parts(query_clauses("农业 机械 设备")) == []  # one word only


def test_a_run_of_lone_characters_is_also_a_phrase_with_the_word_beside_it() -> None:
    lithium, sulphur, battery = query_clauses("锂硫电池")
    assert [alt.words for alt in battery.alternatives][:2] == [("电池",), ("锂 硫 电池",)]
    assert lithium.alternatives[0].words == ("锂",) and sulphur.alternatives[0].words == ("硫",)
    assert all(" " not in w for c in query_clauses("锂离子电池 隔膜") for w in c.words)
