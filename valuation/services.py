"""Valuation use cases: compute and save indicative valuations, request and issue reports.

Who may do what:

* the seller (a member of the listing's organisation) computes and saves indicative
  valuations of its listing at any time, and may request a formal report;
* a buyer (a member of another verified organisation) may request a formal report of
  a published listing; the report is the buyer's: only the buyer, the valuer and the
  reviewers see it;
* a valuer (a platform reviewer, or a broker for whom `brokers.services.shared.is_accredited`
  is true) takes a request, then issues the signed report or declines with a reason;
  a valuer never values a listing of, or for, their own organisation.

The listing page shows the latest seller-side valuation (indicative or formal) to
everyone who may see the listing; buyer-side reports stay private.

The use cases flush and never commit: the caller's unit of work (`core.uow`) commits.
Those that lock a request (take, decline, withdraw, issue) are run in
`unit_of_work(writer=True)`, so that on SQLite racing valuers queue for the write lock.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select

from accounts.models import User
from brokers.services.shared import broker_of, is_accredited
from core.audit import services as audit
from core.clock import as_utc
from core.domain import N_, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from deals.models import Deal, DealStatus
from listings import services as listings
from listings.models import IPAsset, Listing
from listings.rules import ListingStatus
from valuation import income_rules, indicative_rules, market_rules, rules
from valuation.cost_rules import CostInputs
from valuation.income_rules import DiscountRate, IncomeInputs, IndustryClass
from valuation.indicative_rules import IndicativeInputs, IndicativeResult
from valuation.market_rules import Comparable, MarketSubject
from valuation.models import Valuation, ValuationRequest
from valuation.rules import Kind, RequestAction, RequestStatus, ValueRange

MARKET_TZ = ZoneInfo("Asia/Shanghai")
SELLER, BUYER = "seller", "buyer"
MAX_CANDIDATE_DEALS = 5_000  # newest deals considered for comparables

# Broker levels as they are written on a certificate.
_BROKER_LEVELS = {
    "junior": "初级技术经纪人",
    "intermediate": "中级技术经纪人",
    "senior": "高级技术经理人",
}
REVIEWER_CREDENTIAL = "平台评估审核员 · Platform reviewer"


# --- who is a valuer ---------------------------------------------------------------------


def _broker_accredited(user: User, now: datetime) -> bool:
    """Whether the user is an accredited technology broker today."""
    return bool(is_accredited(user, now=now))


def valuer_role(user: User | None, *, now: datetime) -> str | None:
    """'reviewer' or 'broker' when the user may issue formal reports, else None."""
    if user is None or not user.is_authenticated:
        return None
    if user.can_review:
        return "reviewer"
    return "broker" if _broker_accredited(user, now) else None


def is_valuer(user: User | None, *, now: datetime) -> bool:
    """Whether the user may take requests and issue formal reports."""
    return valuer_role(user, now=now) is not None


def require_valuer(actor: User | None, *, now: datetime) -> User:
    """The actor, or PermissionDenied unless a reviewer or an accredited broker."""
    if actor is None or not is_valuer(actor, now=now):
        raise PermissionDenied(
            N_("Only platform reviewers and accredited brokers may issue valuation reports.")
        )
    return actor


def credential_of(user: User, *, now: datetime) -> str:
    """The accreditation written under the signature of a report."""
    if user.can_review:
        return REVIEWER_CREDENTIAL
    broker = broker_of(user)
    if broker is None:
        return ""
    level = _BROKER_LEVELS.get(str(getattr(broker.level, "value", broker.level)), "技术经纪人")
    return f"{level} · {broker.certificate_number} · {broker.issuing_body}"


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


# --- (de)serialising inputs and results ---------------------------------------------------


def _range(value: ValueRange | None) -> dict[str, int] | None:
    return asdict(value) if value is not None else None


def inputs_to_dict(inputs: IndicativeInputs) -> dict[str, Any]:
    """The inputs as stored with a valuation (amounts in 分, rates in bps)."""
    return {
        "income": (
            {**asdict(inputs.income), "revenues_minor": list(inputs.income.revenues_minor)}
            if inputs.income
            else None
        ),
        "discount": asdict(inputs.discount) if inputs.discount else None,
        "industry": inputs.industry.value if inputs.industry else None,
        "operating_margin_bps": inputs.operating_margin_bps,
        "cost": asdict(inputs.cost) if inputs.cost else None,
        "use_market": inputs.use_market,
    }


def inputs_from_dict(data: dict[str, Any]) -> IndicativeInputs:
    """The inverse of `inputs_to_dict`."""
    income = data.get("income")
    return IndicativeInputs(
        income=(
            IncomeInputs(**{**income, "revenues_minor": tuple(income["revenues_minor"])})
            if income
            else None
        ),
        discount=DiscountRate(**data["discount"]) if data.get("discount") else None,
        industry=IndustryClass(data["industry"]) if data.get("industry") else None,
        operating_margin_bps=data.get("operating_margin_bps"),
        cost=CostInputs(**data["cost"]) if data.get("cost") else None,
        use_market=bool(data.get("use_market", True)),
    )


def result_to_dict(result: IndicativeResult, inputs: IndicativeInputs) -> dict[str, Any]:
    """Every figure a page, the API and the PDF show, as plain JSON."""
    income = None
    if result.income is not None and result.sensitivity is not None:
        grid = result.sensitivity
        industry = inputs.industry
        income = {
            "value_minor": result.income.value_minor,
            "life_years": result.income.life_years,
            "limited_by": result.income.limited_by,
            "extended_years": result.income.extended_years,
            "years": [
                {
                    "year": y.year,
                    "revenue_minor": y.revenue_minor,
                    "royalty_minor": y.royalty_minor,
                    "after_tax_minor": y.after_tax_minor,
                    "discount_factor": f"{float(y.discount_factor):.6f}",
                    "present_value_minor": y.present_value_minor,
                }
                for y in result.income.years
            ],
            "range": _range(result.income_range),
            "industry": industry.value if industry else None,
            "benchmark_bps": list(income_rules.ROYALTY_BENCHMARKS[industry]) if industry else None,
            "benchmark": result.benchmark,
            "rule_of_thumb": asdict(result.rule_of_thumb) if result.rule_of_thumb else None,
            "sensitivity": {
                "royalty_bps": list(grid.royalty_bps),
                "discount_bps": list(grid.discount_bps),
                "values_minor": [list(row) for row in grid.values_minor],
                "central": list(grid.central),
            },
        }
    market = None
    if result.market is not None:
        market = {
            "applicable": result.market.applicable,
            "minimum": result.market.minimum,
            "range": _range(result.market.range),
            "comparables": [
                {
                    "deal_id": a.comparable.deal_id,
                    "title": a.comparable.title,
                    "price_minor": a.comparable.price_minor,
                    "field": a.comparable.field,
                    "trl": a.comparable.trl,
                    "asset_count": a.comparable.asset_count,
                    "deal_date": a.comparable.deal_date.isoformat(),
                    "match": a.match,
                    "adjustments": [asdict(adj) for adj in a.adjustments],
                    "adjusted_minor": a.adjusted_minor,
                }
                for a in result.market.comparables
            ],
        }
    cost = None
    if result.cost is not None:
        cost = {
            "reproduction_minor": result.cost.reproduction_minor,
            "value_minor": result.cost.value_minor,
            "range": _range(result.cost.range),
        }
    return {
        "income": income,
        "market": market,
        "cost": cost,
        "reconciled": {
            "weights": {m.value: w for m, w in result.reconciled.weights.items()},
            "range": _range(result.reconciled.range),
        },
    }


# --- indicative valuations ---------------------------------------------------------------


def may_compute(actor: User | None, listing: Listing, *, now: datetime) -> bool:
    """The seller, and valuers (who prepare reports), may compute a valuation of a listing."""
    return listings.is_owner(actor, listing) or is_valuer(actor, now=now)


def compute(
    actor: User | None, listing_id: int, inputs: IndicativeInputs, *, now: datetime
) -> tuple[Listing, dict[str, Any]]:
    """Compute (and save nothing) the indicative valuation of a listing."""
    listing = listings.visible_listing(actor, listing_id)
    if not may_compute(actor, listing, now=now):
        raise PermissionDenied(N_("Only the seller and accredited valuers may value this listing."))
    result = indicative_rules.indicative_valuation(
        inputs, market_subject(listing, now=now), comparable_candidates(listing, now=now)
    )
    return listing, result_to_dict(result, inputs)


def _valuation(
    actor: User,
    listing: Listing,
    inputs: IndicativeInputs,
    result: dict[str, Any],
    *,
    kind: Kind,
    side: str,
    organisation_id: int,
    now: datetime,
    request: ValuationRequest | None = None,
    opinion: str | None = None,
) -> Valuation:
    reconciled = result["reconciled"]["range"]
    valuation = Valuation(
        listing_id=listing.id,
        organisation_id=organisation_id,
        side=side,
        kind=kind,
        request_id=request.id if request else None,
        created_by_id=actor.id,
        valuation_date=valuation_date(now),
        currency=listing.currency,
        low_minor=reconciled["low_minor"],
        central_minor=reconciled["central_minor"],
        high_minor=reconciled["high_minor"],
        inputs=inputs_to_dict(inputs),
        result=result,
        opinion=opinion,
        signer_name=actor.name if kind == Kind.FORMAL else None,
        signer_credential=credential_of(actor, now=now) if kind == Kind.FORMAL else None,
        created_at=now,
    )
    db.session.add(valuation)
    db.session.flush()
    audit.record(
        actor_id=actor.id,
        action=f"valuation.{kind.value}",
        object_type="valuation",
        object_id=valuation.id,
        now=now,
        after={
            "listing_id": listing.id,
            "kind": kind.value,
            "low_minor": valuation.low_minor,
            "central_minor": valuation.central_minor,
            "high_minor": valuation.high_minor,
            "request_id": valuation.request_id,
        },
    )
    return valuation


def save_indicative(
    actor: User, listing_id: int, inputs: IndicativeInputs, *, now: datetime
) -> Valuation:
    """The seller keeps an indicative valuation; the listing page shows its range."""
    listing = listings.get_listing(listing_id)
    if not listings.is_owner(actor, listing):
        raise PermissionDenied(N_("Only the seller may save an indicative valuation."))
    _, result = compute(actor, listing_id, inputs, now=now)
    valuation = _valuation(
        actor,
        listing,
        inputs,
        result,
        kind=Kind.INDICATIVE,
        side=SELLER,
        organisation_id=listing.organisation_id,
        now=now,
    )
    return valuation


def latest_for_listing(listing_id: int) -> Valuation | None:
    """The newest seller-side valuation of a listing (indicative or formal), if any."""
    return db.session.scalar(
        select(Valuation)
        .where(Valuation.listing_id == listing_id, Valuation.side == SELLER)
        .order_by(Valuation.created_at.desc(), Valuation.id.desc())
        .limit(1)
    )


def get_valuation(valuation_id: int) -> Valuation:
    """A valuation by id, or NotFound."""
    valuation = db.session.get(Valuation, valuation_id)
    if valuation is None:
        raise NotFound(N_("No such valuation."))
    return valuation


def can_view_valuation(actor: User | None, valuation: Valuation) -> bool:
    """Seller-side: whoever may see the listing; buyer-side: the buyer, the signer, reviewers."""
    if valuation.side == SELLER:
        return listings.can_view(actor, valuation.listing)
    if actor is None or not actor.is_authenticated:
        return False
    return (
        actor.can_review
        or actor.acting_org_id == valuation.organisation_id
        or actor.id == valuation.created_by_id
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
    return list(
        db.session.scalars(
            select(Valuation)
            .where(condition)
            .order_by(Valuation.created_at.desc(), Valuation.id.desc())
            .limit(200)
        )
    )


# --- requests ----------------------------------------------------------------------------


def _member_org(actor: User) -> int:
    org_id = actor.acting_org_id
    if org_id is None or actor.organisation is None or not actor.organisation.is_verified:
        raise PermissionDenied(
            N_("Only members of a verified organisation may request a valuation.")
        )
    return org_id


def request_valuation(
    actor: User, listing_id: int, purpose: str, *, now: datetime
) -> ValuationRequest:
    """A seller (its listing) or a buyer (a published listing) asks for a formal report."""
    org_id = _member_org(actor)
    listing = listings.visible_listing(actor, listing_id)
    side = SELLER if listing.organisation_id == org_id else BUYER
    if side == BUYER and listing.status != ListingStatus.PUBLISHED:
        raise NotFound(N_("No such listing."))
    if side == SELLER and listing.status == ListingStatus.WITHDRAWN:
        raise ValidationFailed(N_("A withdrawn listing cannot be valued."), field="_form")
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationFailed(
            N_("Say what the valuation is for (a sale, a licence, an investment, …)."),
            field="purpose",
        )
    if len(purpose) > 2000:
        raise ValidationFailed(N_("Keep the purpose under 2,000 characters."), field="purpose")
    open_one = db.session.scalar(
        select(ValuationRequest.id).where(
            ValuationRequest.listing_id == listing.id,
            ValuationRequest.requester_org_id == org_id,
            ValuationRequest.status.in_(rules.OPEN_REQUEST_STATUSES),
        )
    )
    if open_one is not None:
        raise rules.RequestNotAllowed(
            N_("Your organisation already has an open valuation request for this listing."),
            code="valuation_request_open",
        )
    request = ValuationRequest(
        listing_id=listing.id,
        requester_org_id=org_id,
        requested_by_id=actor.id,
        side=side,
        purpose=purpose,
        status=RequestStatus.REQUESTED,
        created_at=now,
        updated_at=now,
    )
    db.session.add(request)
    db.session.flush()
    audit.record(
        actor_id=actor.id,
        action="valuation_request.request",
        object_type="valuation_request",
        object_id=request.id,
        now=now,
        after={"status": request.status.value, "listing_id": listing.id, "side": side},
    )
    return request


def get_request(request_id: int, *, lock: bool = False) -> ValuationRequest:
    """A valuation request by id (locked for update when `lock`), or NotFound."""
    query = select(ValuationRequest).where(ValuationRequest.id == request_id)
    if lock:
        # Two valuers racing for one request: one wins, the other sees it in progress.
        # On SQLite the caller's `unit_of_work(writer=True)` took the write lock first.
        query = query.with_for_update().execution_options(populate_existing=True)
    request = db.session.scalar(query)
    if request is None:
        raise NotFound(N_("No such valuation request."))
    return request


def _conflicted(actor: User, request: ValuationRequest) -> bool:
    """A valuer's own organisation is the seller or the requester."""
    org = actor.acting_org_id
    return org is not None and org in (request.requester_org_id, request.listing.organisation_id)


def can_view_request(actor: User | None, request: ValuationRequest, *, now: datetime) -> bool:
    """The requesting organisation, reviewers, the assigned valuer, and valuers while it is open."""
    if actor is None or not actor.is_authenticated:
        return False
    if actor.can_review or actor.acting_org_id == request.requester_org_id:
        return True
    if request.valuer_id == actor.id:
        return True
    return (
        request.status == RequestStatus.REQUESTED
        and is_valuer(actor, now=now)
        and not _conflicted(actor, request)
    )


def visible_request(actor: User | None, request_id: int, *, now: datetime) -> ValuationRequest:
    """A request the actor may see; others look like they do not exist."""
    request = get_request(request_id)
    if not can_view_request(actor, request, now=now):
        raise NotFound(N_("No such valuation request."))
    return request


def _move(
    actor: User,
    request: ValuationRequest,
    action: RequestAction,
    *,
    now: datetime,
    reason: str | None = None,
) -> None:
    before = request.status
    request.status = rules.next_request_status(request.status, action)
    request.updated_at = now
    audit.record(
        actor_id=actor.id,
        action=f"valuation_request.{action.value}",
        object_type="valuation_request",
        object_id=request.id,
        now=now,
        before={"status": before.value},
        after={"status": request.status.value, "valuer_id": request.valuer_id},
        reason=reason,
    )


def take_request(actor: User, request_id: int, *, now: datetime) -> ValuationRequest:
    """A valuer takes an open request: it is in progress, and theirs."""
    require_valuer(actor, now=now)
    request = get_request(request_id, lock=True)
    if _conflicted(actor, request):
        raise PermissionDenied(
            N_("You may not value a listing of, or for, your own organisation."),
            code="valuer_conflict",
        )
    rules.next_request_status(request.status, RequestAction.TAKE)  # refuse before any change
    request.valuer_id = actor.id
    _move(actor, request, RequestAction.TAKE, now=now)
    return request


def _require_assigned(actor: User, request: ValuationRequest, *, now: datetime) -> None:
    require_valuer(actor, now=now)
    if request.valuer_id is not None and request.valuer_id != actor.id:
        raise PermissionDenied(N_("Another valuer is working on this request."))


def decline_request(
    actor: User, request_id: int, reason: str, *, now: datetime
) -> ValuationRequest:
    """A valuer declines a request (an open one, or one they took), with a reason."""
    request = get_request(request_id, lock=True)
    _require_assigned(actor, request, now=now)
    if request.valuer_id is None and _conflicted(actor, request):
        raise PermissionDenied(
            N_("You may not value a listing of, or for, your own organisation."),
            code="valuer_conflict",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(N_("Give the reason for declining."), field="reason")
    rules.next_request_status(request.status, RequestAction.DECLINE)  # refuse before any change
    request.decline_reason = reason[:2000]
    if request.valuer_id is None:
        request.valuer_id = actor.id
    _move(actor, request, RequestAction.DECLINE, now=now, reason=request.decline_reason)
    return request


def withdraw_request(actor: User, request_id: int, *, now: datetime) -> ValuationRequest:
    """The requesting organisation withdraws its request before the report is issued."""
    request = get_request(request_id, lock=True)
    if actor.acting_org_id != request.requester_org_id:
        raise PermissionDenied(N_("Only the organisation that asked may withdraw the request."))
    _move(actor, request, RequestAction.WITHDRAW, now=now)
    return request


def issue_report(
    actor: User,
    request_id: int,
    inputs: IndicativeInputs,
    opinion: str,
    *,
    now: datetime,
) -> Valuation:
    """The assigned valuer issues the signed formal report; the request is issued."""
    request = get_request(request_id, lock=True)
    _require_assigned(actor, request, now=now)
    if request.status != RequestStatus.IN_PROGRESS:
        rules.next_request_status(request.status, RequestAction.ISSUE)  # raises
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationFailed(
            N_("Write the valuer's opinion: the method chosen and why."), field="opinion"
        )
    listing = request.listing
    result = indicative_rules.indicative_valuation(
        inputs, market_subject(listing, now=now), comparable_candidates(listing, now=now)
    )
    valuation = _valuation(
        actor,
        listing,
        inputs,
        result_to_dict(result, inputs),
        kind=Kind.FORMAL,
        side=request.side,
        organisation_id=request.requester_org_id,
        now=now,
        request=request,
        opinion=opinion[:10_000],
    )
    _move(actor, request, RequestAction.ISSUE, now=now)
    return valuation


def requests_of(actor: User) -> list[ValuationRequest]:
    """The requests of the actor's organisation, newest first."""
    org_id = actor.acting_org_id
    if org_id is None:
        return []
    return list(
        db.session.scalars(
            select(ValuationRequest)
            .where(ValuationRequest.requester_org_id == org_id)
            .order_by(ValuationRequest.created_at.desc(), ValuationRequest.id.desc())
        )
    )


def valuer_queue(actor: User, *, now: datetime) -> dict[str, list[ValuationRequest]]:
    """For a valuer: open requests anyone may take, and the ones they work on or finished."""
    require_valuer(actor, now=now)
    open_requests = [
        r
        for r in db.session.scalars(
            select(ValuationRequest)
            .where(ValuationRequest.status == RequestStatus.REQUESTED)
            .order_by(ValuationRequest.created_at, ValuationRequest.id)
        )
        if not _conflicted(actor, r)
    ]
    mine = list(
        db.session.scalars(
            select(ValuationRequest)
            .where(ValuationRequest.valuer_id == actor.id)
            .order_by(ValuationRequest.updated_at.desc(), ValuationRequest.id.desc())
        )
    )
    return {"open": open_requests, "mine": mine}


def open_request_of(actor: User | None, listing_id: int) -> ValuationRequest | None:
    """The actor's organisation's open request for this listing, if any."""
    if actor is None or not actor.is_authenticated or actor.acting_org_id is None:
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
    if actor is None or not actor.is_authenticated or actor.acting_org_id is None:
        return False
    if actor.organisation is None or not actor.organisation.is_verified:
        return False
    if listing.organisation_id == actor.acting_org_id:
        return listing.status != ListingStatus.WITHDRAWN
    return listing.status == ListingStatus.PUBLISHED


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
