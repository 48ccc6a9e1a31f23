"""The audit view of a row: the fields an entry shows, as plain JSON values."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from core.clock import as_utc


def plain(value: Any) -> Any:
    """A field's value as an audit entry keeps it: an enum by its value, a time in ISO 8601 (UTC)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def fields_of(row: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The audit view of `row`: each of its fields in `names`, by name, as a plain value."""
    return {name: plain(getattr(row, name)) for name in names}
