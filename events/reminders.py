"""The reminder sweep: each event's participants are reminded once, a day before it starts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.extensions import db
from core.row_lists import all_of
from events.models import Event, Registration
from events.rules import REMINDER_BEFORE, reminder_due
from notifications.services import notify


def remind_due(*, now: datetime) -> int:
    """Remind the participants of every event starting within the day; how many events."""
    due = all_of(
        select(Event)
        .where(
            Event.reminded_at.is_(None),
            Event.cancelled_at.is_(None),
            Event.starts_at > now,
            Event.starts_at <= now + REMINDER_BEFORE,
        )
        .with_for_update(skip_locked=True)
    )
    told = 0
    for event in due:
        if not reminder_due(event.starts_at, event.reminded_at is not None, False, now):
            continue
        users = db.session.scalars(
            select(Registration.user_id).where(
                Registration.event_id == event.id, Registration.cancelled_at.is_(None)
            )
        )
        params = {
            "event": event.title, "event_en": event.name("en"),
            "starts_at": event.starts_at.isoformat(),
        }  # fmt: skip
        notify(users, "event.reminder", params=params, link=f"/events/{event.id}", now=now)
        event.reminded_at = now
        told += 1
    db.session.flush()
    return told
