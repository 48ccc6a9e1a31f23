"""What the marshmallow schemas of every domain share: the input base, messages, enum values."""

from __future__ import annotations

from enum import Enum
from typing import Any

from marshmallow import EXCLUDE, Schema, fields

from core.domain import N_
from core.marshmallow_messages import REQUIRED

# A required field that may not be null either: both say "This field is required."
REQUIRED_NOT_NULL: dict[str, Any] = {**REQUIRED, "null": N_("This field is required.")}


class InputSchema(Schema):
    """Input from a form or a JSON body: fields the schema does not name are ignored."""

    class Meta:
        unknown = EXCLUDE


class EnumValue(fields.Field):
    """An enum attribute as its value in the output: `status = EnumValue()` gives "open"."""

    def __init__(self, **options: Any) -> None:
        super().__init__(dump_only=True, **options)

    def _serialize(self, value: Enum | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else value.value
