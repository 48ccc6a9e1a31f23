"""How big an input may be: ids in URLs, amounts, dates, repeated parameters.

Anything beyond these bounds names no row and means nothing to the market, and on
the way to the database it would overflow (SQLite's and PostgreSQL's integers stop
at 2**63, INTEGER columns at 2**31): it is refused at the edge, once for all routes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, current_app, has_app_context, request
from flask_babel import gettext
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import Map, ValidationError
from werkzeug.routing.converters import IntegerConverter

from core.domain import N_

MAX_ROW_ID = 2**31 - 1  # ids are INTEGER columns: a larger number names no row
_MAX_ROW_ID_DIGITS = len(str(MAX_ROW_ID))

# The defaults of the settings of the same name (config.py lets the environment change them).
DEFAULTS: dict[str, int] = {
    "MAX_AMOUNT_MINOR": 10**14,  # ¥1,000,000,000,000.00: beyond any deal, far inside 2**63
    "MIN_INPUT_YEAR": 1900,  # dates people type: filings, contracts, deadlines, auctions
    "MAX_INPUT_YEAR": 2100,
    "MAX_QUERY_VALUES": 20,  # values of one name in a query string (?field=a&field=b...)
    "MAX_FORM_VALUES": 100,  # values of one name in a posted form
    "MAX_LIST_ITEMS": 100,  # items of a list in a form or JSON body
    "MAX_JSON_DEPTH": 32,  # nesting of a JSON body
}

TOO_MANY_VALUES = N_("Too many values for %(field)s: at most %(max)s.")
NUL_IN_TEXT = N_("%(field)s holds a character that is not allowed (NUL).")


def setting(name: str) -> int:
    """The bound `name` of the running app, or its default outside one."""
    default = DEFAULTS[name]
    return int(current_app.config.get(name, default)) if has_app_context() else default


def in_year_window(moment: date) -> bool:
    """True when `moment` (a date or datetime) falls within MIN_INPUT_YEAR..MAX_INPUT_YEAR."""
    return setting("MIN_INPUT_YEAR") <= moment.year <= setting("MAX_INPUT_YEAR")


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


class BadField(BadRequest):
    """A 400 about one field of the query string or form, in the API's error shape."""

    def __init__(self, message: str, field: str, **params: Any) -> None:
        text = gettext(message, field=field, **params)
        super().__init__(description=text)
        self.data = {"messages": {field: [text]}}


BAD_DATE = N_("%(field)s must be a date (YYYY-MM-DD).")
BAD_ID = N_("%(field)s must be a record number.")
TOO_LONG = N_("%(field)s may have at most %(max)s characters.")


def query_date(name: str) -> date | None:
    """A day of the query string (?from=2026-01-31), inside the input years, or BadField."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        value = None
    if value is None or not in_year_window(value):
        raise BadField(BAD_DATE, name)
    return value


def query_id(name: str) -> int | None:
    """A row id of the query string, or BadField beyond what an id column holds."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > _MAX_ROW_ID_DIGITS or int(raw) > MAX_ROW_ID:
        raise BadField(BAD_ID, name)
    return int(raw)


def query_text(name: str, longest: int) -> str | None:
    """A short text of the query string, or BadField when longer than `longest`."""
    value = request.args.get(name, "").strip()
    if len(value) > longest:
        raise BadField(TOO_LONG, name, max=longest)
    return value or None


def _check_values(values: MultiDict[str, str], limit: int) -> None:
    for name in values:
        items = values.getlist(name)
        if len(items) > limit:
            raise BadField(TOO_MANY_VALUES, name, max=limit)
        if "\x00" in name or any("\x00" in item for item in items):
            raise BadField(NUL_IN_TEXT, name.replace("\x00", ""))


def check_request() -> None:
    """Refuse a query string or form that repeats a name too often or holds a NUL (400).

    A repeated parameter costs work per value (facets, filters) and a NUL is stored by
    no database: both are refused before any view runs, for every route.
    """
    _check_values(request.args, setting("MAX_QUERY_VALUES"))
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.form:
        _check_values(request.form, setting("MAX_FORM_VALUES"))


def init_app(app: Flask) -> None:
    """Make every `<int:...>` of the app bounded and check every request's parameters.

    Call before any route is registered (the converter is looked up when a rule is added).
    """
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(check_request)
