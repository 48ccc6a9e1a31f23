"""Text analysis: segmentation, query terms that cannot inject syntax, safe highlighting."""

from __future__ import annotations

import pytest

from search.text.fts5 import fts5_match
from search.text.highlighting import crude_stem, highlight
from search.text.tokens import query_terms, segment_for_index


def test_chinese_is_segmented_into_words_and_their_sub_words() -> None:
    tokens = segment_for_index("锂离子电池正极材料的制备方法").split()
    assert {"锂离子", "离子", "电池", "正极", "材料", "制备", "方法"} <= set(tokens)


def test_english_text_is_left_to_the_index_tokenizer() -> None:
    assert segment_for_index("Method and apparatus for batteries") == (
        "Method and apparatus for batteries"
    )


def test_query_terms_cut_chinese_and_lowercase_english() -> None:
    assert query_terms("锂离子电池 Batteries") == ["锂离子", "电池", "batteries"]


def test_full_width_letters_are_normalised() -> None:
    assert query_terms("ＢＡＴＴＥＲＹ") == ["battery"]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        '""',
        "*",
        "AND",
        "battery AND",
        "-cathode",
        "(",
        ")(",
        "NEAR(a b)",
        "a:b",
        "^x",
        "title:电池",
        '电池"); DROP TABLE docs; --',
        "{title}: x",
        "\x00",
        "   ",
    ],
)
def test_query_syntax_from_users_becomes_plain_quoted_words(text: str) -> None:
    expression = fts5_match(query_terms(text))
    if expression is not None:
        for part in expression.split(" "):
            assert part.startswith('"') and part.rstrip("*").endswith('"')
            assert '"' not in part.rstrip("*")[1:-1].replace('""', "")


def test_operators_and_stopwords_are_dropped() -> None:
    assert query_terms("battery AND cathode OR NOT the anode") == ["battery", "cathode", "anode"]


def test_a_lone_chinese_character_is_a_prefix_query() -> None:
    assert fts5_match(["锂"]) == '"锂"*'


def test_highlight_marks_chinese_terms_without_adding_spaces() -> None:
    assert (
        highlight("一种锂离子电池的制备方法", ["电池"]) == "一种锂离子<mark>电池</mark>的制备方法"
    )


def test_highlight_escapes_html_around_and_inside_marks() -> None:
    out = highlight("<script>alert(1)</script> & 电池<b>", ["电池", "script"])
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;<mark>script</mark>&gt;" in out
    assert "&amp; <mark>电池</mark>&lt;b&gt;" in out


def test_highlight_matches_english_stems_case_insensitively() -> None:
    out = highlight("A Battery pack and batteries", ["batteries"])
    assert out == "A <mark>Battery</mark> pack and <mark>batteries</mark>"


def test_highlight_window_keeps_the_first_match_in_view() -> None:
    text = "甲" * 300 + "电池" + "乙" * 300
    out = highlight(text, ["电池"], max_chars=100)
    assert "<mark>电池</mark>" in out and out.startswith("…") and out.endswith("…")


def test_crude_stem_joins_singular_and_plural() -> None:
    assert crude_stem("batteries") == crude_stem("battery")
    assert crude_stem("methods") == crude_stem("method")


def test_a_compound_word_is_also_its_sub_words_and_a_glossary_term_its_translation() -> None:
    from search.text.clauses import TRANSLATION_WEIGHT, Alternative, query_clauses
    from search.text.compounds import compound_parts

    assert compound_parts("图像识别") == ("图像", "识别")
    assert compound_parts("锂离子") == ()  # 离子 leaves 锂 uncovered
    (clause,) = query_clauses("图像识别")
    assert clause.alternatives[:2] == (Alternative(("图像识别",)), Alternative(("图像", "识别")))
    assert Alternative(("image", "recognition"), TRANSLATION_WEIGHT) in clause.alternatives
    assert fts5_match([clause]) == (
        '("图像识别" OR ("图像" AND "识别") OR ("image" AND "recognition"))'
    )


def test_a_glossary_phrase_spans_query_words_in_either_language() -> None:
    from search.text.clauses import query_clauses

    (zh,) = query_clauses("固态电池")  # cut as 固态 + 电池
    assert [a.words for a in zh.alternatives] == [("固态", "电池"), ("solid", "state", "battery")]
    (en,) = query_clauses("Solid-State Batteries")
    assert en.alternatives[0].words == ("solid", "state", "batteries")
    assert en.alternatives[1].words == ("固态", "电池")
    assert fts5_match(query_clauses("固态电池 隔膜")).count(" AND (") == 1
