"""What many use cases do alike: load a row or NotFound, add a row, audit, keep a document.

Plain functions over the session, in the caller's unit of work: they flush, never commit.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, TypeVar

from core import audit, storage, uow
from core.domain import N_, NotFound, ValidationFailed
from core.extensions import db

Row = TypeVar("Row")


def get_or_not_found(model: type[Row], row_id: int, missing: str, *, lock: bool = False) -> Row:
    """The row of `model` with this id, or NotFound(`missing`).

    `lock` reads it afresh and row-locked until the end of the transaction (where money
    or order is at stake).
    """
    row = db.session.get(model, row_id, with_for_update=lock or None, populate_existing=lock)
    if row is None:
        raise NotFound(missing)
    return row


def flush_new(row: Row) -> Row:
    """Add a new row to the session and flush, so that it has its id."""
    db.session.add(row)
    db.session.flush()
    return row


def audit_action(
    action: str,
    object_id: int,
    actor_id: int | None,
    now: datetime,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    chained: bool = False,
    object_type: str | None = None,
) -> None:
    """Audit `action` ("listing.feature") on the object of the type its prefix names."""
    audit.record(
        actor_id=actor_id,
        action=action,
        object_type=object_type or action.partition(".")[0],
        object_id=object_id,
        now=now,
        before=before,
        after=after,
        reason=reason,
        chained=chained,
    )


@dataclass(frozen=True)
class Upload:
    """A file as it arrives: its content and the name the uploader gave it."""

    stream: IO[bytes]
    filename: str


def check_document_kind(kind: str, kinds: Collection[str]) -> None:
    """ValidationFailed unless `kind` is one of the document kinds offered."""
    if kind not in kinds:
        raise ValidationFailed(N_("Choose what kind of document this is."), field="kind")


def store_document(
    document: Row, upload: Upload, *, by: int, now: datetime, folder: Path, max_bytes: int
) -> Row:
    """Keep the upload as `document` (a `StoredFileMixin` row): write the file, add the row, flush.

    A refused file writes nothing; the file is removed again if the unit of work rolls back.
    """
    stored = storage.save_evidence(folder, upload.stream, upload.filename, max_bytes)
    uow.on_rollback(lambda: storage.discard(folder, stored.stored_name))
    for column, value in {**stored.columns(), "uploaded_by_id": by, "uploaded_at": now}.items():
        setattr(document, column, value)
    return flush_new(document)


@dataclass(frozen=True)
class DocumentAudit:
    """How adding a document is audited: the action, on which object, and the key that
    names the document in the entry (beside its hash and kind)."""

    action: str
    object_id: int
    key: str = "document_id"


def keep_document(
    document: Row, upload: Upload, audited: DocumentAudit, *, kinds: Collection[str],
    by: int, now: datetime, folder: Path, max_bytes: int,
) -> Row:  # fmt: skip
    """Keep the upload as `document` (its `kind` one of `kinds`) and audit the addition."""
    row: Any = document  # a StoredFileMixin row with an id and a kind
    check_document_kind(row.kind, kinds)
    stored = store_document(row, upload, by=by, now=now, folder=folder, max_bytes=max_bytes)
    after = {audited.key: stored.id, "sha256": stored.sha256, "kind": stored.kind}
    audit_action(audited.action, audited.object_id, by, now, after=after)
    return stored
