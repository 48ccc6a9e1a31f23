"""Column helpers shared by the models of every domain."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, Enum, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in UTC, read back aware on every database.

    PostgreSQL's timestamptz keeps the offset; SQLite keeps none and hands back naive
    values, which serialise without one ("2026-11-23T04:12:30", not RFC 3339) and do
    not compare with aware ones. Every moment is stored in UTC and read back as such.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is None:
            return value
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value if value.tzinfo else value.replace(tzinfo=UTC)


def enum_column(cls: type[enum.Enum], length: int = 24) -> Enum:
    """An enum stored as its value in a VARCHAR (same on SQLite and PostgreSQL, no DDL types)."""
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


def unique_where(name: str, *columns: str, where: str) -> Index:
    """A unique index over the rows that match `where` (SQL), alike on PostgreSQL and SQLite:
    e.g. at most one pending row per deal, whatever the rows that are done."""
    return Index(
        name, *columns, unique=True, postgresql_where=text(where), sqlite_where=text(where)
    )


class StoredFileMixin:
    """An uploaded document kept under a random name (see core.storage)."""

    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ClosingPeriodMixin:
    """A period from `starts_at` to `ends_at` that is closed once, at `closed_at`.

    `ends_at` is indexed: the sweeps look for the periods that are due.
    """

    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
