"""The pure rules of the city statistics: regions, roll-ups, suppression, ratios, periods."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.statistics.rules import (
    OTHER_KEY,
    PeriodError,
    Row,
    by_city,
    by_province,
    by_year,
    conversion,
    international,
    is_abroad,
    mean_days,
    period,
    public_figure,
    split_region,
    suppress,
    total,
)


def test_regions_split_into_province_and_city() -> None:
    assert split_region("浙江省杭州市") == ("浙江省", "杭州市")
    assert split_region("上海市") == ("上海市", "上海市")
    assert split_region("广西壮族自治区南宁市") == ("广西壮族自治区", "南宁市")
    assert split_region("德国慕尼黑") == ("德国慕尼黑", "德国慕尼黑")


def test_abroad_is_outside_mainland_china_and_unknown_is_not_abroad() -> None:
    assert is_abroad("德国慕尼黑") and is_abroad("香港特别行政区")
    assert not is_abroad("江苏省苏州市") and not is_abroad("北京市")
    assert not is_abroad(None) and not is_abroad("  ")


def test_region_rows_roll_up_to_provinces_and_cities() -> None:
    rows = [Row("浙江省杭州市", 2, 200), Row("浙江省宁波市", 1, 50), Row("上海市", 4, 10)]
    assert by_province(rows) == [Row("上海市", 4, 10), Row("浙江省", 3, 250)]
    assert by_city(rows) == [
        Row("上海市", 4, 10),
        Row("浙江省 / 宁波市", 1, 50),
        Row("浙江省 / 杭州市", 2, 200),
    ]


def test_months_roll_up_to_years() -> None:
    rows = [Row("2025-11", 1, 5), Row("2025-12", 2, 7), Row("2026-01", 3, 11)]
    assert by_year(rows) == [Row("2025", 3, 12), Row("2026", 3, 11)]


def test_a_deal_is_international_when_either_party_is_abroad() -> None:
    pairs = [
        ("上海市", "德国慕尼黑", 1, 100),
        ("香港特别行政区", None, 2, 30),
        ("上海市", None, 4, 1),
    ]
    assert international(pairs) == [Row("domestic", 4, 1), Row("international", 3, 130)]


def test_small_rows_are_folded_into_others_and_a_lone_small_row_takes_the_next_smallest() -> None:
    rows = [Row("a", 10, 1000), Row("b", 4, 400), Row("c", 1, 7)]
    # c alone would be a cell of one deal: b joins it.
    assert suppress(rows) == [Row("a", 10, 1000), Row(OTHER_KEY, 5, 407)]
    assert suppress([Row("a", 3, 1), Row("b", 5, 2)]) == [Row("a", 3, 1), Row("b", 5, 2)]


def test_a_table_of_fewer_deals_than_the_threshold_shows_nothing() -> None:
    assert suppress([Row("a", 1, 5), Row("b", 1, 9)]) == [Row(OTHER_KEY, 0, 0, suppressed=True)]
    assert public_figure(2, 500).suppressed and not public_figure(3, 500).suppressed
    assert public_figure(0, 0) == Row("total", 0, 0)


rows_strategy = st.lists(
    st.builds(
        Row, st.text("abcdefgh", min_size=1, max_size=3), st.integers(1, 12), st.integers(0, 10**9)
    ),
    max_size=12,
    unique_by=lambda r: r.key,
)


@given(rows_strategy, st.integers(2, 5))
def test_suppression_never_reveals_a_small_cell(rows: list[Row], threshold: int) -> None:
    shown = suppress(rows, threshold)
    visible = [r for r in shown if not r.suppressed]
    real = {r.key: r for r in rows}
    # Every figure shown rests on at least `threshold` deals...
    assert all(r.deals >= threshold for r in visible)
    # ...a row shown under its own key is the true row...
    assert all(r == real[r.key] for r in visible if r.key != OTHER_KEY)
    # ...and the total of what is shown is the true total or nothing at all, so no small
    # cell can be had by subtraction from the (public) total.
    if any(r.suppressed for r in shown):
        assert not visible and total(rows).deals < threshold
    else:
        assert total(visible) == total(rows)
    # No row of fewer than `threshold` deals keeps its own key.
    assert not any(
        r.key in real and 0 < real[r.key].deals < threshold for r in visible if r.key != OTHER_KEY
    )


def test_conversion_and_time_to_deal() -> None:
    assert conversion(0, 0) is None
    assert conversion(8, 2) == 0.25
    assert conversion(2, 5) == 1.0
    assert mean_days(None, 0) is None
    assert mean_days(3 * 86400 + 2 * 86400, 2) == 2.5


def test_periods_are_inclusive_and_bounded() -> None:
    span = period(date(2025, 1, 1), date(2025, 1, 31))
    assert span.end == date(2025, 2, 1) and span.days == 31
    with pytest.raises(PeriodError):
        period(date(2025, 2, 1), date(2025, 1, 1))
    with pytest.raises(PeriodError):
        period(date(2000, 1, 1), date(2025, 1, 1))


def test_charts_escape_labels_and_draw_no_bar_for_a_hidden_row() -> None:
    from marketplace.statistics.charts import bar_chart, bars_of

    rows = [Row("<script>", 3, 300), Row(OTHER_KEY, 0, 0, suppressed=True)]
    svg = bar_chart(bars_of(rows, str, str), chart_id="c", title="t", desc="d")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'width="0.0"' in svg and "—" in svg
