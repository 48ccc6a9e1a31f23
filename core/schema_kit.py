"""What the marshmallow schemas of every domain share: the input base, messages, enum values,
and the bounds every input field gets (`bound_fields`)."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any, TypeVar

from flask import has_request_context, url_for
from flask_babel import gettext
from marshmallow import EXCLUDE, Schema, ValidationError, fields

from core.bounds import MAX_ROW_ID, in_year_window, setting
from core.domain import N_
from core.json_body import BAD_TEXT, is_clean_text
from core.marshmallow_messages import REQUIRED

# A required field that may not be null either: both say "This field is required."
REQUIRED_NOT_NULL: dict[str, Any] = {**REQUIRED, "null": N_("This field is required.")}

NUMBER_OUT_OF_RANGE = N_("Give a whole number between %(min)s and %(max)s.")
AMOUNT_TOO_LARGE = N_("The amount is beyond what the market accepts.")
YEAR_OUT_OF_RANGE = N_("Give a date between the years %(min)s and %(max)s.")
TOO_MANY_ITEMS = N_("Give at most %(max)s items.")

# Integers by the end of their name: amounts are money (MAX_AMOUNT_MINOR), the rest have
# the sane maximum of what they count; anything else fits an INTEGER column.
_INTEGER_LIMITS: tuple[tuple[str, int], ...] = (
    ("_bps", 10_000),
    ("percent", 100),
    ("_hours", 24 * 366),
    ("_days", 3_660),
    ("_years", 200),
)
_MARK = "_market_bounded"


def _text(message: str, **params: Any) -> str:
    return gettext(message, **params) if has_request_context() else message % params


class _IntegerBound:
    """At most `limit` either way (a callable, so MAX_AMOUNT_MINOR is read when it is used)."""

    def __init__(self, name: str) -> None:
        self.money = name.endswith("_minor")
        self.fixed = next((limit for suffix, limit in _INTEGER_LIMITS if name.endswith(suffix)), 0)

    def __call__(self, value: int | None) -> None:
        if value is None:
            return
        if self.money:
            if abs(value) > setting("MAX_AMOUNT_MINOR"):
                raise ValidationError(_text(AMOUNT_TOO_LARGE))
            return
        limit = self.fixed or MAX_ROW_ID
        if abs(value) > limit:
            raise ValidationError(_text(NUMBER_OUT_OF_RANGE, min=-limit, max=limit))


def _year_bound(value: date | None) -> None:
    if value is not None and not in_year_window(value):
        low, high = setting("MIN_INPUT_YEAR"), setting("MAX_INPUT_YEAR")
        raise ValidationError(_text(YEAR_OUT_OF_RANGE, min=low, max=high))


def _list_bound(value: list[Any] | None) -> None:
    limit = setting("MAX_LIST_ITEMS")
    if value is not None and len(value) > limit:
        raise ValidationError(_text(TOO_MANY_ITEMS, max=limit))


def _clean_text(value: str | None) -> None:
    if value is not None and not is_clean_text(value):
        raise ValidationError(_text(BAD_TEXT))


def _bound(name: str, field: fields.Field, strict: bool) -> None:
    if field.dump_only:
        return
    done = getattr(field, _MARK, None)  # None: not yet; False: bounded; True: and strict
    if done is None:
        _add_validators(name, field)
    elif done or not strict:
        return
    setattr(field, _MARK, strict)
    if isinstance(field, fields.Integer) and strict:
        field.strict = True
    elif isinstance(field, fields.List):
        _bound(name, field.inner, strict)
    elif isinstance(field, fields.Nested) and isinstance(field.schema, Schema):
        bound_fields(field.schema, strict=strict)


def _add_validators(name: str, field: fields.Field) -> None:
    if isinstance(field, fields.Integer):
        field.validators.append(_IntegerBound(name))
    elif isinstance(field, fields.Date | fields.DateTime):
        field.validators.append(_year_bound)
    elif isinstance(field, fields.String):
        field.validators.append(_clean_text)
    elif isinstance(field, fields.List):
        field.validators.append(_list_bound)


def bound_fields(schema: Schema, *, strict: bool = False) -> Schema:
    """Give every input field of `schema` (and its nested schemas) the market's bounds.

    Integers at most MAX_AMOUNT_MINOR for amounts (`*_minor`) and a sane maximum for
    the rest, dates within MIN_INPUT_YEAR..MAX_INPUT_YEAR, lists at most MAX_LIST_ITEMS,
    text without NUL or lone surrogates. With `strict` (JSON bodies) an integer must be
    a JSON integer: 1.5 or "100" is refused, never rounded or parsed.
    """
    for name, field in schema.fields.items():
        _bound(name, field, strict)
    return schema


F = TypeVar("F", bound=fields.Field)


def optional(kind: type[F], **options: Any) -> F:
    """An input field of `kind` that may be left out or null: None then."""
    return kind(load_default=None, allow_none=True, **options)


class InputSchema(Schema):
    """Input from a form or a JSON body: fields the schema does not name are ignored;
    every field is bounded (`bound_fields`)."""

    class Meta:
        unknown = EXCLUDE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bound_fields(self)


class EnumValue(fields.Field):
    """An enum attribute as its value in the output: `status = EnumValue()` gives "open"."""

    def __init__(self, **options: Any) -> None:
        super().__init__(dump_only=True, **options)

    def _serialize(self, value: Enum | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else value.value


class StoredFileOutSchema(Schema):
    """A stored file (core.db_types.StoredFileMixin) as the API tells of it; its bytes come from a
    download operation."""

    id = fields.Integer()
    kind = fields.String()
    original_name = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    uploaded_at = fields.DateTime()


def download_url(endpoint: str, argument: str) -> fields.Function:
    """The URL of a stored file's download operation, `argument` naming its id."""
    return fields.Function(
        lambda stored: url_for(endpoint, **{argument: stored.id}),
        metadata={"description": "GET it with the token (or the session) to download the file"},
    )
