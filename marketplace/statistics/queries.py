"""The SQL aggregates behind the city statistics: GROUP BY in the database, never a loop
over deals. Portable to SQLite and PostgreSQL; the two dialect-specific expressions (a
month in market time, seconds between two moments) are chosen by the session's dialect."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, and_, func, literal, select, text
from sqlalchemy.orm import aliased

from accounts.models import Organisation, User
from brokers.models import Broker, DealCommission, Introduction
from core.extensions import db
from deals.models import Deal, DealStatus
from listings.models import Listing, TechNeed
from marketplace.statistics import currency
from marketplace.statistics.rules import Period
from payments.models import Deposit, DepositStatus

GROUPING_MEMORY = "64MB"


def bounds(period: Period, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The period's days in market time, as UTC moments [start, end)."""
    start = datetime.combine(period.start, time(), tzinfo=tz)
    end = datetime.combine(period.end, time(), tzinfo=tz)
    return start, end


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _month(column: Any, tz: ZoneInfo, at: datetime) -> ColumnElement[Any]:
    """The month of a moment in market time at the zone's offset at `at` (the market's zone,
    China's, keeps one offset all year): its first instant on PostgreSQL (a fixed interval
    shifts a row far faster than a zone name, and a timestamp hashes faster than text),
    'YYYY-MM' on SQLite; `_key` makes both 'YYYY-MM'."""
    offset = at.astimezone(tz).utcoffset() or timedelta(0)
    if _dialect() == "postgresql":
        return func.date_trunc("month", func.timezone(literal(offset), column))
    minutes = int(offset.total_seconds() // 60)
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


def _time_between(later: Any, earlier: Any) -> ColumnElement[Any]:
    """What `_total_seconds` reads: an interval on PostgreSQL (added up as one), days on
    SQLite."""
    if _dialect() == "postgresql":
        return later - earlier
    return func.julianday(later) - func.julianday(earlier)


def _total_seconds(summed: timedelta | float | None) -> float | None:
    if summed is None:
        return None
    return summed.total_seconds() if isinstance(summed, timedelta) else float(summed) * 86400.0


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


def _deal_keys(tz: ZoneInfo, start: datetime) -> list[Any]:
    return [
        Deal.channel, Deal.method, _month(Deal.created_at, tz, start), Deal.field, Deal.ipc_section
    ]  # fmt: skip


def _deal_cube(
    tz: ZoneInfo, start: datetime, where: ColumnElement[bool]
) -> tuple[Cube, int, float | None]:
    """(channel, method, month, field, IPC section) of the deals, read from the deals alone
    (what was sold is kept on each deal), and in the same scan the deals whose listing was
    published and the seconds from publication to deal."""
    keys = _deal_keys(tz, start)
    labels = [key.label(f"k{i}") for i, key in enumerate(keys)]
    query = (
        select(
            *labels,
            func.count(Deal.id),
            func.coalesce(func.sum(Deal.price_minor), 0),
            func.count(Deal.listed_at),
            func.sum(_time_between(Deal.created_at, Deal.listed_at)),
        )
        .where(where)
        .group_by(*labels)
    )
    cube: Cube = []
    timed, seconds = 0, None
    for row in db.session.execute(query):
        *grouped, n, value, with_listing, spent = tuple(row)
        cube.append((tuple(_key(k) for k in grouped), int(n), int(value)))
        timed += int(with_listing or 0)
        if (spent_seconds := _total_seconds(spent)) is not None:
            seconds = (seconds or 0.0) + spent_seconds
    return cube, timed, seconds


def deal_cubes(period: Period, tz: ZoneInfo) -> dict[str, Any]:
    """Two scans of the period's deals: (channel, method, month, field, IPC section) with
    the time to deal, and (region, kind) of their sellers with their buyers' regions."""
    start, end = bounds(period, tz)
    where = _live_deals(start, end)
    if _dialect() == "postgresql":
        # The planner cannot know how few months a period has, expects a group per deal,
        # and sorts them on disk; memory for this transaction lets it hash them.
        db.session.execute(text(f"SET LOCAL work_mem = '{GROUPING_MEMORY}'"))
    seller, buyer = aliased(Organisation), aliased(Organisation)
    party_keys = [seller.region, seller.kind, buyer.region]
    joins = ((seller, seller.id == Deal.seller_org_id), (buyer, buyer.id == Deal.buyer_org_id))
    deal, timed, seconds = _deal_cube(tz, start, where)
    parties = _cube(party_keys, where, *joins)
    views = [(deal, _deal_keys(tz, start)), (parties, party_keys)]
    (deal, parties), unconverted = currency.in_yuan(views, _key, where, joins, (start, end, tz))
    return {
        "deal": deal,
        "timed_deals": timed,
        "seconds_to_deal": seconds,
        "parties": parties,
        "unconverted": unconverted,  # by currency: amounts of days without a reference rate
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
