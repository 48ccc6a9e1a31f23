"""Valuation requests and valuations (indicative ones and formal reports) of listings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Organisation, User
from core.db_types import UTCDateTime, enum_column
from core.extensions import Model
from listings.models import Listing
from valuation.rules import Kind, Purpose, RequestStatus


class ValuationRequest(Model):
    """A seller's or a buyer's request for a formal valuation report (评估委托) of a listing."""

    __tablename__ = "valuation_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    requester_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    side: Mapped[str] = mapped_column(String(8))  # "seller" or "buyer"
    purpose: Mapped[str] = mapped_column(Text)
    purpose_kind: Mapped[Purpose] = mapped_column(
        enum_column(Purpose), default=Purpose.OTHER, server_default=Purpose.OTHER.value
    )
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus), index=True)
    valuer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    decline_reason: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    listing: Mapped[Listing] = relationship()
    requester: Mapped[Organisation] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    valuer: Mapped[User | None] = relationship(foreign_keys=[valuer_id])
    report: Mapped[Valuation | None] = relationship(back_populates="request", uselist=False)


class Valuation(Model):
    """A computed valuation: indicative (by the seller) or a formal, signed report.

    `inputs` holds what was typed (amounts in 分, rates in bps) and `result` the
    computed figures of each method, so a report is shown as it was issued even when
    the rules or the platform's deals change later.
    """

    __tablename__ = "valuations"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    side: Mapped[str] = mapped_column(String(8))  # "seller" or "buyer": whose valuation it is
    kind: Mapped[Kind] = mapped_column(enum_column(Kind, length=12))
    request_id: Mapped[int | None] = mapped_column(ForeignKey("valuation_requests.id"), unique=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    valuation_date: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    low_minor: Mapped[int] = mapped_column(BigInteger)
    central_minor: Mapped[int] = mapped_column(BigInteger)
    high_minor: Mapped[int] = mapped_column(BigInteger)
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    opinion: Mapped[str | None] = mapped_column(Text)  # the valuer's remarks (formal only)
    signer_name: Mapped[str | None] = mapped_column(String(100))
    signer_credential: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    listing: Mapped[Listing] = relationship()
    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User] = relationship()
    request: Mapped[ValuationRequest | None] = relationship(back_populates="report")

    @property
    def is_formal(self) -> bool:
        return self.kind == Kind.FORMAL


class ReportShare(Model):
    """A formal report shared by its owner with a partner bank (质押融资); revoked, it is kept."""

    __tablename__ = "valuation_report_shares"
    __table_args__ = (UniqueConstraint("valuation_id", "bank_org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    valuation_id: Mapped[int] = mapped_column(ForeignKey("valuations.id"), index=True)
    bank_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    shared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    shared_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    bank: Mapped[Organisation] = relationship()
