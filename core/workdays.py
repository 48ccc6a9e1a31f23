"""Working days of the market (listing periods, deposit release): weekends, holidays, 调休."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class WorkCalendar:
    """Which local dates are working days: Monday–Friday, less holidays, plus make-up days."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)  # weekend days worked (调休)
    timezone: str = "Asia/Shanghai"

    @classmethod
    def from_text(
        cls, holidays: str = "", extra_workdays: str = "", timezone: str = "Asia/Shanghai"
    ) -> WorkCalendar:
        """Build from comma-separated ISO dates (the MARKET_HOLIDAYS / MARKET_WORKDAYS settings)."""
        return cls(_dates(holidays), _dates(extra_workdays), timezone)

    def is_working_day(self, day: date) -> bool:
        """Whether the market works on this local date."""
        if day in self.extra_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The moment `days` working days after `start`, at the same local time of day (UTC out)."""
        if days < 0:
            raise ValueError("days must not be negative")
        zone = ZoneInfo(self.timezone)
        local = start.astimezone(zone)
        day = local.date()
        remaining = days
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        end = datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=zone)
        return end.astimezone(ZoneInfo("UTC"))


def _dates(text: str | Iterable[str]) -> frozenset[date]:
    parts = text.split(",") if isinstance(text, str) else text
    return frozenset(date.fromisoformat(part.strip()) for part in parts if part.strip())


def market_calendar(config: Mapping[str, Any]) -> WorkCalendar:
    """The market's working days from the settings (MARKET_HOLIDAYS, MARKET_WORKDAYS, time zone)."""
    return WorkCalendar.from_text(
        config.get("MARKET_HOLIDAYS", ""),
        config.get("MARKET_WORKDAYS", ""),
        config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai"),
    )
