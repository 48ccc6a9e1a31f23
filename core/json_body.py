"""Reading an API request's JSON body safely: whatever the bytes, a value or a 400.

Python's parser turns 50,000 nested brackets into a RecursionError, a 5,000-digit
number into a ValueError and "\\ud800" into a string no database can store: each
would be a 500 deeper down. Here they are refused before any schema sees them.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Request
from flask_babel import gettext
from werkzeug.exceptions import BadRequest

from core.bounds import setting
from core.domain import N_

# A request's body as `loads` read it, kept in its environ: the arguments' parser and a
# refusal naming the fields the client sent (core.errors) read it once between them.
_PARSED = "market.json_body"
MAX_NUMBER_CHARS = 40  # beyond any amount or id; the schemas name the field if it is too big

NOT_JSON = N_("The body is not valid JSON.")
TOO_DEEP = N_("The body is nested too deeply.")
NUMBER_TOO_LONG = N_("A number in the body is too long.")
BAD_TEXT = N_("The text holds a character that is not allowed (NUL or a lone surrogate).")


class BadBody(BadRequest):
    """A 400 with the uniform error body: `messages` maps fields to their errors."""

    api_code = "invalid_json"

    def __init__(self, message: str, field: str | None = None) -> None:
        text = gettext(message)
        super().__init__(description=text)
        self.data = {"messages": {field: [text]} if field else {}}


def _number(text: str) -> int | float:
    if len(text) > MAX_NUMBER_CHARS:
        raise BadBody(NUMBER_TOO_LONG)
    return float(text) if any(c in text for c in ".eE") else int(text)


def _constant(name: str) -> Any:
    raise BadBody(NOT_JSON)  # NaN, Infinity: not JSON


def _depth_at_most(raw: str, limit: int) -> bool:
    """True unless brackets outside strings nest deeper than `limit` (one linear scan)."""
    depth, in_string, escaped = 0, False, False
    for char in raw:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return False
        elif char in "]}":
            depth -= 1
    return True


def is_clean_text(text: str) -> bool:
    """No NUL and no lone surrogate: what every database stores as it was sent."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_text(value: Any, path: str) -> None:
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if not is_clean_text(item):
                raise BadBody(BAD_TEXT, where or None)
        elif isinstance(item, dict):
            for key, inner in item.items():
                name = f"{where}.{key}" if where else str(key)
                if not is_clean_text(key):
                    raise BadBody(BAD_TEXT, where or None)
                stack.append((inner, name))
        elif isinstance(item, list):
            stack.extend(
                (inner, f"{where}.{i}" if where else str(i)) for i, inner in enumerate(item)
            )


def loads(raw: bytes | str) -> Any:
    """The body as JSON, or BadBody (400) naming the field at fault when there is one."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise BadBody(NOT_JSON) from None
    if not _depth_at_most(text, setting("MAX_JSON_DEPTH")):
        raise BadBody(TOO_DEEP)
    try:
        value = json.loads(text, parse_int=_number, parse_float=_number, parse_constant=_constant)
    except (ValueError, RecursionError):
        raise BadBody(NOT_JSON) from None
    _check_text(value, "")
    return value


def request_json(req: Request) -> Any:
    """The request's body as JSON (`loads`), read once per request; BadBody each time
    it is not valid."""
    if _PARSED not in req.environ:
        req.environ[_PARSED] = loads(req.get_data(cache=True))
    return req.environ[_PARSED]
