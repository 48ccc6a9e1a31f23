"""Pure rules of roadshows and events (路演): what a schedule needs, who may register, reminders.

No database, no Flask, no clock: `now` comes in as an argument.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from core.domain import N_, DomainError, PermissionDenied, ValidationFailed

MAX_CAPACITY = 100_000
MAX_AGENDA = 30
MAX_DURATION = timedelta(days=7)
REMINDER_BEFORE = timedelta(hours=24)


class EventFormat(enum.StrEnum):
    """Where an event takes place."""

    ONLINE = "online"
    OFFLINE = "offline"  # at the physical market
    HYBRID = "hybrid"  # both at once


class InterestKind(enum.StrEnum):
    """What a participant asked for about a pitched listing."""

    CONTACT = "contact"
    INTRODUCTION = "introduction"


class EventRuleBroken(DomainError):
    """An event's rule refuses the action."""


@dataclass(frozen=True)
class Schedule:
    """An event's time, place and size as its organiser gives them."""

    format: EventFormat
    starts_at: datetime
    ends_at: datetime
    capacity: int
    venue: str
    stream_url: str


def check_schedule(schedule: Schedule, now: datetime) -> None:
    """ValidationFailed unless the event can be held as described."""
    if schedule.starts_at <= now:
        raise ValidationFailed(N_("An event is scheduled in the future."), field="starts_at")
    if not schedule.starts_at < schedule.ends_at <= schedule.starts_at + MAX_DURATION:
        raise ValidationFailed(
            N_("An event ends after it starts, within seven days."), field="ends_at"
        )
    if not 1 <= schedule.capacity <= MAX_CAPACITY:
        raise ValidationFailed(
            N_("The registration limit is between 1 and %(limit)s."),
            field="capacity",
            limit=MAX_CAPACITY,
        )
    if schedule.format != EventFormat.ONLINE and not schedule.venue.strip():
        raise ValidationFailed(N_("Give the venue at the market."), field="venue")
    if schedule.format != EventFormat.OFFLINE:
        check_stream_url(schedule.stream_url)


def check_stream_url(url: str) -> None:
    """An https link to the stream (never a script or a plain-text address)."""
    parts = urlsplit(url.strip())
    if parts.scheme != "https" or not parts.hostname or len(url) > 500:
        raise ValidationFailed(
            N_("Give the stream's link, starting with https://."), field="stream_url"
        )


def check_may_register(
    *, starts_at: datetime, cancelled: bool, taken: int, capacity: int, now: datetime
) -> None:
    """EventRuleBroken unless a new participant may still register."""
    if cancelled:
        raise EventRuleBroken(N_("This event was cancelled."), code="event_cancelled")
    if now >= starts_at:
        raise EventRuleBroken(N_("Registration closed when the event started."), code="started")
    if taken >= capacity:
        raise EventRuleBroken(N_("The event is full."), code="event_full")


def check_may_show_interest(*, starts_at: datetime, registered: bool, now: datetime) -> None:
    """Interest in a pitched listing is recorded from the start, by those who registered."""
    if not registered:
        raise PermissionDenied(
            N_("Register for the event to show interest in its listings."), code="not_registered"
        )
    if now < starts_at:
        raise EventRuleBroken(
            N_("Interest is recorded once the event has started."), code="not_started"
        )


def reminder_due(starts_at: datetime, reminded: bool, cancelled: bool, now: datetime) -> bool:
    """Whether the participants are to be reminded now (once, within a day of the start)."""
    return not reminded and not cancelled and now < starts_at <= now + REMINDER_BEFORE
