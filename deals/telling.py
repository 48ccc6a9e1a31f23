"""What deals tell people: a milestone reached or overdue; a cancellation proposed, asked for,
answered, ruled; a deal cancelled.

The parties' webhook endpoints also learn of each step of a deal (`to_integrators`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select

from accounts.models import Organisation, User
from core.clock import as_utc
from core.extensions import db
from deals.cancellation_rules import CancellationKind, CancellationStatus, Side, other
from deals.models import Deal, DealCancellation
from deals.rules import DealStatus, overdue_step
from listings.models import Listing
from notifications.services import notify_org
from webhooks.events import publish

# What a reader is told of an outcome, in Chinese and in English (`x_en` parameters).
_OUTCOMES: dict[tuple[CancellationStatus, Side | None], tuple[str, str]] = {
    (CancellationStatus.DECLINED, None): ("被对方拒绝，交易继续", "declined: the deal goes on"),
    (CancellationStatus.WITHDRAWN, None): ("已撤回，交易继续", "withdrawn: the deal goes on"),
    (CancellationStatus.DISMISSED, None): ("被驳回，交易继续", "dismissed: the deal goes on"),
    (CancellationStatus.UPHELD, Side.BUYER): (
        "获支持，买方负有责任",
        "upheld, with the buyer at fault",
    ),
    (CancellationStatus.UPHELD, Side.SELLER): (
        "获支持，卖方负有责任",
        "upheld, with the seller at fault",
    ),
}
_HOW: dict[CancellationKind, tuple[str, str]] = {
    CancellationKind.AGREEMENT: ("经双方协商一致", "by agreement of both parties"),
    CancellationKind.RULING: ("经平台审核裁定", "by a reviewer's ruling"),
    CancellationKind.RULES: (
        "按规则：中标人未在规定的工作日内签约",
        "by the rules: the winner did not sign within the set working days",
    ),
}


def _about(deal: Deal) -> dict[str, Any]:
    listing = db.session.get(Listing, deal.listing_id) if deal.listing_id else None
    if listing is None:
        return {"title": deal.title, "title_en": deal.title}
    return {"title": listing.title("zh_CN"), "title_en": listing.title("en")}


def _link(deal: Deal) -> str:
    return f"/deals/{deal.id}"


def _org_of(deal: Deal, side: Side | None) -> int | None:
    if side is None:
        return None
    return deal.seller_org_id if side == Side.SELLER else deal.buyer_org_id


def _by(actor: User) -> dict[str, Any]:
    org = db.session.get(Organisation, actor.acting_org_id or 0)
    return {
        "organisation": org.display_name("zh_CN") if org else "",
        "organisation_en": org.display_name("en") if org else "",
    }


def _to_other_side(
    row: DealCancellation, event: str, params: dict[str, Any], now: datetime
) -> None:
    if row.requested_by_side is None:
        return
    deal = row.deal
    target = _org_of(deal, other(row.requested_by_side))
    notify_org(target, event, params={**_about(deal), **params}, link=_link(deal), now=now)


def proposed(row: DealCancellation, actor: User, *, now: datetime) -> None:
    """The other party is asked to confirm a cancellation by agreement (flushes)."""
    _to_other_side(row, "deal.cancel_proposed", {**_by(actor), "reason": row.statement}, now)


def requested(row: DealCancellation, actor: User, *, now: datetime) -> None:
    """The other party learns a reviewer is asked to rule on cancelling the deal (flushes)."""
    _to_other_side(row, "deal.cancel_requested", {**_by(actor), "reason": row.statement}, now)


def answered(row: DealCancellation, actor: User, *, now: datetime) -> None:
    """Declined: its author learns it; withdrawn: the party that was asked learns it (flushes)."""
    zh, en = _OUTCOMES[(row.status, None)]
    deal = row.deal
    side = row.requested_by_side if row.status == CancellationStatus.DECLINED else None
    if side is None and row.requested_by_side is not None:
        side = other(row.requested_by_side)
    notify_org(
        _org_of(deal, side), "deal.cancel_answered",
        params={**_about(deal), "outcome": zh, "outcome_en": en},
        link=_link(deal), now=now, except_user_id=actor.id,
    )  # fmt: skip


def ruled(row: DealCancellation, *, now: datetime) -> None:
    """Both parties learn the reviewer's ruling (flushes)."""
    zh, en = _OUTCOMES[(row.status, row.at_fault)]
    deal = row.deal
    params = {**_about(deal), "outcome": zh, "outcome_en": en}
    for org_id in (deal.seller_org_id, deal.buyer_org_id):
        notify_org(org_id, "deal.cancel_ruled", params=params, link=_link(deal), now=now)


def cancelled(deal: Deal, row: DealCancellation, *, now: datetime) -> None:
    """Both parties learn the deal is cancelled, and how (flushes; not the one who acted)."""
    zh, en = _HOW[row.kind]
    params = {**_about(deal), "how": zh, "how_en": en}
    for org_id in (deal.seller_org_id, deal.buyer_org_id):
        notify_org(
            org_id, "deal.cancelled", params=params, link=_link(deal), now=now,
            except_user_id=row.decided_by_id,
        )  # fmt: skip


_MILESTONES: dict[DealStatus, tuple[str, str]] = {
    DealStatus.SIGNED: ("合同已签订", "contract signed"),
    DealStatus.PAID: ("价款已付清", "paid in full"),
    DealStatus.RIGHTS_REGISTERED: ("权属变更已登记", "transfer of rights registered"),
    DealStatus.COMPLETED: ("交易完成", "completed"),
}
STEP_DAYS = 30  # a signed deal's next milestone is overdue after this (DEAL_STEP_DAYS)
_REACHED_AT = {
    DealStatus.SIGNED: "signed_at",
    DealStatus.PAID: "paid_at",
    DealStatus.RIGHTS_REGISTERED: "rights_registered_at",
}


def milestone(deal: Deal, *, now: datetime, actor_id: int | None) -> None:
    """Both parties learn the deal reached its new milestone (not the one who recorded it)."""
    zh, en = _MILESTONES[deal.status]
    params = {**_about(deal), "milestone": zh, "milestone_en": en}
    for org_id in (deal.seller_org_id, deal.buyer_org_id):
        notify_org(
            org_id, "deal.milestone", params=params, link=_link(deal), now=now,
            except_user_id=actor_id,
        )  # fmt: skip


def tell_overdue(*, now: datetime, days: int) -> int:
    """Both parties of each deal late for its next milestone hear it once per milestone."""
    query = select(Deal).where(
        Deal.status.in_(tuple(_REACHED_AT)),
        or_(Deal.overdue_told_for.is_(None), Deal.overdue_told_for != Deal.status),
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    told = 0
    for deal in db.session.scalars(query.order_by(Deal.id)):
        reached = getattr(deal, _REACHED_AT[deal.status])
        late = overdue_step(deal.status, as_utc(reached) if reached else None, now, days)
        if late is None:
            continue
        zh, en = _MILESTONES[late]
        params = {**_about(deal), "milestone": zh, "milestone_en": en, "days": str(days)}
        for org_id in (deal.seller_org_id, deal.buyer_org_id):
            notify_org(org_id, "deal.overdue", params=params, link=_link(deal), now=now)
        deal.overdue_told_for = deal.status.value
        told += 1
    db.session.flush()
    return told


def to_integrators(deal: Deal, event: str, *, now: datetime) -> None:
    """Both parties' webhook endpoints learn of a deal's step: created, signed, paid... (flushes)."""
    data = {
        **_about(deal),
        "status": deal.status.value,
        "price_minor": deal.price_minor,
        "currency": deal.currency,
    }
    for org_id in sorted({deal.seller_org_id, deal.buyer_org_id or deal.seller_org_id}):
        publish(org_id, event, data=data, link=_link(deal), now=now)
