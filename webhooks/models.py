"""Webhook endpoints, the events written for them (the outbox), each delivery and its attempts."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db_types import UTCDateTime, enum_column
from core.extensions import Model, db


class DeliveryState(enum.StrEnum):
    """Where one event's delivery to one endpoint stands."""

    PENDING = "pending"  # due at `next_at` (or now), or leased to a worker until then
    DELIVERED = "delivered"  # the receiver answered 2xx: the job never sends it again
    FAILED = "failed"  # gave up after MAX_ATTEMPTS; "send again" puts it back


class WebhookEndpoint(Model):
    """An organisation's receiver: where to POST which event types, signed with its secret."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Kept to sign with (a receiver verifies with the same secret), shown once to its people.
    secret: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    secret_rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WebhookEvent(Model):
    """One event concerning an organisation, written in the transaction of the change."""

    __tablename__ = "webhook_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(40), unique=True)  # `id` of the payload: evt_...
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    type: Mapped[str] = mapped_column(String(48))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class WebhookDelivery(Model):
    """One event to one endpoint: due when, tried how often, delivered or not."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "endpoint_id"),
        db.Index("ix_webhook_deliveries_due", "state", "next_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("webhook_events.id"))
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id"), index=True)
    state: Mapped[DeliveryState] = mapped_column(enum_column(DeliveryState, length=12))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))

    event: Mapped[WebhookEvent] = relationship()


class WebhookAttempt(Model):
    """One POST of a delivery: when, the receiver's status code, how long, what went wrong."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(500))
