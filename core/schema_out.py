"""Output schemas said once: plain fields by type (`out_fields`) and lists of items (`page_of`).

An API resource is mostly ids, amounts, texts and times with nothing to say about them
but their type; `@out_fields(integers="id listing_id", datetimes="starts_at closed_at?")`
declares those in one line, and the class itself keeps only the fields with something to
say (a description, an attribute, a function, `allowed_actions`).
Property order does not matter: responses are JSON objects (sent with sorted keys).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar, cast

from marshmallow import Schema, fields, missing
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


Dump = Callable[[Mapping[str, Any]], dict[str, Any]]


def plain_dumper(schema: type[Schema]) -> Dump:
    """What `schema().dump(a_dict)` returns, for a hot read, without marshmallow's per-field
    machinery: the schema's fields (integers, strings, booleans, lists of them or of nested
    such schemas) picked from a dict and converted as marshmallow converts them; a key the
    dict lacks is left out, as marshmallow leaves it. A schema with any other field, or a
    field renamed (`attribute`, `data_key`), is refused when the dumper is made."""
    made = schema()
    if any(made._hooks.values()):
        raise TypeError(f"plain_dumper: {schema.__name__} has pre/post-dump hooks")
    picks = [(name, _converter(field)) for name, field in made.dump_fields.items()]

    def dump(obj: Mapping[str, Any]) -> dict[str, Any]:
        return {
            name: convert(obj[name]) if obj[name] is not None else None
            for name, convert in picks
            if name in obj
        }

    return dump


def _converter(field: fields.Field) -> Callable[[Any], Any]:
    """How marshmallow's `field` converts a value that is not None."""
    if field.attribute is not None or field.data_key is not None:
        raise TypeError(f"plain_dumper: {field!r} is renamed")
    if field.dump_default is not missing:
        raise TypeError(f"plain_dumper: {field!r} has a default")
    kind = type(field)
    if kind is fields.Integer and not field.as_string:  # type: ignore[attr-defined]
        return int
    if kind is fields.String:
        return lambda value: (
            value if isinstance(value, str) else fields.String()._serialize(value, None, None)
        )
    if kind is fields.Boolean:
        return lambda value: value
    if kind is fields.List:
        inner = _converter(field.inner)  # type: ignore[attr-defined]
        return lambda values: [None if each is None else inner(each) for each in values]
    if isinstance(field, fields.Nested) and kind is fields.Nested:
        plain = not (field.many or field.only or field.exclude)
        if plain and isinstance(field.nested, type) and issubclass(field.nested, Schema):
            return plain_dumper(field.nested)
    raise TypeError(f"plain_dumper: {kind.__name__} is not a plain field")
