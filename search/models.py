"""Saved searches (alerts) and the change log that keeps the alert index of each worker fresh."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db_types import UTCDateTime
from core.extensions import Model


class SavedSearch(Model):
    """A user's search (words and facets), run against every newly published listing."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(String(200), default="")
    terms: Mapped[str] = mapped_column(String(1000), default="")  # the text, analysed
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    frequency: Mapped[str] = mapped_column(String(8))  # instant, daily, off
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SavedSearchGeneration(Model):
    """One row: the number of the latest change to the saved searches, and its random token.

    Each change takes this row's lock (PostgreSQL) or the write lock (SQLite) to number
    itself, so changes commit in the order of their numbers (see `search.alert_index`).
    """

    __tablename__ = "saved_search_generation"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(default=0)
    token: Mapped[str] = mapped_column(String(32))


class SavedSearchChange(Model):
    """Change `generation` touched this saved search (created, changed or deleted)."""

    __tablename__ = "saved_search_changes"

    generation: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    saved_search_id: Mapped[int]  # no foreign key: the search may be gone
    # The generation row's token of this change: a rolled-back number reused by another
    # change carries another token, so an index that saw the first knows it must reload.
    token: Mapped[str] = mapped_column(String(32))
