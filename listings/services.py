"""Listing use cases: reading, drafting, featuring, the sale state.

Evidence is in `listings.evidence`; submission, ownership review and publication in
`listings.review`.

They flush and never commit: the caller's unit of work (`core.uow`) commits.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from accounts.models import User
from accounts.services import acts_for_org, can_review, require_reviewer, rows_for_reviewer
from core import outbox
from core.domain import N_, DomainError, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import audit_action, get_or_not_found
from listings import co_owners, legal_status
from listings.ip_numbers import normalise_ip_number
from listings.models import IPAsset, Listing, TechNeed
from listings.rules import (
    DETAILS,
    FIELDS,
    IPKind,
    ListingStatus,
    SaleState,
    TransferMode,
    check_has_title,
    check_sale_transition,
    check_trl,
)

SEARCH_TOPIC = "search.listing"
OrgItem = TypeVar("OrgItem", Listing, TechNeed)
# What a listing shown whole (the API's ListingOutSchema) needs loaded with it.
LISTING_SHOWN: tuple[LoaderOption, ...] = (
    selectinload(Listing.ip_assets),
    selectinload(Listing.organisation),
    selectinload(Listing.images),
)
# The free texts of a listing, kept stripped (empty: None).
TEXTS = (
    "title_zh",
    "title_en",
    "summary_zh",
    "summary_en",
    *DETAILS,
    *(f"{name}_en" for name in DETAILS),
)


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
    application: str | None = None
    economics: str | None = None
    problem_en: str | None = None
    advantage_en: str | None = None
    application_en: str | None = None
    economics_en: str | None = None
    ipc_classes: tuple[str, ...] = ()
    inventors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    transfer_modes: tuple[str, ...] = ()
    asking_price_minor: int | None = None
    ip_assets: tuple[IPAssetInput, ...] = ()
    currency: str = "CNY"  # of the asking price, and of the sales and deals made from it


# --- reading ---------------------------------------------------------------------------


def get_listing(listing_id: int) -> Listing:
    """A listing by id, or NotFound."""
    return get_or_not_found(Listing, listing_id, N_("No such listing."))


def is_owner(actor: User | None, listing: Listing) -> bool:
    """Whether the actor acts for the listing's organisation."""
    return acts_for_org(actor, listing.organisation_id)


def can_view(actor: User | None, listing: Listing) -> bool:
    """Published listings are public; the rest only to the owner and reviewers."""
    return (
        listing.status == ListingStatus.PUBLISHED or is_owner(actor, listing) or can_review(actor)
    )


def visible_listing(actor: User | None, listing_id: int) -> Listing:
    """A listing the actor may see; others look like they do not exist."""
    listing = get_listing(listing_id)
    if not can_view(actor, listing):
        raise NotFound(N_("No such listing."))
    return listing


def org_items(
    model: type[OrgItem],
    actor: User,
    status: enum.Enum | None,
    *order: Any,
    loads: Sequence[LoaderOption] = (),
) -> list[OrgItem]:
    """The listings or needs of the actor's organisation (in `status` if given), in `order`.

    `loads` are loader options for what the caller shows of each (no load per item).
    """
    if actor.acting_org_id is None:
        return []
    query = select(model).where(model.organisation_id == actor.acting_org_id).options(*loads)
    if status is not None:
        query = query.where(model.status == status)
    return all_of(query.order_by(*order))


def org_status_counts(model: type[Listing] | type[TechNeed], actor: User) -> dict[str, int]:
    """How many of the organisation's listings or needs are in each state (dashboard badges)."""
    if actor.acting_org_id is None:
        return {}
    rows = db.session.execute(
        select(model.status, func.count())
        .where(model.organisation_id == actor.acting_org_id)
        .group_by(model.status)
    )
    return {status.value: n for status, n in rows}


def listings_of(
    actor: User, status: ListingStatus | None = None, *, whole: bool = False
) -> list[Listing]:
    """The listings of the actor's organisation, newest first (`whole`: with their IP
    assets and organisation, as the API shows them)."""
    loads = LISTING_SHOWN if whole else ()
    return org_items(Listing, actor, status, Listing.updated_at.desc(), loads=loads)


def count_by_status(actor: User) -> dict[str, int]:
    """How many of the organisation's listings are in each state (dashboard badges)."""
    return org_status_counts(Listing, actor)


def latest_published(limit: int = 8) -> list[Listing]:
    """The newest published listings (home page)."""
    return all_of(
        select(Listing)
        .where(Listing.status == ListingStatus.PUBLISHED)
        .options(selectinload(Listing.images))
        .order_by(Listing.published_at.desc(), Listing.id.desc())
        .limit(limit)
    )


def featured(limit: int = 4) -> list[Listing]:
    """Published listings the market features (home page)."""
    return all_of(
        select(Listing)
        .where(Listing.status == ListingStatus.PUBLISHED, Listing.featured.is_(True))
        .options(selectinload(Listing.images))
        .order_by(Listing.published_at.desc())
        .limit(limit)
    )


def market_figures() -> dict[str, int]:
    """Headline figures for the home page, in one statement."""
    published = Listing.status == ListingStatus.PUBLISHED
    row = db.session.execute(
        select(
            select(func.count()).where(published).scalar_subquery(),
            select(func.count(func.distinct(Listing.organisation_id)))
            .where(published)
            .scalar_subquery(),
            select(func.count(IPAsset.id)).join(Listing).where(published).scalar_subquery(),
        )
    ).one()
    return {"published": row[0] or 0, "holders": row[1] or 0, "ip_assets": row[2] or 0}


def ownership_queue(actor: User) -> list[Listing]:
    """Listings waiting for an ownership decision, oldest first (reviewers)."""
    submitted = (
        select(Listing).where(Listing.status == ListingStatus.SUBMITTED).options(*LISTING_SHOWN)
    )
    return rows_for_reviewer(actor, submitted.order_by(Listing.submitted_at))


# --- writing ---------------------------------------------------------------------------


def require_owner(actor: User, listing: Listing) -> None:
    """PermissionDenied unless the actor's organisation owns the listing."""
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
    for name in TEXTS:
        value = getattr(data, name)
        setattr(listing, name, value.strip() if value and value.strip() else None)
    listing.field = data.field
    listing.trl = data.trl
    listing.holder = data.holder.strip()
    listing.region = data.region.strip()
    listing.ipc_classes = [c.strip().upper() for c in data.ipc_classes if c.strip()]
    listing.inventors = [i.strip() for i in data.inventors if i.strip()]
    listing.keywords = list(dict.fromkeys(k.strip() for k in data.keywords if k.strip()))
    listing.transfer_modes = list(dict.fromkeys(data.transfer_modes))
    listing.asking_price_minor = data.asking_price_minor
    listing.currency = data.currency
    listing.ip_assets = assets


def snapshot(listing: Listing) -> dict:
    """The state of a listing an audit record keeps before and after a change."""
    return {"status": listing.status.value}


def record_change(
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
    audit_action(
        f"listing.{action}",
        listing.id,
        actor.id,
        now,
        before=before,
        after=snapshot(listing),
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
    )
    _apply(listing, data, assets)
    db.session.add(listing)
    record_change(listing, actor, "create", now=now, before=None)
    return listing


def update_listing(actor: User, listing_id: int, data: ListingInput, *, now: datetime) -> Listing:
    """Edit a draft (a listing under review or published is frozen)."""
    listing = get_listing(listing_id)
    require_owner(actor, listing)
    if listing.status != ListingStatus.DRAFT:
        raise DomainError(
            N_("Only a draft can be edited; withdraw the listing and reopen it to change it."),
            code="not_editable",
        )
    assets = _validate(data)
    _apply(listing, data, assets)
    record_change(listing, actor, "update", now=now, before=snapshot(listing))
    return listing


def set_featured(actor: User, listing_id: int, featured_: bool, *, now: datetime) -> Listing:
    """A reviewer features a published listing on the home page."""
    require_reviewer(actor)
    listing = get_listing(listing_id)
    before = {"featured": listing.featured}
    listing.featured = featured_
    after = {"featured": featured_}
    audit_action("listing.feature", listing.id, actor.id, now, before=before, after=after)
    return listing


def lock_listing(listing_id: int) -> Listing:
    """The listing, row-locked until the end of the transaction (sales, deals)."""
    return get_or_not_found(Listing, listing_id, N_("No such listing."), lock=True)


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
    if target != SaleState.AVAILABLE:  # going on sale or sold; closing unsold never is refused
        legal_status.check_listing_may_be_sold(listing)
    if target != SaleState.AVAILABLE and listing.sale_state == SaleState.AVAILABLE:
        # going on sale: every co-owner consented (holders are fixed while it is on sale)
        co_owners.check_consents(listing, legal_status.purpose_of(listing.transfer_modes or []))
    listing.sale_state = target
    listing.updated_at = now
    after = {"sale_state": target.value}
    audit_action(
        "listing.sale_state", listing.id, actor_id, now, before=before, after=after, reason=reason
    )
    outbox.emit(SEARCH_TOPIC, listing.id, now=now)
    db.session.flush()
    return listing
