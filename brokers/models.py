"""Technology brokers (技术经纪人): accreditation, mandates (委托), introductions, commissions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Organisation, User
from brokers.rules import (
    AccreditationStatus,
    BrokerLevel,
    CommissionKind,
    CommissionTerms,
    IntroductionKind,
    IntroductionStatus,
    MandateSide,
    MandateStatus,
    MandateTerm,
    Payer,
)
from core.clock import as_utc
from core.db_types import StoredFileMixin, UTCDateTime, enum_column
from core.extensions import Model


class Broker(Model):
    """A person's accreditation as a technology broker, and their public profile."""

    __tablename__ = "brokers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True)
    # The organisation the broker works for (a broker agency): it receives the payouts.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    level: Mapped[BrokerLevel] = mapped_column(enum_column(BrokerLevel))
    certificate_number: Mapped[str] = mapped_column(String(64))
    issuing_body: Mapped[str] = mapped_column(String(200))
    expires_on: Mapped[date] = mapped_column(Date)
    # The expiry the broker was warned of (brokers.jobs): a renewal warns again.
    expiry_told_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[AccreditationStatus] = mapped_column(
        enum_column(AccreditationStatus), index=True
    )
    expertise_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    region: Mapped[str] = mapped_column(String(64))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    bio: Mapped[str | None] = mapped_column(Text)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(String(2000))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Organisation] = relationship()
    documents: Mapped[list[BrokerDocument]] = relationship(
        back_populates="broker", cascade="all, delete-orphan", order_by="BrokerDocument.id"
    )


class BrokerDocument(StoredFileMixin, Model):
    """A document of an application: the certificate, an ID, a training record."""

    __tablename__ = "broker_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("brokers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))

    broker: Mapped[Broker] = relationship(back_populates="documents")


class Mandate(Model):
    """A mandate (委托) from a seller (for a listing) or a buyer (for a need) to a broker."""

    __tablename__ = "mandates"

    id: Mapped[int] = mapped_column(primary_key=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("brokers.id"), index=True)
    principal_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    side: Mapped[MandateSide] = mapped_column(enum_column(MandateSide))
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listings.id"), index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("tech_needs.id"), index=True)
    scope_note: Mapped[str | None] = mapped_column(Text)
    exclusive: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    notice_days: Mapped[int] = mapped_column(Integer, default=30)
    commission_kind: Mapped[CommissionKind] = mapped_column(enum_column(CommissionKind))
    rate_bps: Mapped[int | None] = mapped_column(Integer)
    min_minor: Mapped[int | None] = mapped_column(BigInteger)
    max_minor: Mapped[int | None] = mapped_column(BigInteger)
    fixed_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    payer: Mapped[Payer] = mapped_column(enum_column(Payer))
    above_cap_agreed: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[MandateStatus] = mapped_column(enum_column(MandateStatus), index=True)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    principal_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    broker_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    terminates_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    terminated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    termination_reason: Mapped[str | None] = mapped_column(String(2000))

    broker: Mapped[Broker] = relationship()
    principal: Mapped[Organisation] = relationship()

    def terms(self) -> CommissionTerms:
        """The commission terms as the pure rules take them."""
        return CommissionTerms(
            kind=self.commission_kind,
            rate_bps=self.rate_bps,
            min_minor=self.min_minor,
            max_minor=self.max_minor,
            fixed_minor=self.fixed_minor,
        )

    def term(self) -> MandateTerm:
        """When the mandate is in force, in UTC."""
        return MandateTerm(
            starts_at=as_utc(self.starts_at),
            ends_at=as_utc(self.ends_at),
            terminates_at=as_utc(self.terminates_at) if self.terminates_at else None,
        )

    def in_force(self, now: datetime) -> bool:
        """Accepted by both sides and inside its term (notice of termination included)."""
        return self.status in (MandateStatus.ACTIVE, MandateStatus.TERMINATED) and (
            self.term().covers(now)
        )


class Introduction(Model):
    """A broker's introduction of a buyer to a listing, or of a listing's seller to a need."""

    __tablename__ = "introductions"

    id: Mapped[int] = mapped_column(primary_key=True)
    mandate_id: Mapped[int] = mapped_column(ForeignKey("mandates.id"), index=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("brokers.id"), index=True)
    kind: Mapped[IntroductionKind] = mapped_column(enum_column(IntroductionKind))
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("tech_needs.id"), index=True)
    seller_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    buyer_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[IntroductionStatus] = mapped_column(enum_column(IntroductionStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    seller_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    buyer_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    declined_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    negotiation_id: Mapped[int | None] = mapped_column(ForeignKey("negotiations.id"))

    mandate: Mapped[Mandate] = relationship()
    broker: Mapped[Broker] = relationship()
    seller: Mapped[Organisation] = relationship(foreign_keys=[seller_org_id])
    buyer: Mapped[Organisation] = relationship(foreign_keys=[buyer_org_id])


class DealCommission(Model):
    """A broker's commission attributed to a deal: which mandate, which introduction, how much."""

    __tablename__ = "deal_commissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), index=True)
    mandate_id: Mapped[int] = mapped_column(ForeignKey("mandates.id"))
    introduction_id: Mapped[int] = mapped_column(ForeignKey("introductions.id"))
    broker_id: Mapped[int] = mapped_column(ForeignKey("brokers.id"), index=True)
    broker_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    broker_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    payer: Mapped[Payer] = mapped_column(enum_column(Payer))
    basis_minor: Mapped[int] = mapped_column(BigInteger)  # the deal's price
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    terms: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # as applied
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    mandate: Mapped[Mandate] = relationship()
    introduction: Mapped[Introduction] = relationship()
    broker: Mapped[Broker] = relationship()

    __table_args__ = (UniqueConstraint("deal_id", "mandate_id", name="uq_deal_commissions_deal"),)


class Rating(Model):
    """A party's rating (1–5) of a broker after a completed deal; one per party per deal."""

    __tablename__ = "broker_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), index=True)
    broker_id: Mapped[int] = mapped_column(ForeignKey("brokers.id"), index=True)
    rater_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    rater_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    score: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    rater: Mapped[Organisation] = relationship()

    __table_args__ = (
        UniqueConstraint("deal_id", "broker_id", "rater_org_id", name="uq_broker_ratings_deal"),
    )
