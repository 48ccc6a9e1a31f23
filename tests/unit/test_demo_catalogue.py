"""The demo's results read as written one by one: distinct, bilingual, valid numbers, every field."""

from __future__ import annotations

from collections import Counter
from difflib import SequenceMatcher

from listings.ip_numbers import normalise_ip_number
from listings.rules import FIELDS, IPKind
from marketplace.demo.catalogue import CATALOGUE, ORGANISATIONS
from marketplace.demo.needs import NEEDS


def test_at_least_thirty_results_cover_every_field_in_both_languages() -> None:
    assert len(CATALOGUE) >= 30
    per_field = Counter(result.field for result in CATALOGUE)
    assert set(per_field) == set(FIELDS) and min(per_field.values()) >= 3
    for result in CATALOGUE:
        assert result.title_zh and result.summary_zh and result.problem and result.advantage
        assert result.title_en and result.summary_en and result.economics
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in result.title_en + result.summary_en)


def test_no_two_results_share_a_sentence_pattern() -> None:
    for text in ("title_zh", "title_en", "summary_zh", "summary_en", "problem", "advantage"):
        openings = Counter(getattr(result, text)[:12] for result in CATALOGUE)
        repeated = [opening for opening, n in openings.items() if n > 1]
        assert not repeated, f"{text} starts alike: {repeated}"


def test_no_two_summaries_share_half_their_text() -> None:
    """Blocks the summaries have in common (difflib's matching blocks) stay under half of
    the shorter one, in each language: no template with the field swapped."""
    for language in ("summary_zh", "summary_en"):
        texts = [getattr(result, language) for result in CATALOGUE]
        for i, first in enumerate(texts):
            for second in texts[i + 1 :]:
                blocks = SequenceMatcher(None, first, second, autojunk=False)
                shared = sum(block.size for block in blocks.get_matching_blocks())
                assert shared <= min(len(first), len(second)) / 2, (first, second)


def test_patent_numbers_are_valid_and_unique() -> None:
    numbers = [number for result in CATALOGUE for number in result.patents]
    assert len(set(numbers)) == len(numbers)
    for number in numbers:
        kind = IPKind.PCT if number.startswith("PCT/") else IPKind.CN_APPLICATION
        assert normalise_ip_number(kind, number) == number


def test_each_need_finds_a_result_and_an_enterprise_of_its_field() -> None:
    listed = {result.field for result in CATALOGUE if result.stage == "published"}
    seeking = {field for org in ORGANISATIONS if org.kind == "enterprise" for field in org.fields}
    for title, _problem, field, *_ in NEEDS:
        assert field in listed and field in seeking, title
