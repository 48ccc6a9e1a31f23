"""Bank-transfer receipts, as payers upload them for a deposit or (part of) a deal's price."""

from __future__ import annotations

from pathlib import Path
from typing import IO, TypeVar

from accounts.models import User
from core import storage
from core.domain import N_, NotFound, ValidationFailed
from core.uow import on_rollback
from payments.models import Deposit, Payment, ReceiptMixin

R = TypeVar("R", Deposit, Payment)


def bank_reference(text: str) -> str:
    """The reference of a bank transfer as typed, trimmed; refused when empty or too long."""
    reference = (text or "").strip()
    if not reference:
        raise ValidationFailed(
            N_("Give the reference of the bank transfer."), field="bank_reference"
        )
    if len(reference) > 100:
        raise ValidationFailed(N_("The reference is too long."), field="bank_reference")
    return reference


def attach(
    row: ReceiptMixin,
    reference: str,
    *,
    stream: IO[bytes],
    filename: str,
    folder: Path,
    max_bytes: int,
) -> storage.StoredFile:
    """Store the uploaded receipt (stored like evidence) and record it with its bank reference.

    The stored file is removed if the caller's unit of work rolls back.
    """
    stored = storage.save_evidence(folder, stream, filename, max_bytes)
    on_rollback(lambda: storage.discard(folder, stored.stored_name))
    row.receipt_name = stored.original_name
    row.receipt_stored_name = stored.stored_name
    row.receipt_sha256 = stored.sha256
    row.bank_reference = reference
    return stored


def for_download(actor: User | None, row: R | None) -> R:
    """The row's receipt, for the paying organisation and reviewers only (else NotFound)."""
    if row is None or row.receipt_stored_name is None or actor is None:
        raise NotFound(N_("No such document."))
    if not actor.is_authenticated or not (actor.acting_org_id == row.org_id or actor.can_review):
        raise NotFound(N_("No such document."))
    return row
