"""How a moment, a day and a region read in each language (core/dates.py, core/regions.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.audit_labels import action_source
from core.dates import format_day, format_when
from core.regions import region_label

LATE_EVENING_UTC = datetime(2026, 12, 1, 16, 5, tzinfo=UTC)  # 00:05 the next day in Beijing


def test_a_moment_reads_in_the_market_zone_with_the_zone_named() -> None:
    assert format_when(LATE_EVENING_UTC, "zh_CN") == "2026年12月2日 00:05（北京时间）"
    assert format_when(LATE_EVENING_UTC, "en") == "2 Dec 2026, 00:05 (UTC+8)"


def test_a_naive_moment_is_taken_as_utc_like_everything_stored() -> None:
    assert format_when(datetime(2026, 12, 2, 10, 36), "en") == "2 Dec 2026, 18:36 (UTC+8)"


def test_another_market_zone_is_named_by_its_offset_in_both_languages() -> None:
    assert format_when(LATE_EVENING_UTC, "en", "Europe/Paris") == "1 Dec 2026, 17:05 (UTC+1)"
    assert format_when(LATE_EVENING_UTC, "zh_CN", "Asia/Kolkata").endswith("21:35（UTC+5:30）")


def test_a_day_has_one_form_per_language_and_a_moment_gives_its_market_day() -> None:
    assert format_day(date(2026, 9, 2), "zh_CN") == "2026年9月2日"
    assert format_day(date(2026, 9, 2), "en") == "2 Sep 2026"  # never CLDR's "Sept"
    assert format_day(LATE_EVENING_UTC, "en") == "2 Dec 2026"


def test_regions_read_in_english_for_english_readers_only() -> None:
    assert region_label("山东省威海市", "en") == "Weihai, Shandong"
    assert region_label("上海市", "en") == "Shanghai"
    assert region_label("新疆维吾尔自治区", "en") == "Xinjiang"
    assert region_label("山东省威海市", "zh_CN") == "山东省威海市"
    assert region_label("某某镇", "en") == "某某镇"  # unknown: as written, never invented


def test_an_action_code_reads_by_its_object_where_the_verb_alone_would_mislead() -> None:
    assert action_source("deposit.apply") == "Deposit applied to the price"
    assert action_source("broker.apply") == "Applied for accreditation"
    assert action_source("listing.submit") == "Submitted for review"
    assert action_source("listing.no_such_thing") is None
