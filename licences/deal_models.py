"""What a listing offers (transfer, exclusive, sole, ordinary licence), licence deals with
their scope and royalty terms, and the licensees' royalty reports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db_types import UTCDateTime, enum_column
from core.extensions import Model
from deals.models import Deal
from licences.deal_rules import OfferKind, RoyaltyBase, RoyaltyTerms, Scope
from licences.rules import LicenceKind


class ListingOffer(Model):
    """One way a listing is offered: its kind, its scope and its terms (one row per kind)."""

    __tablename__ = "listing_offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    kind: Mapped[OfferKind] = mapped_column(enum_column(OfferKind))
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: every field
    territory: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: all of China
    term_years: Mapped[int | None] = mapped_column(Integer)  # licences only
    price_minor: Mapped[int | None] = mapped_column(BigInteger)  # the price or entry fee asked
    rate_bp: Mapped[int | None] = mapped_column(Integer)
    minimum_annual_minor: Mapped[int | None] = mapped_column(BigInteger)
    period_months: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(1000), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("listing_id", "kind", name="uq_listing_offers_kind"),)


class LicenceDeal(Model):
    """The licence a deal grants: its kind, scope and royalty terms; the sweep's marks."""

    __tablename__ = "licence_deals"

    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    kind: Mapped[LicenceKind] = mapped_column(enum_column(LicenceKind))
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    territory: Mapped[list[str]] = mapped_column(JSON, default=list)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    rate_bp: Mapped[int] = mapped_column(Integer)
    base: Mapped[RoyaltyBase] = mapped_column(enum_column(RoyaltyBase))
    minimum_annual_minor: Mapped[int] = mapped_column(BigInteger)
    period_months: Mapped[int] = mapped_column(Integer)
    # The periods whose reminder, and whose lateness, the parties were told (once each).
    reminded_for: Mapped[int | None] = mapped_column(Integer)
    late_told_for: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    deal: Mapped[Deal] = relationship()
    reports: Mapped[list[RoyaltyReport]] = relationship(
        back_populates="licence", order_by="RoyaltyReport.period_index"
    )

    @property
    def scope(self) -> Scope:
        return Scope(self.kind, frozenset(self.fields), frozenset(self.territory), self.starts_on, self.ends_on)  # fmt: skip

    @property
    def terms(self) -> RoyaltyTerms:
        return RoyaltyTerms(self.rate_bp, self.minimum_annual_minor, self.period_months, self.base)


class RoyaltyReport(Model):
    """A licensee's report of a period's net sales and the royalty the market computed."""

    __tablename__ = "royalty_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("licence_deals.deal_id"), index=True)
    period_index: Mapped[int] = mapped_column(Integer)
    period_starts_on: Mapped[date] = mapped_column(Date)
    period_ends_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    net_sales_minor: Mapped[int] = mapped_column(BigInteger)
    rate_part_minor: Mapped[int] = mapped_column(BigInteger)
    top_up_minor: Mapped[int] = mapped_column(BigInteger)
    royalty_minor: Mapped[int] = mapped_column(BigInteger)
    late: Mapped[bool] = mapped_column(Boolean)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    licence: Mapped[LicenceDeal] = relationship(back_populates="reports")

    __table_args__ = (UniqueConstraint("deal_id", "period_index", name="uq_royalty_reports_period"),)  # fmt: skip
