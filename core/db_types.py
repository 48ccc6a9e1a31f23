"""Column helpers shared by the models of every domain."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column


def enum_column(cls: type[enum.Enum], length: int = 24) -> Enum:
    """An enum stored as its value in a VARCHAR (same on SQLite and PostgreSQL, no DDL types)."""
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class StoredFileMixin:
    """An uploaded document kept under a random name (see core.storage)."""

    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ClosingPeriodMixin:
    """A period from `starts_at` to `ends_at` that is closed once, at `closed_at`.

    `ends_at` is indexed: the sweeps look for the periods that are due.
    """

    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
