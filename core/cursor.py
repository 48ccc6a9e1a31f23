"""Opaque cursors of the API's paged lists (newest first, keyed by row id).

A page is read with `id < cursor` in descending id order, so rows inserted while a
client pages (a new bid, a new notification) land before its first page and never
shift or repeat what it reads next. The cursor is the last id of the page, wrapped
so that clients treat it as opaque; one of another list is refused.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from marshmallow import fields, validate

from core.bounds import MAX_ROW_ID
from core.domain import N_, ValidationFailed
from core.schema_kit import InputSchema

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class PageArgsSchema(InputSchema):
    """`?cursor=…&limit=…` of a paged list."""

    cursor = fields.String(
        load_default=None,
        validate=validate.Length(max=200),
        metadata={"description": "`next_cursor` of the previous page; absent: the first page"},
    )
    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT, error=N_("Give a limit between 1 and 100.")),
        metadata={"description": f"Items per page, 1 to {MAX_LIMIT}"},
    )


@dataclass(frozen=True)
class Page:
    """Where a page starts (`before`: ids below it; None: the newest) and how long it is."""

    before: int | None
    limit: int


def encode(kind: str, last_id: int) -> str:
    """The cursor after row `last_id` of the list `kind`."""
    return base64.urlsafe_b64encode(f"{kind}:{last_id}".encode()).decode().rstrip("=")


def decode(kind: str, cursor: str | None) -> int | None:
    """The row id a cursor of list `kind` stands for (None: no cursor); ValidationFailed else."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    found, _, number = text.partition(":")
    if found != kind or not number.isdigit() or not 0 < int(number) <= MAX_ROW_ID:
        raise ValidationFailed(N_("This cursor is not one of this list."), field="cursor")
    return int(number)


def page_of(kind: str, args: dict[str, object]) -> Page:
    """The page `?cursor&limit` asks for in the list `kind`."""
    limit = args.get("limit")
    return Page(
        before=decode(kind, args.get("cursor")),  # type: ignore[arg-type]
        limit=limit if isinstance(limit, int) else DEFAULT_LIMIT,
    )


def next_cursor(kind: str, ids: list[int], limit: int) -> str | None:
    """The cursor of the page after one holding `ids` (None: it was the last page).

    The caller reads `limit + 1` rows: a page is the last when fewer came back.
    """
    return encode(kind, ids[limit - 1]) if len(ids) > limit else None
