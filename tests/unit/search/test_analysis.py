"""The app-side analysis behind the Elasticsearch fields, and the suggestion keys of both backends."""

from __future__ import annotations

import pytest

from search.text.porter import porter_stem
from search.text.suggestions import suggestion_keys, suggestion_prefix, suggestion_weight
from search.text.tokens import analyse
from search.text.typos import auto_fuzziness, edit_distance, fuzzy_words


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("caresses", "caress"),
        ("ponies", "poni"),
        ("cats", "cat"),
        ("agreed", "agre"),
        ("motoring", "motor"),
        ("hopping", "hop"),
        ("filing", "file"),
        ("happy", "happi"),
        ("relational", "relat"),
        ("generalization", "gener"),
        ("batteries", "batteri"),
        ("battery", "batteri"),
        ("separators", "separ"),
        ("adoption", "adopt"),
        ("controll", "control"),
        ("5g", "5g"),
        ("as", "as"),
    ],
)
def test_porter_stems_as_the_fts5_tokenizer(word: str, stem: str) -> None:
    assert porter_stem(word) == stem


def test_analysis_segments_chinese_and_stems_english_without_punctuation() -> None:
    tokens = analyse("Solid-state Batteries with céramic separators，锂离子电池正极材料").split()
    assert tokens[:6] == ["solid", "state", "batteri", "with", "ceram", "separator0"]  # a sense
    assert {"锂离子", "离子", "电池", "正极", "材料"} <= set(tokens)
    assert "，" not in tokens


def test_full_width_text_is_analysed_as_ascii() -> None:
    assert analyse("ＢＡＴＴＥＲＹ") == "batteri"


def test_edit_distance_counts_transpositions_as_one_and_gives_up_past_the_limit() -> None:
    assert edit_distance("batteri", "baterri") == 2
    assert edit_distance("separ", "sepra") == 1
    assert edit_distance("abc", "xyzabc", limit=2) == 3
    assert [auto_fuzziness(t) for t in ("ab", "abc", "abcde", "abcdef")] == [0, 1, 1, 2]


def test_fuzzy_words_are_the_words_matched_only_with_typos() -> None:
    assert fuzzy_words("Solid-state battery separator", ["baterry"]) == ["battery"]
    assert fuzzy_words("Solid-state battery", ["battery"]) == []  # exact: no typo needed
    assert fuzzy_words("Solid-state battery", ["vattery"]) == []  # first letter must match
    assert fuzzy_words("电池", ["电地"]) == []


def test_suggestion_keys_start_at_the_title_and_at_later_words() -> None:
    keys = suggestion_keys("一种高镍三元正极材料的制备方法")
    assert keys[0] == "一种高镍三元正极材料的制备方法"
    assert "正极材料的制备方法" in keys
    english = suggestion_keys("Solid-State Battery with a  ceramic separator")
    assert english[0] == "solid-state battery with a ceramic separator"
    assert "ceramic separator" in english
    assert not any(key.startswith(("with", "a ")) for key in english)  # stop words start nothing
    assert suggestion_keys("") == []


def test_suggestion_prefix_is_normalised_as_the_keys() -> None:
    assert suggestion_prefix("  Solid   ST") == "solid st"


def test_suggestion_weight_ranks_title_beginnings_then_newest() -> None:
    assert (
        suggestion_weight(True, 10) > suggestion_weight(False, 9000) > suggestion_weight(False, 1)
    )
