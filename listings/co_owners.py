"""Co-owned results (共有) and rights given to researchers (职务科技成果赋权): the owner names
the rights holders and attaches the institution's 赋权 agreement, a reviewer signs it off,
each co-owner consents to a sale or licence; nothing is sold or licensed before.

A co-owner that is an organisation on the market consents through its members; a person
(a researcher) signs a written consent that a reviewer records. Each use case flushes;
the caller's unit of work commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, select

from accounts.models import User
from accounts.services import can_review, get_organisation, require_reviewer
from core.domain import N_, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import Upload, audit_action, flush_new, get_or_not_found, store_document
from listings import co_owner_rules
from listings.co_owner_models import CoOwnerConsent, RightsAgreement, RightsHolder
from listings.co_owner_rules import Holder, HolderBasis
from listings.legal_rules import Purpose
from listings.models import Listing
from listings.need_rules import market_today
from listings.rules import SaleState
from notifications.services import notify_org

AGREEMENT_SUBFOLDER = "rights_agreements"  # under UPLOAD_FOLDER
MAX_REFERENCE = 300


def agreement_folder(upload_folder: str | Path) -> Path:
    return Path(upload_folder) / AGREEMENT_SUBFOLDER


@dataclass(frozen=True)
class HolderInput:
    """A holder as the owner names it: an organisation of the market (by id) or a person."""

    share_bp: int
    basis: HolderBasis
    name: str = ""
    org_id: int | None = None
    use_until: date | None = None


def _listing(listing_id: int) -> Listing:
    return get_or_not_found(Listing, listing_id, N_("No such listing."), lock=True)


def _require_owner(actor: User, listing: Listing) -> None:
    if actor.acting_org_id != listing.organisation_id:
        raise PermissionDenied(N_("Only the organisation that owns this listing may change it."))


def holders_of(listing_id: int) -> list[RightsHolder]:
    query = select(RightsHolder).where(RightsHolder.listing_id == listing_id)
    return all_of(query.order_by(RightsHolder.position))


def _named(data: HolderInput) -> str:
    return get_organisation(data.org_id).name if data.org_id is not None else data.name.strip()[:200]  # fmt: skip


def set_holders(actor: User, listing_id: int, holders: list[HolderInput], *, now: datetime) -> list[RightsHolder]:  # fmt: skip
    """The owner names the rights holders (replacing them and their consents); its own
    organisation is one of them."""
    listing = _listing(listing_id)
    _require_owner(actor, listing)
    if listing.sale_state != SaleState.AVAILABLE:
        raise PermissionDenied(N_("The rights holders cannot change while the listing is on sale or sold."))  # fmt: skip
    names = [_named(h) for h in holders]
    co_owner_rules.check_holders([Holder(n, h.share_bp, h.basis, h.use_until) for n, h in zip(names, holders, strict=True)], market_today(now))  # fmt: skip
    if listing.organisation_id not in {h.org_id for h in holders}:
        raise ValidationFailed(N_("Your organisation is one of the rights holders."), field="holders")  # fmt: skip
    before = [_snapshot(h) for h in holders_of(listing.id)]
    db.session.execute(delete(RightsHolder).where(RightsHolder.listing_id == listing.id))
    rows = [
        RightsHolder(
            listing_id=listing.id,
            position=i,
            name=name,
            org_id=h.org_id,
            share_bp=h.share_bp,
            basis=h.basis,
            use_until=h.use_until,
            created_at=now,
        )
        for i, (name, h) in enumerate(zip(names, holders, strict=True))
    ]
    db.session.add_all(rows)
    db.session.flush()
    audit_action("listing.rights_holders", listing.id, actor.id, now, before={"holders": before}, after={"holders": [_snapshot(r) for r in rows]})  # fmt: skip
    _ask_consent(listing, rows, now)
    return rows


def _ask_consent(listing: Listing, rows: list[RightsHolder], now: datetime) -> None:
    """Each co-owning organisation learns that the result is sold or licensed only with its
    consent (naming the holders again drops the consents: each is asked again)."""
    owner = get_organisation(listing.organisation_id)
    params = {
        **listing.titles(),
        "organisation": owner.name,
        "organisation_en": owner.display_name("en"),
    }
    for org_id in {r.org_id for r in rows if r.org_id not in (None, listing.organisation_id)}:
        notify_org(org_id, "co_owner.consent_asked", params=params, link=f"/listings/{listing.id}/rights", now=now)  # fmt: skip


def _snapshot(row: RightsHolder) -> dict[str, object]:
    until = row.use_until.isoformat() if row.use_until else None
    return {"name": row.name, "org_id": row.org_id, "share_bp": row.share_bp, "basis": row.basis.value, "use_until": until}  # fmt: skip


def agreement_of(listing_id: int) -> RightsAgreement | None:
    query = select(RightsAgreement).where(RightsAgreement.listing_id == listing_id)
    return db.session.scalar(query.order_by(RightsAgreement.id.desc()).limit(1))


def attach_agreement(actor: User, listing_id: int, upload: Upload, *, folder: Path, max_bytes: int, now: datetime) -> RightsAgreement:  # fmt: skip
    """The owner attaches the 赋权 agreement (a new one waits for a reviewer's sign-off)."""
    listing = _listing(listing_id)
    _require_owner(actor, listing)
    row = store_document(RightsAgreement(listing_id=listing.id), upload, by=actor.id, now=now, folder=folder, max_bytes=max_bytes)  # fmt: skip
    audit_action("listing.rights_agreement", listing.id, actor.id, now, after={"agreement_id": row.id, "sha256": row.sha256})  # fmt: skip
    return row


def sign_off_agreement(reviewer: User, listing_id: int, *, now: datetime) -> RightsAgreement:
    """A reviewer signs off the latest 赋权 agreement."""
    require_reviewer(reviewer)
    listing = _listing(listing_id)
    row = agreement_of(listing.id)
    if row is None:
        raise NotFound(N_("No 赋权 agreement is attached."))
    row.signed_off_by_id, row.signed_off_at = reviewer.id, now
    audit_action("listing.rights_agreement_signed_off", listing.id, reviewer.id, now, after={"agreement_id": row.id})  # fmt: skip
    return row


def record_consent(actor: User, listing_id: int, holder_id: int, purpose: Purpose, reference: str, *, now: datetime) -> CoOwnerConsent:  # fmt: skip
    """A co-owner's consent: an organisation's member records its own, a reviewer a person's."""
    holder = db.session.get(RightsHolder, holder_id)
    if holder is None or holder.listing_id != listing_id:
        raise NotFound(N_("No such rights holder."))
    own = holder.org_id is not None and actor.acting_org_id == holder.org_id
    if not (own or (holder.org_id is None and can_review(actor))):
        raise PermissionDenied(N_("A co-owner consents itself; a reviewer records a person's written consent."))  # fmt: skip
    text = (reference or "").strip()
    if not text or len(text) > MAX_REFERENCE:
        raise ValidationFailed(N_("Name the written consent (at most 300 characters)."), field="reference")  # fmt: skip
    consent = flush_new(CoOwnerConsent(holder_id=holder.id, purpose=purpose, reference=text, recorded_by_id=actor.id, recorded_at=now))  # fmt: skip
    audit_action("listing.co_owner_consent", listing_id, actor.id, now, after={"holder": holder.name, "purpose": purpose.value, "reference": text})  # fmt: skip
    return consent


def consents_of(listing_id: int) -> list[CoOwnerConsent]:
    query = select(CoOwnerConsent).join(RightsHolder).where(RightsHolder.listing_id == listing_id)
    return all_of(query.order_by(CoOwnerConsent.id))


def is_co_owned(listing_id: int) -> bool:
    return len(holders_of(listing_id)) > 1


def missing_consents(listing: Listing, purpose: Purpose) -> list[str]:
    """The co-owners (other than the listing's organisation) who have not consented."""
    holders = holders_of(listing.id)
    if len(holders) < 2:
        return []
    given = {c.holder_id for c in consents_of(listing.id) if c.purpose == purpose}
    return [h.name for h in holders if h.org_id != listing.organisation_id and h.id not in given]


def check_consents(listing: Listing, purpose: Purpose) -> None:
    """Refuse a sale or licence of a co-owned listing until its 赋权 agreement is signed off
    and every co-owner consented (naming those who have not)."""
    if not is_co_owned(listing.id):
        return
    agreement = agreement_of(listing.id)
    if agreement is None or agreement.signed_off_at is None:
        raise co_owner_rules.ConsentMissing(
            N_("A co-owned result needs its 赋权 agreement attached and signed off by a reviewer first."),
            code="agreement_missing",
        )  # fmt: skip
    co_owner_rules.check_consents(missing_consents(listing, purpose))


def visible_holders(actor: User | None, listing: Listing) -> list[RightsHolder]:
    """The holders, for the owner, the co-owners and reviewers (NotFound for anyone else)."""
    holders = holders_of(listing.id)
    org = actor.acting_org_id if actor is not None and actor.is_authenticated else None
    if not (can_review(actor) or org == listing.organisation_id or org in {h.org_id for h in holders}):  # fmt: skip
        raise NotFound(N_("No such listing."))
    return holders
