"""What the IP number parsers share: the error, the field it names, and cleaning the input.

Pure: no database, no Flask.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from core.domain import ValidationFailed

FIELD = "number"


class InvalidIPNumber(ValidationFailed):
    """An IP number that cannot be what it claims to be; the message says why."""

    code = "invalid_ip_number"


class WrongShape(InvalidIPNumber):
    """The text does not look like the chosen kind (so another kind may fit it)."""


def invalid(message: str, number: str, **params: Any) -> InvalidIPNumber:
    """The number is not valid: `message` says why."""
    return InvalidIPNumber(message, field=FIELD, number=number, **params)


def wrong_shape(message: str, number: str, **params: Any) -> WrongShape:
    """The text does not look like the kind chosen: `message` says what it should look like."""
    return WrongShape(message, field=FIELD, number=number, **params)


def full_match(pattern: re.Pattern[str], body: str, number: str, shape: str) -> re.Match[str]:
    """`body` matched in full by `pattern`, or WrongShape: `shape` says what it should look like."""
    match = pattern.fullmatch(body)
    if match is None:
        raise wrong_shape(shape, number)
    return match


def clean(text: str) -> str:
    """Full-width to ASCII, 。 to ., no whitespace, upper case."""
    text = unicodedata.normalize("NFKC", text or "").replace("。", ".")
    return "".join(text.split()).upper()
