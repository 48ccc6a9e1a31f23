"""Deals of both channels, their documents, public notices (公示) and objections (异议)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db_types import StoredFileMixin, UTCDateTime, enum_column, unique_where
from core.extensions import Model
from deals.cancellation_rules import CancellationKind, CancellationStatus, Grounds, Side
from deals.rules import Channel, ContractType, DealStatus, SaleMethod

LIVE_SALE = "status <> 'cancelled' AND (source_type IS NULL OR source_type <> 'licence')"


class Deal(Model):
    """One sale, from any method and either channel; a listing is sold at most once."""

    __tablename__ = "deals"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id"), index=True)
    seller_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    buyer_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Offline deals may name parties that are not on the platform.
    seller_name: Mapped[str] = mapped_column(String(200))
    buyer_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    method: Mapped[SaleMethod] = mapped_column(enum_column(SaleMethod))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    contract_type: Mapped[ContractType] = mapped_column(enum_column(ContractType))
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    status: Mapped[DealStatus] = mapped_column(enum_column(DealStatus), index=True)
    source_type: Mapped[str | None] = mapped_column(String(24))  # auction, listed_sale, negotiation
    source_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rights_registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rights_registration_ref: Mapped[str | None] = mapped_column(String(100))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The status whose next step the parties were told is overdue (deals.jobs): once each.
    overdue_told_for: Mapped[str | None] = mapped_column(String(24))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str | None] = mapped_column(String(2000))
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # What was sold, as it stood when the deal was made (the city statistics group by
    # these without reading the listings): its field, the section letter of its first
    # IPC class, and when it was published.
    field: Mapped[str | None] = mapped_column(String(32))
    ipc_section: Mapped[str | None] = mapped_column(String(1))
    listed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    documents: Mapped[list[DealDocument]] = relationship(
        back_populates="deal", cascade="all, delete-orphan", order_by="DealDocument.id"
    )
    # Read only, for lists (selectinload): `cancellation.pending_of` reads it when loaded.
    pending_cancellation: Mapped[DealCancellation | None] = relationship(
        primaryjoin=lambda: and_(
            DealCancellation.deal_id == Deal.id,
            DealCancellation.status == CancellationStatus.PENDING,
        ),
        viewonly=True,
        uselist=False,
    )

    __table_args__ = (
        # A listing is sold at most once: only one deal per listing that is not cancelled,
        # licences aside (deals.licensing: a listing may be licensed many times).
        unique_where("uq_deals_listing_live", "listing_id", where=LIVE_SALE),
    )


class DealDocument(StoredFileMixin, Model):
    """A contract or other document of a deal (stored like listing evidence)."""

    __tablename__ = "deal_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))

    deal: Mapped[Deal] = relationship(back_populates="documents")


class DealCancellation(Model):
    """A way out of a binding sale: a proposal by agreement, a request for a ruling, the rules.

    The deal is cancelled only when a row reaches agreed, upheld or applied; at most one
    row of a deal is pending at a time.
    """

    __tablename__ = "deal_cancellations"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CancellationKind] = mapped_column(enum_column(CancellationKind))
    status: Mapped[CancellationStatus] = mapped_column(enum_column(CancellationStatus), index=True)
    grounds: Mapped[Grounds | None] = mapped_column(enum_column(Grounds))
    # The proposer's reason or the requester's statement (the rules: none).
    statement: Mapped[str | None] = mapped_column(String(2000))
    requested_by_side: Mapped[Side | None] = mapped_column(enum_column(Side))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at_fault: Mapped[Side | None] = mapped_column(enum_column(Side))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    deal: Mapped[Deal] = relationship()

    __table_args__ = (
        unique_where("uq_deal_cancellations_pending", "deal_id", where="status = 'pending'"),
    )


class DealRegistration(Model):
    """The technology-contract registration form's fields (技术合同认定登记) of a deal,
    and the certificate number once the office registered it."""

    __tablename__ = "deal_registrations"

    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), primary_key=True)
    contract_number: Mapped[str] = mapped_column(String(64))
    project_name: Mapped[str] = mapped_column(String(300))
    contract_subtype: Mapped[str] = mapped_column(String(32))
    technology_field: Mapped[str] = mapped_column(String(32))
    seller_region_code: Mapped[str] = mapped_column(String(6))
    buyer_region_code: Mapped[str] = mapped_column(String(6))
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    transaction_amount_minor: Mapped[int] = mapped_column(BigInteger)  # 技术交易额
    payment_method: Mapped[str] = mapped_column(String(32))
    certificate_number: Mapped[str | None] = mapped_column(String(64))  # 登记证明编号
    certified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    certified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
