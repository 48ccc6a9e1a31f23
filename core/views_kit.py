"""Small pieces shared by the HTML views of every domain (Flask only, no domain import)."""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import flask
from flask import request
from flask_login import current_user
from werkzeug.wrappers import Response

from core.audit import history
from core.audit_models import AuditEntry
from core.bounds import MAX_ROW_ID
from core.db_types import StoredFileMixin
from core.domain import DomainError
from core.files import send_document
from core.forms import FieldErrors, domain_errors
from core.uow import unit_of_work

T = TypeVar("T")
R = TypeVar("R")
E = TypeVar("E", bound=enum.Enum)


def row_id(value: str | None) -> int:
    """`value` as a row id; 0 (which names no row) when it is missing, not a whole number,
    or beyond any id, so the use case answers "not found" (never an overflow)."""
    text = (value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 10:
        return 0
    number = int(text)
    return number if number <= MAX_ROW_ID else 0


def form_id(name: str) -> int:
    """A row id posted in form field `name` (see `row_id`)."""
    return row_id(request.form.get(name, ""))


def enum_arg(enum_class: type[E], name: str) -> E | None:
    """The query string's `name` as a member of `enum_class`; None when absent or unknown."""
    raw = request.args.get(name, "")
    return enum_class(raw) if raw in enum_class._value2member_map_ else None


def history_for(is_party: bool, object_type: str, object_id: int) -> list[AuditEntry]:
    """An object's audit history for its own people and reviewers; nothing for anyone else."""
    if is_party or (current_user.is_authenticated and current_user.can_review):
        return history(object_type, object_id)
    return []


def send_stored(folder: Path, stored: StoredFileMixin) -> Response:
    """An uploaded document from `folder` under the name and type it was uploaded with."""
    return send_document(
        folder,
        stored.stored_name,
        content_type=stored.content_type,
        download_name=stored.original_name,
    )


def save_form(
    parsed: tuple[T | None, FieldErrors],
    save: Callable[[T], R],
    refusal_errors: Callable[[DomainError], FieldErrors] = domain_errors,
    *,
    writer: bool | None = None,
) -> tuple[R | None, FieldErrors]:
    """Save an editor's parsed form in one unit of work.

    Returns what `save` returned and no errors, or None and the errors to show on
    the form again: the form's own, or the refusal's (a rolled-back DomainError).
    """
    data, errors = parsed
    if data is None:
        return None, errors
    try:
        with unit_of_work(writer=writer):
            return save(data), {}
    except DomainError as error:
        return None, refusal_errors(error)


def attachment(body: bytes, content_type: str, filename: str) -> flask.Response:
    """A file built for this caller (an export, a template), sent as an attachment, never cached."""
    return flask.Response(
        body,
        content_type=content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )
