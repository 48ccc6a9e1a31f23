"""What a listing offers: the transfer of its rights and the three kinds of licence, each
with its scope and terms. The owner sets them; anyone who may see the listing reads them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from accounts.models import User
from core.domain import N_, ValidationFailed
from core.extensions import db
from core.regions import PROVINCES
from core.service_kit import audit_action
from licences import deal_rules, rules
from licences.deal_models import ListingOffer
from licences.deal_rules import OfferKind, RoyaltyTerms
from licences.grants import check_licence_allowed
from licences.rules import LicenceKind
from listings import services as listings
from listings.rules import FIELDS, IPKind

MAX_NOTE = 1000


@dataclass(frozen=True)
class OfferInput:
    """One offer as the owner states it; a transfer has no scope, term or royalty."""

    kind: OfferKind
    fields: tuple[str, ...] = ()
    territory: tuple[str, ...] = ()
    term_years: int | None = None
    price_minor: int | None = None
    rate_bp: int | None = None
    minimum_annual_minor: int | None = None
    period_months: int | None = None
    note: str = ""


def licence_kind(kind: OfferKind) -> LicenceKind | None:
    """The licence an offer grants (None: the transfer)."""
    return None if kind == OfferKind.TRANSFER else LicenceKind(kind.value)


def patent_numbers(listing_id: int) -> list[str]:
    """The Chinese patents of a listing (what an open licence may cover)."""
    listing = listings.get_listing(listing_id)
    return [a.number for a in listing.ip_assets if a.kind == IPKind.CN_APPLICATION]


def _row(listing_id: int, data: OfferInput, now: datetime) -> ListingOffer:
    price = data.price_minor
    if price is not None and not 0 < price <= rules.MAX_FEE_MINOR:
        raise ValidationFailed(N_("Give an amount above zero and at most 1,000,000,000 yuan."), field="price_minor")  # fmt: skip
    note = (data.note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationFailed(N_("At most 1,000 characters."), field="note")
    row = ListingOffer(listing_id=listing_id, kind=data.kind, price_minor=price, note=note, updated_at=now, fields=[], territory=[])  # fmt: skip
    kind = licence_kind(data.kind)
    if kind is None:
        return row
    for number in patent_numbers(listing_id):
        check_licence_allowed(number, kind)
    row.fields = sorted(deal_rules.check_scope_items(data.fields, FIELDS, "fields"))
    row.territory = sorted(deal_rules.check_scope_items(data.territory, PROVINCES, "territory"))
    row.term_years = deal_rules.check_term_years(data.term_years or 0)
    terms = deal_rules.check_royalty_terms(
        RoyaltyTerms(data.rate_bp or 0, data.minimum_annual_minor or 0, data.period_months or 0)
    )
    row.rate_bp, row.minimum_annual_minor = terms.rate_bp, terms.minimum_annual_minor
    row.period_months = terms.period_months
    return row


def set_offers(actor: User, listing_id: int, offers: list[OfferInput], *, now: datetime) -> list[ListingOffer]:  # fmt: skip
    """The owner replaces the listing's offers (one per kind); refused as a whole on a fault."""
    listing = listings.lock_listing(listing_id)
    listings.require_owner(actor, listing)
    kinds = [o.kind for o in offers]
    if len(set(kinds)) != len(kinds):
        raise ValidationFailed(N_("Offer each kind once."), field="offers")
    rows = [_row(listing.id, data, now) for data in offers]
    before = [o.kind.value for o in offers_of(listing.id)]
    db.session.execute(delete(ListingOffer).where(ListingOffer.listing_id == listing.id))
    db.session.add_all(rows)
    db.session.flush()
    after = {"offers": [{"kind": r.kind.value, "fields": r.fields, "territory": r.territory, "term_years": r.term_years, "price_minor": r.price_minor, "rate_bp": r.rate_bp, "minimum_annual_minor": r.minimum_annual_minor, "period_months": r.period_months} for r in rows]}  # fmt: skip
    audit_action("listing.offers", listing.id, actor.id, now, before={"offers": before}, after=after)  # fmt: skip
    return rows


def offers_of(listing_id: int) -> list[ListingOffer]:
    """The listing's offers, transfer first, then exclusive, sole, ordinary."""
    order = list(OfferKind)
    rows = db.session.scalars(select(ListingOffer).where(ListingOffer.listing_id == listing_id))
    return sorted(rows, key=lambda r: order.index(r.kind))


def offer_of(listing_id: int, kind: OfferKind) -> ListingOffer | None:
    return next((o for o in offers_of(listing_id) if o.kind == kind), None)
