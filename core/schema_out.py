"""Output schemas said once: plain fields by type (`out_fields`) and lists of items (`page_of`).

An API resource is mostly ids, amounts, texts and times with nothing to say about them
but their type; `@out_fields(integers="id listing_id", datetimes="starts_at closed_at?")`
declares those in one line, and the class itself keeps only the fields with something to
say (a description, an attribute, a function, `allowed_actions`).
Property order does not matter: responses are JSON objects (sent with sorted keys).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, cast

from marshmallow import Schema, fields
from marshmallow.schema import SchemaMeta

from core.schema_kit import EnumValue

S = TypeVar("S", bound=type[Schema])

_TYPES: dict[str, type[fields.Field]] = {
    "integers": fields.Integer,
    "strings": fields.String,
    "booleans": fields.Boolean,
    "floats": fields.Float,
    "dates": fields.Date,
    "datetimes": fields.DateTime,
    "dicts": fields.Dict,
    "enums": EnumValue,
}
NULLABLE = "?"


def _made(groups: dict[str, str]) -> dict[str, fields.Field]:
    made: dict[str, fields.Field] = {}
    for group, names in groups.items():
        kind = _TYPES[group]
        for name in names.split():
            nullable = name.endswith(NULLABLE)
            made[name.removesuffix(NULLABLE)] = kind(allow_none=True) if nullable else kind()
    return made


def out_fields(**groups: str) -> Callable[[S], S]:
    """Give the decorated schema plain fields, by type: each keyword is a type (`integers`,
    `strings`, `booleans`, `floats`, `dates`, `datetimes`, `dicts`, `enums`) and names its
    fields, separated by spaces; a name ending in `?` may be null (`closed_at?`). A field
    the class declares itself wins over one named here."""

    def declare(schema: S) -> S:
        schema._declared_fields = {**_made(groups), **schema._declared_fields}
        return schema

    return declare


def page_of(item: type[Schema], doc: str, *, name: str, cursor: bool = False) -> type[Schema]:
    """A schema `name` of `items` (a list of `item`), and with `cursor` a `next_cursor`
    (None on the last page). It lives in `item`'s module."""
    attrs: dict[str, object] = {
        "__doc__": doc,
        "__module__": item.__module__,
        "items": fields.List(fields.Nested(item)),
    }
    if cursor:
        attrs["next_cursor"] = fields.String(allow_none=True)
    return cast(type[Schema], SchemaMeta(name, (Schema,), attrs))
