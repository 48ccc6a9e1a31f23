"""The market's reference rates (参考汇率) as stored: one row per currency and day.

A rate is kept as an integer of 10⁻¹⁰ yuan per major unit (`core.currencies` allows ten
decimal places), exact on SQLite and PostgreSQL alike, never a float. The writes here
are primitives; who may set a rate is decided by the shell's use cases
(`marketplace/rates`). Pages convert through `table()`, read once per request.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import g, has_request_context
from sqlalchemy import BigInteger, Date, ForeignKey, String, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, mapped_column

from core.currencies import REFERENCE, Rate, RateTable
from core.db_types import UTCDateTime
from core.extensions import Model, db
from core.service_kit import audit_action

SCALE = 10**10  # 1e-10 yuan: the finest a rate may be
SHOWN_PLACES = 4


class ReferenceRate(Model):
    """What one major unit of `currency` was worth in yuan on `on`."""

    __tablename__ = "reference_rates"
    __table_args__ = (
        UniqueConstraint("currency", "effective_on", name="uq_reference_rates_currency_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    effective_on: Mapped[date] = mapped_column(Date)
    yuan_e10: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(String(16))  # "admin" (the form) or "import" (a file)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def as_rate(self) -> Rate:
        """The pure value, written with at least four decimals (7.2000, as rates are quoted)."""
        yuan = Decimal(self.yuan_e10) / SCALE
        if -yuan.as_tuple().exponent < SHOWN_PLACES:  # type: ignore[operator]
            yuan = yuan.quantize(Decimal(1).scaleb(-SHOWN_PLACES))
        return Rate(self.currency, yuan, self.effective_on)


def to_e10(yuan: Decimal) -> int:
    """The stored integer of a rate (exact: a Rate has at most ten decimal places)."""
    return int(yuan * SCALE)


def keep(rate: Rate, *, by: int | None, now: datetime, source: str) -> ReferenceRate:
    """Store `rate`, replacing the same currency's rate of that day; audited."""
    row = db.session.scalar(
        select(ReferenceRate).where(
            ReferenceRate.currency == rate.currency, ReferenceRate.effective_on == rate.on
        )
    )
    before = {"yuan": str(row.as_rate().yuan)} if row else None
    if row is None:
        row = ReferenceRate(currency=rate.currency, effective_on=rate.on)
        db.session.add(row)
    row.yuan_e10, row.source, row.set_by, row.set_at = to_e10(rate.yuan), source, by, now
    db.session.flush()
    after = {"currency": rate.currency, "on": rate.on.isoformat(), "yuan": str(rate.yuan)}
    audit_action(f"reference_rate.{source}", row.id, by, now, before=before, after=after)
    return row


def latest(on: date) -> list[Rate]:
    """Each currency's latest rate dated on or before `on` (one per currency)."""
    newest = (
        select(ReferenceRate.currency, func.max(ReferenceRate.effective_on).label("effective_on"))
        .where(ReferenceRate.effective_on <= on)
        .group_by(ReferenceRate.currency)
        .subquery()
    )
    rows = db.session.scalars(
        select(ReferenceRate)
        .join(
            newest,
            (ReferenceRate.currency == newest.c.currency)
            & (ReferenceRate.effective_on == newest.c.effective_on),
        )
        .order_by(ReferenceRate.currency)
    )
    return [row.as_rate() for row in rows if row.currency != REFERENCE]


def between(start: date, end: date) -> RateTable:
    """The rates a conversion on any day from `start` to `end` may use."""
    inside = db.session.scalars(
        select(ReferenceRate).where(
            ReferenceRate.effective_on > start, ReferenceRate.effective_on <= end
        )
    )
    return RateTable([*latest(start), *(row.as_rate() for row in inside)])


def history(currency: str, limit: int = 30) -> list[Rate]:
    """The latest `limit` rates of one currency, newest first."""
    rows = db.session.scalars(
        select(ReferenceRate)
        .where(ReferenceRate.currency == currency)
        .order_by(ReferenceRate.effective_on.desc())
        .limit(limit)
    )
    return [row.as_rate() for row in rows]


def table(on: date) -> RateTable:
    """The rates in force on `on`, read once per request (pages convert many amounts)."""
    if not has_request_context():
        return RateTable(latest(on))
    cached: dict[date, RateTable] = g.setdefault("_reference_rates", {})
    if on not in cached:
        cached[on] = RateTable(latest(on))
    return cached[on]
