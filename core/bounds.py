"""How big an input may be: ids in URLs, amounts, dates, repeated parameters.

Anything beyond these bounds names no row and means nothing to the market, and on
the way to the database it would overflow (SQLite's and PostgreSQL's integers stop
at 2**63, INTEGER columns at 2**31): it is refused at the edge, once for all routes.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import Map, ValidationError
from werkzeug.routing.converters import IntegerConverter

MAX_ROW_ID = 2**31 - 1  # ids are INTEGER columns: a larger number names no row
_MAX_ROW_ID_DIGITS = len(str(MAX_ROW_ID))


class BoundedIntegerConverter(IntegerConverter):
    """`<int:x>` that matches only ids a row can have: a larger number is "not found" (404)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        if self.max is None or self.max > MAX_ROW_ID:
            self.max = MAX_ROW_ID

    def to_python(self, value: str) -> Any:
        if len(value) > _MAX_ROW_ID_DIGITS:  # never parse a thousand digits
            raise ValidationError()
        return super().to_python(value)


def init_app(app: Flask) -> None:
    """Make every `<int:...>` of the app bounded; call before any route is registered."""
    app.url_map.converters["int"] = BoundedIntegerConverter
