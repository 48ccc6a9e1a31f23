"""Dates and times as people read them: one format per language, in the market's time zone.

Chinese: 2026年12月2日 18:36（北京时间）; English: 2 Dec 2026, 18:36 (UTC+8). A time is always
shown in the market's zone (`BABEL_DEFAULT_TIMEZONE`, Asia/Shanghai) and always names it,
so a reader abroad cannot take it for their own clock. A day alone has no zone to name.
The auction room's script (static/js/auction.js) builds the same text for rows it adds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Shanghai"
# Zones whose clock Chinese readers call 北京时间 (China Standard Time).
_BEIJING_ZONES = frozenset({"Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin", "PRC"})

# Fixed English month abbreviations (CLDR's en_GB has "Sept", browsers differ): the
# auction room's script uses the same list.
MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _lang(locale: str) -> str:
    return "zh" if str(locale).startswith("zh") else "en"


def utc_offset_label(zone: str, at: datetime) -> str:
    """'UTC+8', 'UTC-3:30', 'UTC' for `zone` at the moment `at`."""
    offset = as_utc(at).astimezone(ZoneInfo(zone)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(locale: str, zone: str, at: datetime) -> str:
    """The zone as the reader knows it: 北京时间 for Chinese readers in China's zone, else UTC±h."""
    if _lang(locale) == "zh" and zone in _BEIJING_ZONES:
        return "北京时间"
    return utc_offset_label(zone, at)


def as_utc(moment: datetime) -> datetime:
    """Naive datetimes (SQLite) are UTC; aware ones are left as they are."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_when(moment: datetime, locale: str, zone: str = DEFAULT_ZONE) -> str:
    """A moment in the market's zone, with the zone named: '2 Dec 2026, 18:36 (UTC+8)'."""
    local = as_utc(moment).astimezone(ZoneInfo(zone))
    clock = f"{local.hour:02d}:{local.minute:02d}"
    label = zone_label(locale, zone, moment)
    if _lang(locale) == "zh":
        return f"{_day_text(local.date(), 'zh')} {clock}（{label}）"
    return f"{_day_text(local.date(), 'en')}, {clock} ({label})"


def _day_text(day: date, lang: str) -> str:
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


def format_day(day: date | datetime, locale: str, zone: str = DEFAULT_ZONE) -> str:
    """A calendar day: '2026年12月2日' / '2 Dec 2026'; a moment is taken in the market's zone."""
    if isinstance(day, datetime):
        day = as_utc(day).astimezone(ZoneInfo(zone)).date()
    return _day_text(day, _lang(locale))
