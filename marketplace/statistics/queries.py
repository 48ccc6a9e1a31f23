"""The SQL aggregates behind the city statistics: GROUP BY in the database, never a loop
over deals. Portable to SQLite and PostgreSQL; the two dialect-specific expressions (a
month in market time, seconds between two moments) are chosen by the session's dialect."""

from __future__ import annotations

from datetime import datetime, time
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, cast, func, select
from sqlalchemy import String as SqlString
from sqlalchemy.orm import aliased

from accounts.models import Organisation, User
from brokers.models import Broker, DealCommission, Introduction
from core.extensions import db
from deals.models import Deal, DealStatus
from listings.models import Listing, TechNeed
from marketplace.statistics.rules import Period
from payments.models import Deposit, DepositStatus


def bounds(period: Period, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The period's days in market time, as UTC moments [start, end)."""
    start = datetime.combine(period.start, time(), tzinfo=tz)
    end = datetime.combine(period.end, time(), tzinfo=tz)
    return start, end


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _month(column: Any, tz: ZoneInfo, at: datetime) -> ColumnElement[Any]:
    """The month of a moment in market time: its first instant on PostgreSQL (a timestamp
    hashes faster than text), 'YYYY-MM' on SQLite; `_key` makes both 'YYYY-MM'."""
    if _dialect() == "postgresql":
        return func.date_trunc("month", func.timezone(tz.key, column))
    offset = at.astimezone(tz).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    return func.strftime("%Y-%m", column, f"{minutes:+d} minutes")


def _key(value: Any) -> str | None:
    """A grouped value as the tables key it: enum members by value, months as 'YYYY-MM'.

    The queries group by the raw columns, not by text casts: PostgreSQL then estimates
    few groups and hashes them instead of sorting every deal by a collated string."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m")
    return None if value is None else str(value)


def _seconds(later: Any, earlier: Any) -> ColumnElement[Any]:
    if _dialect() == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def _live_deals(start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(
        Deal.status != DealStatus.CANCELLED, Deal.created_at >= start, Deal.created_at < end
    )


Cube = list[tuple[tuple[str | None, ...], int, int]]  # (keys, deals, value) per combination


def _cube(keys: list[Any], where: ColumnElement[bool], *joins: tuple[Any, Any]) -> Cube:
    """Deals and their value per combination of `keys`: one scan serves several tables."""
    labels = [key.label(f"k{i}") for i, key in enumerate(keys)]
    query: Select[Any] = select(
        *labels, func.count(Deal.id), func.coalesce(func.sum(Deal.price_minor), 0)
    ).select_from(Deal)
    for target, on in joins:
        query = query.outerjoin(target, on)
    rows = db.session.execute(query.where(where).group_by(*labels))
    return [(tuple(_key(k) for k in row[:-2]), int(row[-2]), int(row[-1])) for row in rows]


def _listing_cube(where: ColumnElement[bool]) -> tuple[Cube, int, float | None]:
    """(field, IPC section of the first class) of the deals' listings, and in the same scan
    the deals with a published listing and the seconds from publication to deal."""
    # The JSON text is '["H01M 10/05", ...]' on both databases: its third character.
    section = func.nullif(func.upper(func.substr(cast(Listing.ipc_classes, SqlString), 3, 1)), "]")
    labels = [Listing.field.label("k0"), section.label("k1")]
    query = (
        select(
            *labels,
            func.count(Deal.id),
            func.coalesce(func.sum(Deal.price_minor), 0),
            func.count(Listing.published_at),
            func.sum(_seconds(Deal.created_at, Listing.published_at)),
        )
        .select_from(Deal)
        .outerjoin(Listing, Listing.id == Deal.listing_id)
        .where(where)
        .group_by(*labels)
    )
    cube: Cube = []
    timed, seconds = 0, None
    for row in db.session.execute(query):
        field, letter, n, value, with_listing, spent = tuple(row)
        cube.append(((_key(field), letter), int(n), int(value)))
        timed += int(with_listing or 0)
        if spent is not None:
            seconds = (seconds or 0.0) + float(spent)
    return cube, timed, seconds


def deal_cubes(period: Period, tz: ZoneInfo) -> dict[str, Any]:
    """Three scans of the period's deals: (channel, method, month), (field, IPC section) of
    their listings with the time to deal, (region, kind) of their sellers with their
    buyers' regions."""
    start, end = bounds(period, tz)
    where = _live_deals(start, end)
    seller, buyer = aliased(Organisation), aliased(Organisation)
    listing, timed, seconds = _listing_cube(where)
    return {
        "deal": _cube([Deal.channel, Deal.method, _month(Deal.created_at, tz, start)], where),
        "listing": listing,
        "timed_deals": timed,
        "seconds_to_deal": seconds,
        "parties": _cube(
            [seller.region, seller.kind, buyer.region],
            where,
            (seller, seller.id == Deal.seller_org_id),
            (buyer, buyer.id == Deal.buyer_org_id),
        ),
    }


def market_figures(period: Period, tz: ZoneInfo) -> dict[str, Any]:
    """Listings and needs published, listings of the period sold, deposits held now."""
    start, end = bounds(period, tz)
    in_period = and_(Listing.published_at >= start, Listing.published_at < end)
    published = db.session.scalar(select(func.count(Listing.id)).where(in_period)) or 0
    # A listing has at most one live deal (uq_deals_listing_live): one probe of that
    # partial index per listing published in the period.
    live_deal = (
        select(Deal.id)
        .where(Deal.listing_id == Listing.id, Deal.status != DealStatus.CANCELLED)
        .exists()
    )
    sold = db.session.scalar(select(func.count(Listing.id)).where(in_period, live_deal))
    needs = db.session.scalar(
        select(func.count(TechNeed.id)).where(
            TechNeed.created_at >= start, TechNeed.created_at < end
        )
    )
    held = db.session.execute(
        select(func.count(Deposit.id), func.coalesce(func.sum(Deposit.amount_minor), 0)).where(
            Deposit.status == DepositStatus.HELD
        )
    ).one()
    return {
        "listings_published": int(published),
        "listings_sold": int(sold or 0),
        "needs_published": int(needs or 0),
        "deposits_held": int(held[0]),
        "deposits_held_minor": int(held[1]),
    }


def broker_rows(period: Period, tz: ZoneInfo) -> list[dict[str, Any]]:
    """Each broker's introductions and commissions in the period (administrators only)."""
    start, end = bounds(period, tz)
    intros = (
        select(Introduction.broker_id.label("broker_id"), func.count(Introduction.id).label("n"))
        .where(Introduction.created_at >= start, Introduction.created_at < end)
        .group_by(Introduction.broker_id)
        .subquery()
    )
    commissions = (
        select(
            DealCommission.broker_id.label("broker_id"),
            func.count(DealCommission.id).label("deals"),
            func.sum(DealCommission.amount_minor).label("amount"),
        )
        .join(Deal, Deal.id == DealCommission.deal_id)
        .where(_live_deals(start, end))
        .group_by(DealCommission.broker_id)
        .subquery()
    )
    query = (
        select(User.name, intros.c.n, commissions.c.deals, commissions.c.amount)
        .select_from(Broker)
        .join(User, User.id == Broker.user_id)
        .outerjoin(intros, intros.c.broker_id == Broker.id)
        .outerjoin(commissions, commissions.c.broker_id == Broker.id)
        .where((intros.c.n.is_not(None)) | (commissions.c.deals.is_not(None)))
        .order_by(func.coalesce(commissions.c.amount, 0).desc(), User.name)
    )
    return [
        {
            "broker": name,
            "introductions": int(n or 0),
            "deals": int(d or 0),
            "commission_minor": int(a or 0),
        }
        for name, n, d, a in db.session.execute(query)
    ]
