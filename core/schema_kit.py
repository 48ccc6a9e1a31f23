"""What the marshmallow schemas of every domain share: the input base, required-field messages."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema

from core.domain import N_
from core.marshmallow_messages import REQUIRED

# A required field that may not be null either: both say "This field is required."
REQUIRED_NOT_NULL: dict[str, Any] = {**REQUIRED, "null": N_("This field is required.")}


class InputSchema(Schema):
    """Input from a form or a JSON body: fields the schema does not name are ignored."""

    class Meta:
        unknown = EXCLUDE
