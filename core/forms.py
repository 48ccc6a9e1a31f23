"""HTML form handling shared by the views: parse with a schema, map errors onto fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from flask import current_app, flash, request
from flask_babel import gettext
from marshmallow import EXCLUDE, Schema, ValidationError

from core.domain import N_, DomainError, NotFound, ValidationFailed
from core.schema_kit import bound_fields
from core.service_kit import Upload
from core.uow import unit_of_work

FieldErrors = dict[str, list[str]]
T = TypeVar("T")


def parse_form(schema: Schema) -> tuple[dict[str, Any] | None, FieldErrors]:
    """Load request.form with `schema`; return (data, {}) or (None, field errors)."""
    raw = {key: _value(key) for key in request.form}
    try:
        return bound_fields(schema).load(raw, unknown=EXCLUDE), {}
    except ValidationError as error:
        return None, flatten_errors(error.messages)


def _value(key: str) -> Any:
    values = request.form.getlist(key)
    return values if len(values) > 1 or key.endswith("[]") else values[0]


def flatten_errors(messages: Any) -> FieldErrors:
    if isinstance(messages, dict):
        return {
            str(k): [gettext(str(m)) for m in (v if isinstance(v, list) else [v])]
            for k, v in messages.items()
        }
    return {"_form": [gettext(str(m)) for m in messages]}


def domain_errors(error: DomainError) -> FieldErrors:
    """A refused use case as form errors: on its field when it names one, else on the form."""
    return {error.field or "_form": [error.text(gettext)]}


def attempt(
    use_case: Callable[[], T],
    *,
    success: str | None = None,
    category: str = "success",
    raise_not_found: bool = False,
) -> T | None:
    """Run a use case in its own unit of work, for a view that redirects afterwards.

    A refusal (DomainError) rolls back and is flashed as an error, and None is
    returned; otherwise the success message, if any, is flashed and the use case's
    result returned. With `raise_not_found`, NotFound is raised (a 404) instead of
    flashed: strangers learn nothing, not even through a flashed message.
    """
    try:
        with unit_of_work():
            result = use_case()
    except DomainError as error:
        if raise_not_found and isinstance(error, NotFound):
            raise
        flash(error.text(gettext), "danger")
        return None
    if success is not None:
        flash(success, category)
    return result


@dataclass(frozen=True)
class UploadedFile:
    """A file a form sent: its stream and the name it had on the sender's machine."""

    stream: IO[bytes]
    filename: str


def uploaded_file(field: str = "file") -> UploadedFile:
    """The file the form sent in `field`; ValidationFailed on that field if none was chosen."""
    upload = request.files.get(field)
    if upload is None or not upload.filename:
        raise ValidationFailed(N_("Choose a file to upload."), field=field)
    return UploadedFile(upload.stream, upload.filename)


def document_upload(folder: Path, field: str = "file", *, packed: bool = False) -> dict[str, Any]:
    """The posted document as a storing use case's keyword arguments: the file (`upload`
    when `packed`, else `stream` and `filename`), the `folder` it is kept in and the most
    bytes it may have (MAX_EVIDENCE_BYTES). ValidationFailed on `field` if none was chosen."""
    chosen = uploaded_file(field)
    if packed:
        sent: dict[str, Any] = {"upload": Upload(chosen.stream, chosen.filename)}
    else:
        sent = {"stream": chosen.stream, "filename": chosen.filename}
    return {**sent, "folder": folder, "max_bytes": current_app.config["MAX_EVIDENCE_BYTES"]}
