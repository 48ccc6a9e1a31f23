"""Notifications (the inbox and the email record) and each user's preferences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db_types import UTCDateTime, enum_column
from core.extensions import Model, db
from notifications.rules import EmailMode, EmailState


class Notification(Model):
    """One event told to one user: shown in the inbox, mailed per the user's preference."""

    __tablename__ = "notifications"
    __table_args__ = (db.Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    event: Mapped[str] = mapped_column(String(48))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str | None] = mapped_column(String(300))  # a path on this site
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_state: Mapped[EmailState] = mapped_column(enum_column(EmailState, length=12), index=True)
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_next_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_error: Mapped[str | None] = mapped_column(String(500))


class NotificationPreference(Model):
    """A user's choice for one event type (no row: the event type's default)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "event"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    event: Mapped[str] = mapped_column(String(48))
    in_app: Mapped[bool] = mapped_column(default=True)
    email: Mapped[EmailMode] = mapped_column(enum_column(EmailMode, length=8))


class Watch(Model):
    """A user follows a listing, an auction, a need or a broker: its changes reach them."""

    __tablename__ = "watches"
    __table_args__ = (
        UniqueConstraint("user_id", "object_type", "object_id"),
        db.Index("ix_watches_object", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    object_type: Mapped[str] = mapped_column(String(16))  # listing, auction, need, broker
    object_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
