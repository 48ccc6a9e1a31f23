"""Pure rules of the city statistics: periods, grouping, regions, suppression, conversion.

No Flask, no database: the queries hand over grouped rows (key, deals, value) and these
functions roll them up, suppress the small cells of the public version and compute ratios.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.domain import N_

# The public version never shows a figure that rests on fewer deals than this.
PUBLIC_THRESHOLD = 3
# A period is at most this long: the page answers quickly and exports stay small.
MAX_PERIOD_DAYS = 3660
OTHER_KEY = "other"
UNKNOWN = "unknown"

# Provincial-level divisions of mainland China (GB/T 2260). A region that begins with none
# of them is abroad; Hong Kong, Macao and Taiwan count as abroad, as in the
# technology-contract statistics (境外).
PROVINCES: tuple[str, ...] = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省",
    "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省",
    "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省",
    "甘肃省", "青海省", "内蒙古自治区", "广西壮族自治区", "西藏自治区",
    "宁夏回族自治区", "新疆维吾尔自治区",
)  # fmt: skip


@dataclass(frozen=True)
class Row:
    """One cell group: a key (a channel, a month, a region…), its deals and their value."""

    key: str
    deals: int
    value_minor: int
    suppressed: bool = False


@dataclass(frozen=True)
class Period:
    """[start, end) in whole days; `end` is exclusive."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days


class PeriodError(ValueError):
    """A period that is reversed or longer than MAX_PERIOD_DAYS."""


def period(start: date, last_day: date) -> Period:
    """The period from `start` to `last_day` inclusive, bounded."""
    if last_day < start:
        raise PeriodError(N_("The period ends before it starts."))
    result = Period(start, last_day + timedelta(days=1))
    if result.days > MAX_PERIOD_DAYS:
        raise PeriodError(N_("The period is too long: at most ten years."))
    return result


def default_period(today: date) -> Period:
    """This calendar year so far, today included."""
    return Period(date(today.year, 1, 1), today + timedelta(days=1))


def asked_period(start: date | None, last_day: date | None, today: date) -> Period:
    """The period asked for (either end may be left out), else this year so far; bounded."""
    fallback = default_period(today)
    first = start or fallback.start
    return period(first, last_day or max(today, first))


def split_region(region: str) -> tuple[str, str]:
    """('浙江省', '杭州市') from '浙江省杭州市'; a municipality is its own city; abroad as is."""
    region = region.strip()
    for province in PROVINCES:
        if region.startswith(province):
            return province, region[len(province) :] or province
    return region, region


def is_abroad(region: str | None) -> bool:
    """Whether an organisation's region lies outside mainland China (None: not known)."""
    if region is None or not region.strip():
        return False
    return not any(region.strip().startswith(p) for p in PROVINCES)


def merge(rows: Iterable[Row]) -> list[Row]:
    """Rows with the same key added together, in key order."""
    totals: dict[str, tuple[int, int]] = {}
    for row in rows:
        deals, value = totals.get(row.key, (0, 0))
        totals[row.key] = (deals + row.deals, value + row.value_minor)
    return [Row(key, d, v) for key, (d, v) in sorted(totals.items())]


def rollup(cube: Iterable[tuple[tuple[str | None, ...], int, int]], index: int) -> list[Row]:
    """One table of a cube (rows of several keys): its `index`-th key, added up; a missing
    key (a deal without a listing, a party off the market) is 'unknown'."""
    return merge(Row(keys[index] or UNKNOWN, n, v) for keys, n, v in cube)


def by_province(rows: Iterable[Row]) -> list[Row]:
    """Region rows rolled up to their provinces."""
    return merge(Row(split_region(r.key)[0], r.deals, r.value_minor) for r in rows)


def by_city(rows: Iterable[Row]) -> list[Row]:
    """Region rows keyed 'province / city'."""
    return merge(
        Row(" / ".join(_distinct(split_region(r.key))), r.deals, r.value_minor) for r in rows
    )


def _distinct(parts: tuple[str, str]) -> tuple[str, ...]:
    return parts[:1] if parts[0] == parts[1] else parts


def by_year(month_rows: Iterable[Row]) -> list[Row]:
    """'YYYY-MM' rows rolled up to 'YYYY'."""
    return merge(Row(r.key[:4], r.deals, r.value_minor) for r in month_rows)


def international(pairs: Iterable[tuple[str | None, str | None, int, int]]) -> list[Row]:
    """Deals grouped by (seller region, buyer region) → domestic / international rows."""
    return merge(
        Row("international" if is_abroad(s) or is_abroad(b) else "domestic", n, v)
        for s, b, n, v in pairs
    )


def total(rows: Sequence[Row]) -> Row:
    """All rows added together."""
    return Row("total", sum(r.deals for r in rows), sum(r.value_minor for r in rows))


def suppress(rows: Sequence[Row], threshold: int = PUBLIC_THRESHOLD) -> list[Row]:
    """The public table: every row resting on fewer than `threshold` deals is folded into one
    'other' row; if that row is itself too small, the next smallest rows join it until it is
    not (or everything has). The folded row is marked suppressed when it still rests on fewer
    than `threshold` deals, and then shows no figure. The total of the rows never changes, so
    no small cell can be recovered from a total and the rows shown."""
    ordered = sorted((r for r in rows if r.deals > 0), key=lambda r: (r.deals, r.key))
    small = [r for r in ordered if r.deals < threshold]
    if not small:
        return sorted(ordered, key=lambda r: r.key)
    shown = [r for r in ordered if r.deals >= threshold]
    folded = list(small)
    while sum(r.deals for r in folded) < threshold and shown:
        folded.append(shown.pop(0))
    other = total(folded)
    result = sorted(shown, key=lambda r: r.key)
    if other.deals >= threshold:
        return [*result, Row(OTHER_KEY, other.deals, other.value_minor)]
    return [*result, Row(OTHER_KEY, 0, 0, suppressed=True)]


def public_figure(deals: int, value_minor: int, threshold: int = PUBLIC_THRESHOLD) -> Row:
    """A single public figure: hidden when it rests on fewer than `threshold` deals."""
    if 0 < deals < threshold:
        return Row("total", 0, 0, suppressed=True)
    return Row("total", deals, value_minor)


def conversion(published: int, sold: int) -> float | None:
    """The share of listings published in the period that reached a deal (None: none published)."""
    if published <= 0:
        return None
    return min(sold, published) / published


def mean_days(total_seconds: float | None, count: int) -> float | None:
    """The mean time to deal in days, from the summed seconds of `count` deals."""
    if not count or total_seconds is None:
        return None
    return round(total_seconds / count / 86400, 1)
