"""Small pieces shared by the HTML views of every domain (Flask only, no domain import)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from werkzeug.wrappers import Response

from core.db_types import StoredFileMixin
from core.domain import DomainError
from core.files import send_document
from core.forms import FieldErrors, domain_errors
from core.storage import evidence_path
from core.uow import unit_of_work

T = TypeVar("T")
R = TypeVar("R")


def send_stored(folder: Path, stored: StoredFileMixin) -> Response:
    """An uploaded document from `folder` under the name and type it was uploaded with."""
    return send_document(
        evidence_path(folder, stored.stored_name),
        content_type=stored.content_type,
        download_name=stored.original_name,
    )


def save_form(
    parsed: tuple[T | None, FieldErrors],
    save: Callable[[T], R],
    refusal_errors: Callable[[DomainError], FieldErrors] = domain_errors,
    *,
    writer: bool = False,
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
