"""An event as an iCalendar file (RFC 5545), written with the `icalendar` library.

Times are written in UTC (`…Z`): every calendar shows them in its owner's zone. The
stream's link is in the file only for those who may see it (the caller decides).
`icalendar` (4 MB of a web worker) is imported when a file is written.
"""

from __future__ import annotations

from datetime import UTC, datetime

from core.dates import as_utc
from events.models import Event

PRODUCT_ID = "-//Technology Market//Events//EN"


def ics(
    event: Event, *, url: str, host: str, now: datetime, locale: str, stream_url: str | None
) -> bytes:
    """The event as a one-event calendar; `stream_url` only for registered participants."""
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", f"event-{event.id}@{host}")
    entry.add("dtstamp", as_utc(now).astimezone(UTC))
    entry.add("dtstart", as_utc(event.starts_at).astimezone(UTC))
    entry.add("dtend", as_utc(event.ends_at).astimezone(UTC))
    entry.add("summary", event.name(locale))
    description = event.description
    if stream_url:
        description = f"{description}\n\n{stream_url}".strip()
    entry.add("description", description)
    entry.add("url", url)
    location = ", ".join(x for x in (event.venue, stream_url) if x)
    if location:
        entry.add("location", location)
    if event.cancelled_at is not None:
        entry.add("status", "CANCELLED")
    calendar.add_component(entry)
    return bytes(calendar.to_ical())
