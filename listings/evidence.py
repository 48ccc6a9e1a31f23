"""Ownership evidence of a listing: upload to a draft, removal from a draft, download.

The use cases flush and never commit: the caller's unit of work (`core.uow`) commits;
a stored file goes again if the unit of work rolls back, a removed one after the commit.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import IO

from accounts.models import User
from core import storage, uow
from core.audit import services as audit
from core.domain import N_, DomainError, NotFound, ValidationFailed
from core.extensions import db
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
    if kind not in EVIDENCE_KINDS:
        raise ValidationFailed(N_("Choose what kind of document this is."), field="kind")
    stored = storage.save_evidence(folder, stream, filename, max_bytes)
    uow.on_rollback(lambda: storage.discard(folder, stored.stored_name))
    evidence = Evidence(
        listing_id=listing.id,
        kind=kind,
        **stored.columns(),
        uploaded_by_id=actor.id,
        uploaded_at=now,
    )
    db.session.add(evidence)
    db.session.flush()
    audit.record(
        actor_id=actor.id,
        action="listing.evidence_add",
        object_type="listing",
        object_id=listing.id,
        now=now,
        after={"evidence_id": evidence.id, "sha256": stored.sha256, "kind": kind},
    )
    return evidence


def remove_evidence(actor: User, evidence_id: int, *, folder: Path, now: datetime) -> None:
    """Remove a document from a draft (the file goes after the commit)."""
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None:
        raise NotFound(N_("No such document."))
    require_owner(actor, evidence.listing)
    if evidence.listing.status != ListingStatus.DRAFT:
        raise DomainError(N_("Evidence can be removed from drafts only."), code="not_editable")
    audit.record(
        actor_id=actor.id,
        action="listing.evidence_remove",
        object_type="listing",
        object_id=evidence.listing_id,
        now=now,
        before={"evidence_id": evidence.id, "sha256": evidence.sha256},
    )
    stored_name = evidence.stored_name
    db.session.delete(evidence)
    db.session.flush()
    uow.after_commit(lambda: storage.discard(folder, stored_name))


def evidence_for_download(actor: User | None, evidence_id: int) -> Evidence:
    """A document, for the owner organisation and reviewers only."""
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or actor is None or not actor.is_authenticated:
        raise NotFound(N_("No such document."))
    if not (is_owner(actor, evidence.listing) or actor.can_review):
        raise NotFound(N_("No such document."))
    return evidence
