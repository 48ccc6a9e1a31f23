"""Lists of rows as pages and the API show them: newest first, loaded in one statement."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select

from core.extensions import db

Row = TypeVar("Row")


def newest_first(model: type[Row]) -> Select[Row]:
    """All rows of `model` (which has `created_at`), the newest first; by id among equals."""
    dated: Any = model  # a model with `id` and `created_at` columns
    return select(model).order_by(dated.created_at.desc(), dated.id.desc())


def all_of(query: Select[Row]) -> list[Row]:
    """The rows `query` finds, as a list."""
    return list(db.session.scalars(query))
