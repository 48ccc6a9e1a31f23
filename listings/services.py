"""Listing use cases: drafting, evidence, submission, ownership review, publication.

They flush and never commit: the caller's unit of work (`core.uow`) commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import func, select

from accounts.models import User
from accounts.services import require_reviewer
from core import outbox, storage, uow
from core.audit import services as audit
from core.domain import N_, DomainError, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from listings.ip_numbers import normalise_ip_number
from listings.models import Evidence, IPAsset, Listing
from listings.rules import (
    EVIDENCE_KINDS,
    FIELDS,
    IPKind,
    ListingAction,
    ListingStatus,
    SaleState,
    TransferMode,
    check_has_title,
    check_sale_transition,
    check_trl,
    next_status,
)

SEARCH_TOPIC = "search.listing"


@dataclass(frozen=True)
class IPAssetInput:
    """An IP number as typed, with its kind."""

    kind: IPKind
    number: str
    title: str | None = None


@dataclass(frozen=True)
class ListingInput:
    """Everything a seller types into the listing editor."""

    field: str
    trl: int
    holder: str
    region: str
    title_zh: str | None = None
    title_en: str | None = None
    summary_zh: str | None = None
    summary_en: str | None = None
    problem: str | None = None
    advantage: str | None = None
    economics: str | None = None
    ipc_classes: tuple[str, ...] = ()
    inventors: tuple[str, ...] = ()
    transfer_modes: tuple[str, ...] = ()
    asking_price_minor: int | None = None
    ip_assets: tuple[IPAssetInput, ...] = ()


# --- reading ---------------------------------------------------------------------------


def get_listing(listing_id: int) -> Listing:
    """A listing by id, or NotFound."""
    listing = db.session.get(Listing, listing_id)
    if listing is None:
        raise NotFound(N_("No such listing."))
    return listing


def is_owner(actor: User | None, listing: Listing) -> bool:
    """Whether the actor acts for the listing's organisation."""
    return bool(actor and actor.is_authenticated and actor.acting_org_id == listing.organisation_id)


def can_view(actor: User | None, listing: Listing) -> bool:
    """Published listings are public; the rest only to the owner and reviewers."""
    if listing.status == ListingStatus.PUBLISHED:
        return True
    return is_owner(actor, listing) or bool(actor and actor.is_authenticated and actor.can_review)


def visible_listing(actor: User | None, listing_id: int) -> Listing:
    """A listing the actor may see; others look like they do not exist."""
    listing = get_listing(listing_id)
    if not can_view(actor, listing):
        raise NotFound(N_("No such listing."))
    return listing


def listings_of(actor: User, status: ListingStatus | None = None) -> list[Listing]:
    """The listings of the actor's organisation, newest first."""
    if actor.acting_org_id is None:
        return []
    query = select(Listing).where(Listing.organisation_id == actor.acting_org_id)
    if status is not None:
        query = query.where(Listing.status == status)
    return list(db.session.scalars(query.order_by(Listing.updated_at.desc())))


def count_by_status(actor: User) -> dict[str, int]:
    """How many of the organisation's listings are in each state (dashboard badges)."""
    if actor.acting_org_id is None:
        return {}
    rows = db.session.execute(
        select(Listing.status, func.count())
        .where(Listing.organisation_id == actor.acting_org_id)
        .group_by(Listing.status)
    )
    return {status.value: n for status, n in rows}


def latest_published(limit: int = 8) -> list[Listing]:
    """The newest published listings (home page)."""
    return list(
        db.session.scalars(
            select(Listing)
            .where(Listing.status == ListingStatus.PUBLISHED)
            .order_by(Listing.published_at.desc(), Listing.id.desc())
            .limit(limit)
        )
    )


def featured(limit: int = 4) -> list[Listing]:
    """Published listings the market features (home page)."""
    return list(
        db.session.scalars(
            select(Listing)
            .where(Listing.status == ListingStatus.PUBLISHED, Listing.featured.is_(True))
            .order_by(Listing.published_at.desc())
            .limit(limit)
        )
    )


def market_figures() -> dict[str, int]:
    """Headline figures for the home page."""
    published = db.session.scalar(
        select(func.count()).where(Listing.status == ListingStatus.PUBLISHED)
    )
    holders = db.session.scalar(
        select(func.count(func.distinct(Listing.organisation_id))).where(
            Listing.status == ListingStatus.PUBLISHED
        )
    )
    assets = db.session.scalar(
        select(func.count(IPAsset.id))
        .join(Listing)
        .where(Listing.status == ListingStatus.PUBLISHED)
    )
    return {"published": published or 0, "holders": holders or 0, "ip_assets": assets or 0}


def ownership_queue(actor: User) -> list[Listing]:
    """Listings waiting for an ownership decision, oldest first (reviewers)."""
    require_reviewer(actor)
    return list(
        db.session.scalars(
            select(Listing)
            .where(Listing.status == ListingStatus.SUBMITTED)
            .order_by(Listing.submitted_at)
        )
    )


# --- writing ---------------------------------------------------------------------------


def _require_owner(actor: User, listing: Listing) -> None:
    if not is_owner(actor, listing):
        raise PermissionDenied(N_("Only the organisation that owns this listing may change it."))


def _require_member(actor: User) -> int:
    if actor.acting_org_id is None:
        raise PermissionDenied(N_("Join an organisation before you create listings."))
    return actor.acting_org_id


def _validate(data: ListingInput) -> list[IPAsset]:
    """Check the input against the rules; return the IP assets with normalised numbers."""
    check_has_title(data.title_zh, data.title_en)
    check_trl(data.trl)
    if data.field not in FIELDS:
        raise ValidationFailed(N_("Choose a technology field."), field="field")
    unknown = set(data.transfer_modes) - {m.value for m in TransferMode}
    if unknown or not data.transfer_modes:
        raise ValidationFailed(N_("Choose at least one transfer mode."), field="transfer_modes")
    if not data.holder.strip():
        raise ValidationFailed(N_("Name the rights holder."), field="holder")
    if data.asking_price_minor is not None and data.asking_price_minor <= 0:
        raise ValidationFailed(N_("The asking price must be more than zero."), field="asking_price")
    assets = []
    for position, asset in enumerate(data.ip_assets):
        try:
            number = normalise_ip_number(asset.kind, asset.number)
        except ValidationFailed as error:
            error.field = f"ip_assets.{position}.number"
            raise
        assets.append(IPAsset(kind=asset.kind, number=number, title=asset.title or None))
    numbers = [a.number for a in assets]
    if len(numbers) != len(set(numbers)):
        raise ValidationFailed(N_("The same IP number is listed twice."), field="ip_assets")
    return assets


def _apply(listing: Listing, data: ListingInput, assets: list[IPAsset]) -> None:
    for name in (
        "title_zh",
        "title_en",
        "summary_zh",
        "summary_en",
        "problem",
        "advantage",
        "economics",
    ):
        value = getattr(data, name)
        setattr(listing, name, value.strip() if value and value.strip() else None)
    listing.field = data.field
    listing.trl = data.trl
    listing.holder = data.holder.strip()
    listing.region = data.region.strip()
    listing.ipc_classes = [c.strip().upper() for c in data.ipc_classes if c.strip()]
    listing.inventors = [i.strip() for i in data.inventors if i.strip()]
    listing.transfer_modes = list(dict.fromkeys(data.transfer_modes))
    listing.asking_price_minor = data.asking_price_minor
    listing.ip_assets = assets


def _snapshot(listing: Listing) -> dict:
    return {"status": listing.status.value}


def _changed(
    listing: Listing,
    actor: User,
    action: str,
    *,
    now: datetime,
    before: dict | None,
    reason: str | None = None,
    chained: bool = False,
) -> None:
    """Audit a change and tell the search index, in the caller's transaction."""
    listing.updated_at = now
    db.session.flush()
    audit.record(
        actor_id=actor.id,
        action=f"listing.{action}",
        object_type="listing",
        object_id=listing.id,
        now=now,
        before=before,
        after=_snapshot(listing),
        reason=reason,
        chained=chained,
    )
    outbox.emit(SEARCH_TOPIC, listing.id, now=now)


def create_listing(actor: User, data: ListingInput, *, now: datetime) -> Listing:
    """A new draft listing of the actor's organisation."""
    org_id = _require_member(actor)
    assets = _validate(data)
    listing = Listing(
        organisation_id=org_id,
        created_by_id=actor.id,
        status=ListingStatus.DRAFT,
        created_at=now,
        currency="CNY",
    )
    _apply(listing, data, assets)
    db.session.add(listing)
    _changed(listing, actor, "create", now=now, before=None)
    return listing


def update_listing(actor: User, listing_id: int, data: ListingInput, *, now: datetime) -> Listing:
    """Edit a draft (a listing under review or published is frozen)."""
    listing = get_listing(listing_id)
    _require_owner(actor, listing)
    if listing.status != ListingStatus.DRAFT:
        raise DomainError(
            N_("Only a draft can be edited; withdraw the listing and reopen it to change it."),
            code="not_editable",
        )
    assets = _validate(data)
    _apply(listing, data, assets)
    _changed(listing, actor, "update", now=now, before=_snapshot(listing))
    return listing


def add_evidence(
    actor: User,
    listing_id: int,
    *,
    kind: str,
    stream: BinaryIO,
    filename: str,
    folder: Path,
    max_bytes: int,
    now: datetime,
) -> Evidence:
    """Attach an ownership document to a draft.

    The file is removed again if the unit of work rolls back (the row is never saved).
    """
    listing = get_listing(listing_id)
    _require_owner(actor, listing)
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
    _require_owner(actor, evidence.listing)
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


def submit(actor: User, listing_id: int, *, now: datetime) -> Listing:
    """Send a draft for ownership review: needs a verified organisation, an IP asset and evidence."""
    listing = get_listing(listing_id)
    _require_owner(actor, listing)
    if not listing.organisation.is_verified:
        raise DomainError(
            N_("Your organisation must be verified by a reviewer before it can list."),
            code="organisation_not_verified",
        )
    if not listing.ip_assets:
        raise DomainError(N_("Add at least one IP asset before submitting."), code="no_ip_assets")
    if not listing.evidence:
        raise DomainError(
            N_("Attach ownership evidence (e.g. the patent certificate) before submitting."),
            code="no_evidence",
        )
    return _transition(actor, listing, ListingAction.SUBMIT, now=now)


def confirm_ownership(actor: User, listing_id: int, *, now: datetime, note: str = "") -> Listing:
    """A reviewer confirms the ownership (确权); recorded in the hash chain."""
    require_reviewer(actor)
    return _transition(
        actor,
        get_listing(listing_id),
        ListingAction.CONFIRM,
        now=now,
        reason=note.strip() or None,
        chained=True,
    )


def reject_ownership(actor: User, listing_id: int, reason: str, *, now: datetime) -> Listing:
    """A reviewer sends the listing back to draft with the reason; recorded in the hash chain."""
    require_reviewer(actor)
    if not reason.strip():
        raise ValidationFailed(N_("Give the reason for the decision."), field="reason")
    listing = _transition(
        actor,
        get_listing(listing_id),
        ListingAction.REJECT,
        now=now,
        reason=reason.strip(),
        chained=True,
    )
    return listing


def publish(actor: User, listing_id: int, *, now: datetime) -> Listing:
    """The owner publishes a confirmed listing: it becomes public and searchable."""
    listing = get_listing(listing_id)
    _require_owner(actor, listing)
    return _transition(actor, listing, ListingAction.PUBLISH, now=now)


def withdraw(actor: User, listing_id: int, *, now: datetime, reason: str = "") -> Listing:
    """The owner takes a listing off the market (not while it is being sold)."""
    listing = get_listing(listing_id)
    _require_owner(actor, listing)
    if listing.sale_state not in (SaleState.AVAILABLE,):
        raise DomainError(
            N_("A listing cannot be withdrawn while it is on sale or sold."), code="on_sale"
        )
    return _transition(
        actor, listing, ListingAction.WITHDRAW, now=now, reason=reason.strip() or None
    )


def reopen(actor: User, listing_id: int, *, now: datetime) -> Listing:
    """Turn a withdrawn listing back into a draft (it must be reviewed again)."""
    listing = get_listing(listing_id)
    _require_owner(actor, listing)
    return _transition(actor, listing, ListingAction.REOPEN, now=now)


def _transition(
    actor: User,
    listing: Listing,
    action: ListingAction,
    *,
    now: datetime,
    reason: str | None = None,
    chained: bool = False,
) -> Listing:
    before = _snapshot(listing)
    listing.status = next_status(listing.status, action)
    stamp = {
        ListingAction.SUBMIT: "submitted_at",
        ListingAction.CONFIRM: "confirmed_at",
        ListingAction.PUBLISH: "published_at",
    }.get(action)
    if stamp:
        setattr(listing, stamp, now)
    listing.rejection_reason = reason if action == ListingAction.REJECT else None
    _changed(listing, actor, action.value, now=now, before=before, reason=reason, chained=chained)
    return listing


def set_featured(actor: User, listing_id: int, featured_: bool, *, now: datetime) -> Listing:
    """A reviewer features a published listing on the home page."""
    require_reviewer(actor)
    listing = get_listing(listing_id)
    before = {"featured": listing.featured}
    listing.featured = featured_
    audit.record(
        actor_id=actor.id,
        action="listing.feature",
        object_type="listing",
        object_id=listing.id,
        now=now,
        before=before,
        after={"featured": featured_},
    )
    return listing


def lock_listing(listing_id: int) -> Listing:
    """The listing, row-locked until the end of the transaction (sales, deals)."""
    listing = db.session.scalar(select(Listing).where(Listing.id == listing_id).with_for_update())
    if listing is None:
        raise NotFound(N_("No such listing."))
    return listing


def set_sale_state(
    listing_id: int,
    target: SaleState,
    *,
    now: datetime,
    actor_id: int | None,
    reason: str | None = None,
) -> Listing:
    """Move a listing along its sale (in the caller's transaction: flushes, never commits)."""
    listing = lock_listing(listing_id)
    before = {"sale_state": listing.sale_state.value}
    check_sale_transition(listing.status, listing.sale_state, target)
    listing.sale_state = target
    listing.updated_at = now
    audit.record(
        actor_id=actor_id,
        action="listing.sale_state",
        object_type="listing",
        object_id=listing.id,
        now=now,
        before=before,
        after={"sale_state": target.value},
        reason=reason,
    )
    outbox.emit(SEARCH_TOPIC, listing.id, now=now)
    db.session.flush()
    return listing
