"""What the market tells people: the event types (`notifications.event_types`), their
default delivery, retry back-off.

Pure: no database, no Flask.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from notifications.event_types import EVENTS, EmailMode, EmailState, EventType

__all__ = [
    "EVENTS",
    "EmailMode",
    "EmailState",
    "EventType",
    "email_state",
    "event_type",
    "retry_at",
]


MAX_ATTEMPTS = 8
DIGEST_HOUR = 8  # local market time: the daily digest goes out at 08:00
WEEKLY_DIGEST_DAY = 1  # Monday (crontab's day of the week): the weekly digest, 08:00 too


def event_type(key: str) -> EventType:
    """The event type `key` (KeyError for an unknown one: a programming error)."""
    return EVENTS[key]


def retry_at(attempts: int, now: datetime) -> datetime:
    """When to try a failed email again: 1, 2, 4 … minutes, at most an hour apart."""
    return now + timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def email_state(mode: EmailMode) -> EmailState:
    """The state a new notification's email starts in, for the recipient's mode."""
    return {
        EmailMode.INSTANT: EmailState.PENDING,
        EmailMode.DAILY: EmailState.DIGEST,
        EmailMode.WEEKLY: EmailState.WEEKLY,
        EmailMode.OFF: EmailState.NONE,
    }[mode]
