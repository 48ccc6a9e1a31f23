"""Examples for the OpenAPI document: a request body built from its schema, an error body.

An endpoint may give its own request example (`ApiBlueprint.write(example=...)`); the
others show one built here from the input schema: every field the client may send,
with a value its type and validators accept (the first choice of a `OneOf`, the lower
bound of a `Range`, a string of the shortest allowed `Length`). Rules that span fields
(a title in either language) are stated in words, not in the example.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields
from marshmallow.validate import Length, OneOf, Range

from core.errors import HTTP_ERRORS

# The field-level error an invalid body gets (422), in the example of that answer.
_FIELD_ERROR = {"amount_minor": ["Must be greater than or equal to 1."]}
_MOMENT = "2026-05-11T02:00:00Z"


def error_example(status: int) -> dict[str, Any]:
    """The one error shape, as the API answers `status` (English message)."""
    code, message = HTTP_ERRORS.get(status, HTTP_ERRORS[500 if status >= 500 else 400])
    return {"code": code, "message": message, "errors": _FIELD_ERROR if status == 422 else {}}


def body_example(schema: Schema) -> dict[str, Any]:
    """A body `schema` loads: a value for each field the client may send."""
    example: dict[str, Any] = {}
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        example[field.data_key or name] = _value(field)
    return example


# Values by a field's name, where a type alone would show a value the rules refuse.
_BY_NAME: dict[str, Any] = {
    "url": "https://crm.example.org/market-events",
    "email": "name@example.org",
    "region": "上海市",
    "currency": "CNY",
}


def _value(field: fields.Field) -> Any:
    given = field.metadata.get("example")
    if given is not None:
        return given
    name = field.name or ""
    if name in _BY_NAME and not isinstance(field, (fields.Number, fields.List, fields.Nested)):
        return _BY_NAME[name]
    choice = next((v for v in field.validators if isinstance(v, OneOf)), None)
    if choice is not None:
        return next(iter(choice.choices), None)
    return _typed(field)


def _typed(field: fields.Field) -> Any:
    if isinstance(field, fields.Nested):
        inner = field.schema
        return [body_example(inner)] if field.many else body_example(inner)
    if isinstance(field, fields.List):
        return [_value(field.inner)]
    if isinstance(field, fields.Enum):
        members: list[Any] = list(field.enum.__members__.values())
        return members[0].value if field.by_value else members[0].name
    if isinstance(field, fields.Boolean):
        return True
    if isinstance(field, fields.Number):
        return _number(field)
    if isinstance(field, fields.DateTime):
        return _MOMENT
    if isinstance(field, fields.Date):
        return _MOMENT[:10]
    if isinstance(field, fields.Dict):
        return {}
    if isinstance(field, fields.Email):
        return "name@example.org"
    if isinstance(field, fields.Url):
        return "https://crm.example.org/market-events"
    return _text(field)


def _number(field: fields.Number) -> int | float:
    low = next((v.min for v in field.validators if isinstance(v, Range) and v.min is not None), 1)
    value = max(low, 1)
    if (field.name or "").endswith("_minor"):  # an amount: ¥10,000.00 rather than one fen
        value = max(low, 1_000_000)
    elif (field.name or "").endswith("_id"):
        value = max(low, 12)
    high = next(
        (v.max for v in field.validators if isinstance(v, Range) and v.max is not None), None
    )
    if high is not None:
        value = min(value, high)
    return int(value) if isinstance(field, fields.Integer) else float(value)


def _text(field: fields.Field) -> str:
    shortest = next((v.min for v in field.validators if isinstance(v, Length) and v.min), 0)
    return "text".ljust(shortest or 0, "x")
