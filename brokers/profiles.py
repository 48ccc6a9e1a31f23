"""The public side of brokers: the directory and the figures on a profile."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from brokers.broker_access import today_in_market
from brokers.models import Broker, DealCommission, Rating
from brokers.rules import AccreditationStatus, BrokerLevel
from core.domain import N_, NotFound
from core.extensions import db
from core.row_lists import all_of
from deals.models import Deal, DealStatus


@dataclass
class BrokerStats:
    """What a profile shows of a broker's record."""

    completed_deals: int = 0
    deals: int = 0
    rating_count: int = 0
    rating_average: float | None = None


def public_broker(broker_id: int) -> Broker:
    """A broker whose profile is public: accredited (an expired one shows as such)."""
    broker = db.session.get(Broker, broker_id)
    if broker is None or broker.status != AccreditationStatus.ACCREDITED:
        raise NotFound(N_("No such broker."))
    return broker


def stats_for(broker_ids: Sequence[int]) -> dict[int, BrokerStats]:
    """Deals, completed deals and ratings per broker, in two queries."""
    result = {broker_id: BrokerStats() for broker_id in broker_ids}
    if not result:
        return result
    rows = db.session.execute(
        select(DealCommission.broker_id, Deal.status, func.count(func.distinct(Deal.id)))
        .join(Deal, Deal.id == DealCommission.deal_id)
        .where(DealCommission.broker_id.in_(result), Deal.status != DealStatus.CANCELLED)
        .group_by(DealCommission.broker_id, Deal.status)
    ).all()
    for broker_id, status, count in rows:
        result[broker_id].deals += count
        if status == DealStatus.COMPLETED:
            result[broker_id].completed_deals += count
    for broker_id, count, average in db.session.execute(
        select(Rating.broker_id, func.count(Rating.id), func.avg(Rating.score))
        .where(Rating.broker_id.in_(result))
        .group_by(Rating.broker_id)
    ).all():
        result[broker_id].rating_count = count
        result[broker_id].rating_average = round(float(average), 1) if average else None
    return result


def directory(
    *, now: datetime, field_code: str | None = None, region: str | None = None
) -> list[Broker]:
    """Accredited brokers with a valid certificate, senior first, for the public directory."""
    query = (
        select(Broker)
        .where(*_listed(now))
        .options(selectinload(Broker.user), selectinload(Broker.organisation))
    )
    if region:
        query = query.where(Broker.region == region)
    brokers = all_of(query.order_by(Broker.id))
    if field_code:
        brokers = [b for b in brokers if field_code in (b.expertise_fields or [])]
    order = {BrokerLevel.SENIOR: 0, BrokerLevel.INTERMEDIATE: 1, BrokerLevel.JUNIOR: 2}
    return sorted(brokers, key=lambda b: (order[b.level], b.id))


def directory_regions(*, now: datetime) -> list[str]:
    """The regions of the brokers in the directory (its filter's choices), sorted."""
    rows = db.session.scalars(select(Broker.region).where(*_listed(now)).distinct())
    return sorted(rows)


def _listed(now: datetime) -> tuple[Any, ...]:
    """Who the directory lists: accredited brokers with a valid certificate."""
    return (
        Broker.status == AccreditationStatus.ACCREDITED,
        Broker.expires_on >= today_in_market(now),
    )
