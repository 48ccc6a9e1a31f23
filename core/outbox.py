"""The outbox: derived writes (search index, live feeds, mail) recorded in the same transaction.

A service calls `emit()` inside its transaction; the job that consumes the
topic (`consumed_by`: search's indexer) is queued once the transaction commits
and drains the pending rows. A crash or an outage of the consumer loses
nothing: the rows stay pending until the job's next run or sweep drains them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import has_app_context
from sqlalchemy import JSON, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from core import jobs
from core.db_types import UTCDateTime
from core.extensions import Model, db
from core.row_lists import all_of


class OutboxEvent(Model):
    """One derived write to perform after the commit."""

    __tablename__ = "outbox_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(64), index=True)
    key: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(2000))


def emit(
    topic: str, key: str | int, *, now: datetime, payload: dict[str, Any] | None = None
) -> None:
    """Record a derived write in the current transaction."""
    db.session.add(OutboxEvent(topic=topic, key=str(key), payload=payload or {}, created_at=now))
    consumer = _CONSUMERS.get(topic)
    if consumer and has_app_context():
        jobs.enqueue_after_commit(consumer)


_CONSUMERS: dict[str, str] = {}  # topic -> the job that drains it


def consumed_by(topic: str, job_name: str) -> None:
    """Name the job that drains `topic`; `emit` queues it after each commit."""
    _CONSUMERS[topic] = job_name


def pending(topic: str, limit: int = 500) -> list[OutboxEvent]:
    """Unprocessed events of a topic, oldest first."""
    return all_of(
        select(OutboxEvent)
        .where(OutboxEvent.topic == topic, OutboxEvent.processed_at.is_(None))
        .order_by(OutboxEvent.id)
        .limit(limit)
    )
