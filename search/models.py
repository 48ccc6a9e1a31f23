"""Saved searches (alerts) and the keys that find them fast when a listing is published."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db_types import UTCDateTime
from core.extensions import Model, db


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


class SavedSearchKey(Model):
    """One key a saved search is filed under: its most selective word or facet value.

    A new listing looks up the keys it carries and checks only those searches.
    """

    __tablename__ = "saved_search_keys"
    __table_args__ = (db.Index("ix_saved_search_keys_key", "key", "decides"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    saved_search_id: Mapped[int] = mapped_column(
        ForeignKey("saved_searches.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(80))
    # The key alone decides (alert_rules.key_decides): matched without reading the search.
    decides: Mapped[bool] = mapped_column(default=False)
