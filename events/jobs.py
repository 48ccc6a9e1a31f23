"""Events' job: remind the participants a day before an event (once, stamped on the event)."""

from __future__ import annotations

from core.clock import now
from core.jobs import EVERY_MINUTE, job
from core.uow import unit_of_work
from events import reminders


@job("events.remind", every=EVERY_MINUTE)
def remind() -> int:
    """Remind the participants of the events starting within the day."""
    with unit_of_work(writer=True):
        return reminders.remind_due(now=now())
