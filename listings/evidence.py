"""Ownership evidence of a listing: upload to a draft, removal from a draft, download.

The use cases flush and never commit: the caller's unit of work (`core.uow`) commits;
a stored file goes again if the unit of work rolls back, a removed one after the commit.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import IO

from accounts.models import User
from accounts.services import can_review
from core import storage, uow
from core.domain import N_, DomainError, NotFound
from core.extensions import db
from core.service_kit import (
    DocumentAudit,
    Upload,
    audit_action,
    get_or_not_found,
    keep_document,
)
from listings.models import Evidence
from listings.rules import EVIDENCE_KINDS, ListingStatus
from listings.services import get_listing, is_owner, require_owner


def add_evidence(
    actor: User,
    listing_id: int,
    *,
    kind: str,
    stream: IO[bytes],
    filename: str,
    folder: Path,
    max_bytes: int,
    now: datetime,
) -> Evidence:
    """Attach an ownership document to a draft.

    The file is removed again if the unit of work rolls back (the row is never saved).
    """
    listing = get_listing(listing_id)
    require_owner(actor, listing)
    if listing.status != ListingStatus.DRAFT:
        raise DomainError(N_("Evidence can be added to drafts only."), code="not_editable")
    return keep_document(
        Evidence(listing_id=listing.id, kind=kind),
        Upload(stream, filename),
        DocumentAudit("listing.evidence_add", listing.id, "evidence_id"),
        kinds=EVIDENCE_KINDS, by=actor.id, now=now, folder=folder, max_bytes=max_bytes,
    )  # fmt: skip


def remove_evidence(actor: User, evidence_id: int, *, folder: Path, now: datetime) -> None:
    """Remove a document from a draft (the file goes after the commit)."""
    evidence = get_or_not_found(Evidence, evidence_id, N_("No such document."))
    require_owner(actor, evidence.listing)
    if evidence.listing.status != ListingStatus.DRAFT:
        raise DomainError(N_("Evidence can be removed from drafts only."), code="not_editable")
    before = {"evidence_id": evidence.id, "sha256": evidence.sha256}
    audit_action("listing.evidence_remove", evidence.listing_id, actor.id, now, before=before)
    stored_name = evidence.stored_name
    db.session.delete(evidence)
    db.session.flush()
    uow.after_commit(lambda: storage.discard(folder, stored_name))


def evidence_for_download(actor: User | None, evidence_id: int) -> Evidence:
    """A document, for the owner organisation and reviewers only."""
    evidence = get_or_not_found(Evidence, evidence_id, N_("No such document."))
    if not (is_owner(actor, evidence.listing) or can_review(actor)):
        raise NotFound(N_("No such document."))
    return evidence


def evidence_of(actor: User | None, listing_id: int) -> list[Evidence]:
    """A listing's documents, for the owner organisation and reviewers only (others: NotFound)."""
    listing = get_listing(listing_id)
    if not (is_owner(actor, listing) or can_review(actor)):
        raise NotFound(N_("No such document."))
    return list(listing.evidence)
