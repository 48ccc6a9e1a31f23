"""The roadshows of a period in figures, for the city statistics (`marketplace.statistics`).

An event counts in the period it starts in, unless it was cancelled; its registrations
(not cancelled) and the interest shown at it (contact and introduction requests) count
with it, so the figures of a period belong together.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from core.extensions import db
from events.models import Event, Interest, Registration
from events.rules import InterestKind


def period_figures(start: datetime, end: datetime) -> dict[str, int]:
    """Events held in [start, end), their registrations, contact and introduction requests."""
    held = select(Event.id).where(
        Event.cancelled_at.is_(None), Event.starts_at >= start, Event.starts_at < end
    )
    events = db.session.scalar(select(func.count()).select_from(held.subquery())) or 0
    registrations = db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id.in_(held), Registration.cancelled_at.is_(None)
        )
    )
    rows = db.session.execute(
        select(Interest.kind, func.count(Interest.id))
        .where(Interest.event_id.in_(held))
        .group_by(Interest.kind)
    )
    asked = {kind: int(n) for kind, n in rows}
    return {
        "events_held": int(events),
        "event_registrations": int(registrations or 0),
        "event_contact_requests": int(asked.get(InterestKind.CONTACT, 0)),
        "event_introduction_requests": int(asked.get(InterestKind.INTRODUCTION, 0)),
    }
