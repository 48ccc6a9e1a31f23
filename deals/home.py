"""Deals' panels of the home: a party's deals by milestone, and the reviewers' cancellation
rulings and offline deals (core.home)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from accounts.models import User
from core.domain import N_
from core.extensions import db
from core.home import (
    BUYER,
    REVIEWER,
    SELLER,
    Card,
    HomeItem,
    HomePanel,
    count_by,
    counted_items,
    home_panels,
    queue_item,
    review_panel,
)
from deals.cancellation_rules import CancellationKind, CancellationStatus
from deals.models import Deal, DealCancellation
from deals.rules import MILESTONES, Channel, DealStatus

RECENT_DAYS = 30
CARD = Card("deals", SELLER, N_("Your deals"), 50, N_("No deals yet: a deal is made when a sale, a negotiation or an auction concludes."), "sales.index", N_("Listed sales"))  # fmt: skip
_TO_SIGN = {DealStatus.AWAITING_SIGNATURE}


def milestone_labels() -> dict[DealStatus, str]:
    return {
        DealStatus.AWAITING_SIGNATURE: _("Awaiting signature"),
        DealStatus.SIGNED: _("Signed, awaiting payment"),
        DealStatus.PAID: _("Paid, awaiting rights registration"),
        DealStatus.RIGHTS_REGISTERED: _("Rights registered, to complete"),
        DealStatus.COMPLETED: _("Completed"),
    }


def party_panel(org_id: int, role: str) -> HomePanel:
    """The organisation's deals (either side) counted by milestone."""
    by_status = count_by(
        Deal.status, or_(Deal.seller_org_id == org_id, Deal.buyer_org_id == org_id)
    )
    labels = {status: milestone_labels()[status] for status in MILESTONES}
    items = counted_items(by_status, labels, url_for("deals.mine"), urgent=_TO_SIGN)
    return replace(CARD, role=role).panel(items)


def reviewer_items(now: datetime) -> list[HomeItem]:
    """Cancellation requests waiting for a ruling; offline deals registered lately."""
    offline = db.session.scalar(
        select(func.count()).where(
            Deal.channel == Channel.OFFLINE,
            Deal.created_at >= now - timedelta(days=RECENT_DAYS),
        )
    )
    return [
        queue_item(
            _("Cancellation requests to rule on"),
            url_for("review.cancellations"),
            DealCancellation.created_at,
            DealCancellation.kind == CancellationKind.RULING,
            DealCancellation.status == CancellationStatus.PENDING,
        ),
        HomeItem(
            _("Offline deals registered in the last 30 days"),
            url_for("deals.register_offline"),
            offline or 0,
            note=_("register a deal closed at the physical market"),
        ),
    ]


def on_home(
    user: User, *, roles: frozenset[str], now: datetime, **_kw: Any
) -> list[HomePanel] | None:
    panels = []
    org_id = user.acting_org_id
    party = next((role for role in (SELLER, BUYER) if role in roles), None)
    if party is not None and org_id is not None:
        panels.append(party_panel(org_id, party))
    if REVIEWER in roles:
        panels.append(
            review_panel("review_deals", N_("Deals to look after"), reviewer_items(now), 50)
        )
    return panels or None


def connect() -> None:
    home_panels.connect(on_home, weak=False)
