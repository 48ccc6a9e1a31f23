"""Licences as deals: the licensor grants a licence of a listing it offers, with its scope
and royalty terms; a licence that conflicts with one in force is refused.

The licence becomes a deal (deals.licensing) that both parties sign as any other; its
royalties are reported and posted later (licences.royalties). Each use case flushes;
the caller's unit of work commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from accounts.models import User
from accounts.services import get_organisation
from core.domain import N_, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.regions import PROVINCES
from core.row_lists import all_of
from core.service_kit import audit_action, flush_new
from deals import licensing
from deals import services as deals
from deals.models import Deal, DealStatus
from licences import deal_rules, offers
from licences.deal_models import LicenceDeal
from licences.deal_rules import OfferKind, RoyaltyTerms, Scope
from licences.grants import check_licence_allowed
from licences.rules import LicenceKind
from listings import co_owners, legal_status
from listings import services as listings
from listings.legal_rules import Purpose
from listings.models import IPAsset
from listings.rules import FIELDS, ListingStatus
from notifications.services import notify_org


@dataclass(frozen=True)
class LicenceInput:
    """The licence the parties agreed: to whom, which kind, where, when, for what."""

    licensee_org_id: int
    kind: LicenceKind
    starts_on: date
    term_years: int
    price_minor: int
    rate_bp: int
    minimum_annual_minor: int
    period_months: int
    fields: tuple[str, ...] = ()
    territory: tuple[str, ...] = ()


def _scope(data: LicenceInput) -> Scope:
    fields = deal_rules.check_scope_items(data.fields, FIELDS, "fields")
    territory = deal_rules.check_scope_items(data.territory, PROVINCES, "territory")
    return deal_rules.scope_for(data.kind, fields, territory, data.starts_on, data.term_years)


def licences_in_force(numbers: list[str]) -> list[LicenceDeal]:
    """The live licence deals (not cancelled) of any listing holding one of these patents."""
    holding = select(IPAsset.listing_id).where(IPAsset.number.in_(numbers))
    return all_of(
        select(LicenceDeal)
        .join(Deal, Deal.id == LicenceDeal.deal_id)
        .where(LicenceDeal.listing_id.in_(holding), Deal.status != DealStatus.CANCELLED)
        .order_by(LicenceDeal.deal_id)
    )


def _check_licensee(actor: User, org_id: int) -> None:
    licensee = get_organisation(org_id)
    if not licensee.is_verified:
        raise ValidationFailed(N_("The licensee must be a verified organisation."), field="licensee_org_id")  # fmt: skip
    if org_id == actor.acting_org_id:
        raise ValidationFailed(N_("An organisation cannot license to itself."), field="licensee_org_id")  # fmt: skip


def grant(actor: User, listing_id: int, data: LicenceInput, *, now: datetime) -> LicenceDeal:
    """The licensor's licence of its listing as a deal awaiting both signatures.

    Refused unless the listing is published and offers this kind of licence, every patent
    may be licensed (legal status, pledgee's consent, no open licence for an exclusive or
    sole one), every co-owner consented, and no licence in force conflicts.
    """
    listing = listings.lock_listing(listing_id)  # serialises grants of one listing
    listings.require_owner(actor, listing)
    if listing.status != ListingStatus.PUBLISHED:
        raise PermissionDenied(N_("Only a published listing can be licensed."))
    if offers.offer_of(listing.id, OfferKind(data.kind.value)) is None:
        raise ValidationFailed(N_("The listing does not offer this kind of licence."), field="kind")  # fmt: skip
    _check_licensee(actor, data.licensee_org_id)
    scope = _scope(data)
    terms = deal_rules.check_royalty_terms(RoyaltyTerms(data.rate_bp, data.minimum_annual_minor, data.period_months))  # fmt: skip
    numbers = [a.number for a in listing.ip_assets]
    for number in offers.patent_numbers(listing.id):
        check_licence_allowed(number, data.kind)
    for number in numbers:
        legal_status.check_may_dispose(number, Purpose.LICENCE)
    co_owners.check_consents(listing, Purpose.LICENCE)
    deal_rules.check_no_conflict(scope, [x.scope for x in licences_in_force(numbers)])
    deal = licensing.record_licence(listing, licensee_org_id=data.licensee_org_id, price_minor=data.price_minor, now=now, actor_id=actor.id)  # fmt: skip
    licence = flush_new(
        LicenceDeal(
            deal_id=deal.id, listing_id=listing.id, kind=data.kind, fields=sorted(scope.fields),
            territory=sorted(scope.territory), starts_on=scope.starts_on, ends_on=scope.ends_on,
            rate_bp=terms.rate_bp, base=terms.base, minimum_annual_minor=terms.minimum_annual_minor,
            period_months=terms.period_months, created_at=now,
        )
    )  # fmt: skip
    audit_action("licence_deal.grant", deal.id, actor.id, now, after=snapshot(licence))
    notify_org(deal.buyer_org_id, "licence.proposed", params=params_of(licence), link=f"/deals/{deal.id}", now=now)  # fmt: skip
    return licence


def snapshot(licence: LicenceDeal) -> dict[str, object]:
    """What the audit keeps of a licence."""
    return {
        "kind": licence.kind.value, "fields": licence.fields, "territory": licence.territory,
        "starts_on": licence.starts_on.isoformat(), "ends_on": licence.ends_on.isoformat(),
        "rate_bp": licence.rate_bp, "minimum_annual_minor": licence.minimum_annual_minor,
        "period_months": licence.period_months,
    }  # fmt: skip


def params_of(licence: LicenceDeal) -> dict[str, str]:
    """What a notification of the licence says (translated in the reader's language)."""
    deal = licence.deal
    return {"title": deal.title, "organisation": deal.seller_name, "name": f"#{deal.id}"}


def licence_of(deal_id: int) -> LicenceDeal | None:
    return db.session.get(LicenceDeal, deal_id)


def visible_licence(actor: User | None, deal_id: int) -> LicenceDeal:
    """A licence deal for its parties and reviewers (NotFound for anyone else)."""
    deal = deals.visible_deal(actor, deal_id)
    licence = licence_of(deal.id)
    if licence is None:
        raise NotFound(N_("This deal is not a licence."))
    return licence
