"""Open-licence declarations (开放许可声明), their evaluation reports, the licences granted."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import Organisation
from core.db_types import StoredFileMixin, UTCDateTime, enum_column, unique_where
from core.extensions import Model
from licences.rules import DeclarationStatus, FeeKind, FeeTerms, LicenceStatus, PaymentMethod
from listings.models import IPAsset, Listing
from listings.need_rules import market_today


class OpenLicenceDeclaration(Model):
    """A patentee's declaration that anyone may use a patent on these published terms."""

    __tablename__ = "open_licence_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    ip_asset_id: Mapped[int] = mapped_column(ForeignKey("ip_assets.id"), index=True)
    patent_number: Mapped[str] = mapped_column(String(40), index=True)
    patent_type: Mapped[str] = mapped_column(String(16))  # invention, utility_model, design
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    declared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[DeclarationStatus] = mapped_column(enum_column(DeclarationStatus), index=True)
    fee_kind: Mapped[FeeKind] = mapped_column(enum_column(FeeKind))
    lump_sum_minor: Mapped[int | None] = mapped_column(BigInteger)
    entry_fee_minor: Mapped[int | None] = mapped_column(BigInteger)
    royalty_bp: Mapped[int | None] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    payment_method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    term_years: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refusal_reason: Mapped[str | None] = mapped_column(String(2000))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    listing: Mapped[Listing] = relationship()
    ip_asset: Mapped[IPAsset] = relationship()
    organisation: Mapped[Organisation] = relationship()
    reports: Mapped[list[EvaluationReport]] = relationship(
        back_populates="declaration", cascade="all, delete-orphan", order_by="EvaluationReport.id"
    )
    licences: Mapped[list[OpenLicence]] = relationship(
        back_populates="declaration", order_by="OpenLicence.id"
    )

    __table_args__ = (
        # One declaration submitted or standing per patent at a time.
        unique_where(
            "uq_open_licence_declarations_live",
            "patent_number",
            where="status IN ('submitted', 'published')",
        ),
    )

    @property
    def published_on(self) -> date | None:
        """The market day (Asia/Shanghai) the declaration was published."""
        return None if self.published_at is None else market_today(self.published_at)

    @property
    def withdrawn_on(self) -> date | None:
        """The market day (Asia/Shanghai) the withdrawal was published."""
        return None if self.withdrawn_at is None else market_today(self.withdrawn_at)

    @property
    def terms(self) -> FeeTerms:
        """The fee terms as the rules read them."""
        return FeeTerms(self.fee_kind, self.lump_sum_minor, self.entry_fee_minor, self.royalty_bp)


class EvaluationReport(StoredFileMixin, Model):
    """The patent evaluation report (专利权评价报告) of a utility model or design."""

    __tablename__ = "open_licence_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("open_licence_declarations.id", ondelete="CASCADE"), index=True
    )

    declaration: Mapped[OpenLicenceDeclaration] = relationship(back_populates="reports")


class OpenLicence(Model):
    """A licence obtained by written notice and payment on the published terms."""

    __tablename__ = "open_licences"

    id: Mapped[int] = mapped_column(primary_key=True)
    declaration_id: Mapped[int] = mapped_column(
        ForeignKey("open_licence_declarations.id"), index=True
    )
    licensee_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    notified_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[LicenceStatus] = mapped_column(enum_column(LicenceStatus), index=True)
    notice_text: Mapped[str] = mapped_column(String(2000))  # the written notice (书面通知)
    amount_due_minor: Mapped[int] = mapped_column(BigInteger)
    bank_reference: Mapped[str | None] = mapped_column(String(64))
    payment_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    granted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    declaration: Mapped[OpenLicenceDeclaration] = relationship(back_populates="licences")
    licensee: Mapped[Organisation] = relationship()
