"""Valuation read models: the market approach's data, the valuations and requests one may see.

Nothing here writes.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select

from accounts.models import User
from accounts.services import is_signed_in
from core.clock import as_utc
from core.domain import N_, NotFound
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import get_or_not_found
from deals.models import Deal, DealStatus
from listings import services as listings
from listings.models import IPAsset, Listing
from listings.rules import ListingStatus
from valuation import income_rules, market_rules, rules, sharing
from valuation.income_rules import DiscountRate, IncomeInputs
from valuation.indicative_rules import IndicativeInputs
from valuation.market_rules import Comparable, MarketSubject
from valuation.models import Valuation, ValuationRequest
from valuation.rules import SELLER, Purpose
from valuation.serialisation import inputs_from_dict

MARKET_TZ = ZoneInfo("Asia/Shanghai")
MAX_CANDIDATE_DEALS = 5_000  # newest deals considered for comparables


# --- the market approach's data ----------------------------------------------------------


def valuation_date(now: datetime) -> date:
    """The valuation date: today in the market's time zone."""
    return now.astimezone(MARKET_TZ).date()


def _asset_count(listing_id: int) -> int:
    count = db.session.scalar(
        select(func.count()).select_from(IPAsset).where(IPAsset.listing_id == listing_id)
    )
    return max(1, int(count or 0))


def market_subject(listing: Listing, *, now: datetime) -> MarketSubject:
    """What the market approach compares: field, IPC classes, maturity, portfolio size."""
    return MarketSubject(
        field=listing.field,
        ipc_classes=tuple(listing.ipc_classes or ()),
        trl=listing.trl,
        asset_count=_asset_count(listing.id),
        valuation_date=valuation_date(now),
    )


def comparable_candidates(listing: Listing, *, now: datetime) -> list[Comparable]:
    """Deals on the ledger (not cancelled) of other listings in the same currency, recent.

    The rules pick the comparable ones (same IPC subclass or field, similar maturity).
    """
    since = now - timedelta(days=366 * market_rules.MAX_DEAL_AGE_YEARS)
    assets = (
        select(IPAsset.listing_id, func.count().label("n")).group_by(IPAsset.listing_id).subquery()
    )
    rows = db.session.execute(
        select(
            Deal.id,
            Deal.title,
            Deal.price_minor,
            Deal.created_at,
            Listing.field,
            Listing.ipc_classes,
            Listing.trl,
            func.coalesce(assets.c.n, 1),
        )
        .join(Listing, Listing.id == Deal.listing_id)
        .outerjoin(assets, assets.c.listing_id == Listing.id)
        .where(
            Deal.status != DealStatus.CANCELLED,
            Deal.listing_id != listing.id,
            Deal.currency == listing.currency,
            Deal.created_at >= since,
            Deal.created_at <= now,
        )
        .order_by(Deal.created_at.desc(), Deal.id.desc())
        .limit(MAX_CANDIDATE_DEALS)
    )
    return [
        Comparable(
            deal_id=deal_id,
            title=title,
            price_minor=price,
            field=field,
            ipc_classes=tuple(ipc or ()),
            trl=trl,
            asset_count=max(1, int(count)),
            deal_date=valuation_date(as_utc(created_at)),
        )
        for deal_id, title, price, created_at, field, ipc, trl, count in rows
    ]


# --- valuations ----------------------------------------------------------------------------


def latest_for_listing(listing_id: int) -> Valuation | None:
    """The newest seller-side valuation of a listing (indicative or formal), if any; a pledge
    loan's report is the owner's and its banks', never the listing's."""
    pledges = select(ValuationRequest.id).where(
        ValuationRequest.purpose_kind == Purpose.PLEDGE_LOAN
    )
    return db.session.scalar(
        select(Valuation)
        .where(
            Valuation.listing_id == listing_id,
            Valuation.side == SELLER,
            or_(Valuation.request_id.is_(None), Valuation.request_id.not_in(pledges)),
        )
        .order_by(Valuation.created_at.desc(), Valuation.id.desc())
        .limit(1)
    )


def get_valuation(valuation_id: int) -> Valuation:
    """A valuation by id, or NotFound."""
    return get_or_not_found(Valuation, valuation_id, N_("No such valuation."))


def can_view_valuation(actor: User | None, valuation: Valuation) -> bool:
    """Seller-side: whoever may see the listing; buyer-side and pledge loans' reports: the
    owner, the signer, reviewers. A partner bank reads a report while it is shared with it."""
    private = (
        valuation.request is not None and valuation.request.purpose_kind == Purpose.PLEDGE_LOAN
    )
    if valuation.side == SELLER and not private and listings.can_view(actor, valuation.listing):
        return True
    if not is_signed_in(actor):
        return False
    return (
        actor.can_review
        or actor.acting_org_id == valuation.organisation_id
        or actor.id == valuation.created_by_id
        or (
            sharing.is_bank_member(actor) and sharing.shared_with(valuation.id, actor.acting_org_id)
        )
    )


def visible_valuation(actor: User | None, valuation_id: int) -> Valuation:
    """A valuation the actor may see; others look like they do not exist."""
    valuation = get_valuation(valuation_id)
    if not can_view_valuation(actor, valuation):
        raise NotFound(N_("No such valuation."))
    return valuation


def valuations_of_listing(actor: User | None, listing: Listing) -> list[Valuation]:
    """The valuations of a listing the actor may see, newest first."""
    items = db.session.scalars(
        select(Valuation)
        .where(Valuation.listing_id == listing.id)
        .order_by(Valuation.created_at.desc(), Valuation.id.desc())
    )
    return [v for v in items if can_view_valuation(actor, v)]


def valuations_of_org(actor: User) -> list[Valuation]:
    """The valuations that belong to the actor's organisation, and the reports they signed."""
    org_id = actor.acting_org_id
    condition = Valuation.created_by_id == actor.id
    if org_id is not None:
        condition = or_(condition, Valuation.organisation_id == org_id)
    return all_of(
        select(Valuation)
        .where(condition)
        .order_by(Valuation.created_at.desc(), Valuation.id.desc())
        .limit(200)
    )


def default_inputs(listing: Listing) -> IndicativeInputs:
    """A starting point for the form: the benchmark royalty of the field, common rates."""
    industry = income_rules.industry_class_for(listing.field)
    discount = DiscountRate(
        risk_free_bps=250, technology_bps=500, market_bps=300, funding_bps=200, management_bps=250
    )
    return IndicativeInputs(
        income=IncomeInputs(
            revenues_minor=(),
            royalty_bps=income_rules.default_royalty_bps(industry),
            tax_bps=2500,
            discount_bps=discount.total_bps,
            legal_life_years=10,
            economic_life_years=8,
        ),
        discount=discount,
        industry=industry,
        operating_margin_bps=None,
        cost=None,
        use_market=True,
    )


def latest_inputs(actor: User | None, listing: Listing) -> IndicativeInputs:
    """The inputs of the newest valuation the actor may see, else the defaults."""
    for valuation in valuations_of_listing(actor, listing):
        return inputs_from_dict(valuation.inputs)
    return default_inputs(listing)


# --- requests ------------------------------------------------------------------------------


def requests_of(actor: User) -> list[ValuationRequest]:
    """The requests of the actor's organisation, newest first."""
    org_id = actor.acting_org_id
    if org_id is None:
        return []
    return all_of(
        select(ValuationRequest)
        .where(ValuationRequest.requester_org_id == org_id)
        .order_by(ValuationRequest.created_at.desc(), ValuationRequest.id.desc())
    )


def open_request_of(actor: User | None, listing_id: int) -> ValuationRequest | None:
    """The actor's organisation's open request for this listing, if any."""
    if not is_signed_in(actor) or actor.acting_org_id is None:
        return None
    return db.session.scalar(
        select(ValuationRequest).where(
            ValuationRequest.listing_id == listing_id,
            ValuationRequest.requester_org_id == actor.acting_org_id,
            ValuationRequest.status.in_(rules.OPEN_REQUEST_STATUSES),
        )
    )


def may_request(actor: User | None, listing: Listing) -> bool:
    """Whether the listing page offers the actor a "request a formal valuation" button."""
    if not is_signed_in(actor) or actor.acting_org_id is None:
        return False
    if actor.organisation is None or not actor.organisation.is_verified:
        return False
    if listing.organisation_id == actor.acting_org_id:
        return listing.status != ListingStatus.WITHDRAWN
    return listing.status == ListingStatus.PUBLISHED
