"""The deals of a period as the policy rules see them (`DealFacts`), read from deals, listings,
organisations and brokers' commissions.

Which deals count: those completed (status `completed`) on a day of the period, in
market time. The basis is the technology transaction amount (技术交易额) of the deal's
registration record (`deals.models.DealRegistration`) when its form is filled in, else
the deal's price.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import aliased

from accounts.models import Organisation
from brokers.models import DealCommission
from core.extensions import db
from deals.models import Deal, DealRegistration, DealStatus
from listings.models import Listing
from policies.policy_rules import DealFacts


def basis_of(deal: Deal, registered_minor: int | None) -> int:
    """The amount a policy's rate applies to: the technology transaction amount, else the price."""
    return int(registered_minor) if registered_minor is not None else deal.price_minor


def day_bounds(first: date, last: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start of `first`, start of the day after `last`) in market time, as aware datetimes."""
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def _broker_orgs(deal_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Each deal's first commission's broker agency and its region (one agency per deal)."""
    rows = db.session.execute(
        select(DealCommission.deal_id, Organisation.id, Organisation.region)
        .join(Organisation, Organisation.id == DealCommission.broker_org_id)
        .where(DealCommission.deal_id.in_(deal_ids))
        .order_by(DealCommission.id.desc())
    ).all()
    return {deal_id: (org_id, region) for deal_id, org_id, region in rows}  # the first wins


def period_facts(first: date, last: date, tz: tzinfo) -> list[DealFacts]:
    """The deals completed from `first` to `last` (inclusive, market time)."""
    start, end = day_bounds(first, last, tz)
    seller, buyer = aliased(Organisation), aliased(Organisation)
    rows = db.session.execute(
        select(Deal, Listing.field, seller, buyer, DealRegistration.transaction_amount_minor)
        .join(seller, seller.id == Deal.seller_org_id)
        .outerjoin(buyer, buyer.id == Deal.buyer_org_id)
        .outerjoin(Listing, Listing.id == Deal.listing_id)
        .outerjoin(DealRegistration, DealRegistration.deal_id == Deal.id)
        .where(Deal.status == DealStatus.COMPLETED)
        .where(Deal.completed_at >= start, Deal.completed_at < end)
    ).all()
    brokers = _broker_orgs([row[0].id for row in rows])
    return [
        _facts(deal, basis_of(deal, registered), field, s, b, brokers.get(deal.id), tz)
        for deal, field, s, b, registered in rows
    ]


def _facts(
    deal: Deal,
    basis_minor: int,
    field: str | None,
    seller: Organisation,
    buyer: Organisation | None,
    broker: tuple[int, str] | None,
    tz: tzinfo,
) -> DealFacts:
    assert deal.completed_at is not None  # the query takes completed deals only
    return DealFacts(
        deal_id=deal.id,
        completed_on=deal.completed_at.astimezone(tz).date(),
        basis_minor=basis_minor,
        contract_type=str(deal.contract_type),
        field=field,
        buyer_org_id=buyer.id if buyer else None,
        buyer_kind=str(buyer.kind) if buyer else None,
        buyer_region=buyer.region if buyer else None,
        seller_org_id=seller.id,
        seller_kind=str(seller.kind),
        seller_region=seller.region,
        broker_org_id=broker[0] if broker else None,
        broker_region=broker[1] if broker else None,
    )
