"""Deals priced abroad in the statistics: their value in yuan at the rate of each deal's day.

The deal scans add up `price_minor` whatever the currency (they stay as fast as before:
no currency in the covering index). This module reads the few deals not priced in yuan
again, through a small partial index, grouped by the same keys plus their currency and
market day, converts each group once at that day's reference rate, and corrects the
cube: the raw sum of a cell is replaced by its value in yuan. Integers throughout, so the
correction is exact; one rounding per (cell, currency, day), never per deal.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, func, literal, literal_column, select

from core import rates
from core.currencies import REFERENCE, NoRate
from core.extensions import db
from deals.models import Deal

Cube = list[tuple[tuple[str | None, ...], int, int]]


def _day(column: Any, tz: ZoneInfo, at: datetime) -> ColumnElement[Any]:
    """The market day of a moment (the zone's offset at `at`, as `queries._month`)."""
    offset = at.astimezone(tz).utcoffset() or timedelta(0)
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(literal(offset), column))
    minutes = int(offset.total_seconds() // 60)
    return func.strftime("%Y-%m-%d", column, f"{minutes:+d} minutes")


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def in_yuan(
    views: list[tuple[Cube, list[Any]]],
    key_of: Any,
    where: ColumnElement[bool],
    joins: tuple[tuple[Any, Any], ...],
    period: tuple[datetime, datetime, ZoneInfo],
) -> tuple[list[Cube], dict[str, int]]:
    """Each cube of `views` (a cube and the keys it was grouped by) with the value of its
    deals abroad in yuan, and what found no rate (by currency, left out of the values).

    One query serves every cube: the deals abroad grouped by all the cubes' keys, their
    currency and day; each group converted once, its difference added to a cell of each.
    """
    start, end, tz = period
    keys = [key for _, cube_keys in views for key in cube_keys]
    labels = [key.label(f"k{i}") for i, key in enumerate(keys)]
    day = _day(Deal.created_at, tz, start).label("day")
    query: Select[Any] = select(
        *labels, Deal.currency, day, func.sum(Deal.price_minor)
    ).select_from(Deal)
    for target, on in joins:
        query = query.outerjoin(target, on)
    # The literal (not a bound parameter) lets PostgreSQL match the partial index even
    # in a prepared statement's generic plan.
    abroad = Deal.currency != literal_column(f"'{REFERENCE}'")
    rows = db.session.execute(
        query.where(and_(where, abroad)).group_by(*labels, Deal.currency, day)
    ).all()
    if not rows:
        return [cube for cube, _ in views], {}
    table = rates.between(start.astimezone(tz).date(), end.astimezone(tz).date())
    deltas: list[dict[tuple[str | None, ...], int]] = [defaultdict(int) for _ in views]
    unconverted: dict[str, int] = defaultdict(int)
    for row in rows:
        *grouped, currency, on, raw = tuple(row)
        try:
            change = table.convert(int(raw), currency, REFERENCE, _as_date(on)).amount_minor
        except NoRate:
            unconverted[currency] += int(raw)
            change = 0
        offset = 0
        for delta, (_, cube_keys) in zip(deltas, views, strict=True):
            cell = tuple(key_of(k) for k in grouped[offset : offset + len(cube_keys)])
            delta[cell] += change - int(raw)
            offset += len(cube_keys)
    corrected = [
        [(cell, n, value + delta.get(cell, 0)) for cell, n, value in cube]
        for delta, (cube, _) in zip(deltas, views, strict=True)
    ]
    return corrected, dict(unconverted)
