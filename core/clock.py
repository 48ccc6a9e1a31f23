"""The injected clock: services take `now`; views ask the app's clock for it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import current_app

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def now() -> datetime:
    """The current time from the app's clock (tests replace `app.extensions['clock']`)."""
    clock: Clock = current_app.extensions.get("clock", system_clock)
    return clock()


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; all we store is UTC, so say so."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
