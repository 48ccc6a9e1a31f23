"""A job that consumes an outbox topic one event at a time, each batch in its own unit of work."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from core import outbox
from core.clock import now
from core.extensions import db
from core.uow import unit_of_work


class EventHandler(Protocol):
    """What is done once per event: with the id the event's key names, at `now`."""

    def __call__(self, row_id: int, /, *, now: datetime) -> object: ...


def consume_each(topic: str, handle: EventHandler, *, batch: int) -> int:
    """Hand each pending event of `topic` to `handle(id, now=...)` (the event's key is a row's
    id) and mark it processed, `batch` events a unit of work, until none is pending; how many
    events were handled."""
    done = 0
    while True:
        with unit_of_work(writer=True):
            events = outbox.pending(topic, limit=batch)
            for event in events:
                handle(int(event.key), now=now())
                event.processed_at = now()
            db.session.flush()
        if not events:
            return done
        done += len(events)
