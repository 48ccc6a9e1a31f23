"""Support policies, each period's computation (a run), its lines and the deals behind them."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db_types import UTCDateTime, enum_column
from core.extensions import Model
from policies.policy_rules import Beneficiary, PolicyTerms


class RunStatus(enum.StrEnum):
    """A period's computation: computed (may be recomputed, lines adjusted) → approved."""

    COMPUTED = "computed"
    APPROVED = "approved"


class Policy(Model):
    """A subsidy or reward policy (扶持政策) defined by an administrator of the market."""

    __tablename__ = "support_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    beneficiary: Mapped[Beneficiary] = mapped_column(enum_column(Beneficiary))
    rate_bp: Mapped[int | None] = mapped_column()
    fixed_minor: Mapped[int | None] = mapped_column(BigInteger)
    cap_per_deal_minor: Mapped[int | None] = mapped_column(BigInteger)
    cap_per_org_year_minor: Mapped[int | None] = mapped_column(BigInteger)
    min_basis_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    contract_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    region: Mapped[str | None] = mapped_column(String(64))
    evidence: Mapped[str | None] = mapped_column(Text)  # what a beneficiary must hand in
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    def name(self, locale: str = "zh") -> str:
        """The policy's name in `locale`, Chinese when there is no English one."""
        return (self.name_en if locale.startswith("en") else None) or self.name_zh

    @property
    def terms(self) -> PolicyTerms:
        """The policy as its rules read it."""
        return PolicyTerms(
            beneficiary=self.beneficiary,
            rate_bp=self.rate_bp,
            fixed_minor=self.fixed_minor,
            cap_per_deal_minor=self.cap_per_deal_minor,
            cap_per_org_year_minor=self.cap_per_org_year_minor,
            contract_types=frozenset(self.contract_types or ()),
            fields=frozenset(self.fields or ()),
            region=self.region,
            min_basis_minor=self.min_basis_minor or 0,
        )


class PolicyRun(Model):
    """One period's computation of a policy: its lines, then the administrator's approval."""

    __tablename__ = "policy_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("support_policies.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)  # inclusive
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    computed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    policy: Mapped[Policy] = relationship()
    lines: Mapped[list[EligibilityLine]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="EligibilityLine.id"
    )

    __table_args__ = (
        UniqueConstraint("policy_id", "period_start", "period_end", name="uq_policy_runs_period"),
    )


class EligibilityLine(Model):
    """What one organisation is owed under a policy for a period."""

    __tablename__ = "eligibility_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("policy_runs.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    computed_minor: Mapped[int] = mapped_column(BigInteger)
    amount_minor: Mapped[int] = mapped_column(BigInteger)  # after an adjustment
    adjust_reason: Mapped[str | None] = mapped_column(String(2000))
    adjusted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    adjusted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    run: Mapped[PolicyRun] = relationship(back_populates="lines")
    deals: Mapped[list[LineDeal]] = relationship(
        back_populates="line", cascade="all, delete-orphan", order_by="LineDeal.deal_id"
    )


class LineDeal(Model):
    """A deal behind a line. Unique per policy: a deal is counted once by each policy."""

    __tablename__ = "eligibility_line_deals"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("eligibility_lines.id"), index=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("support_policies.id"))
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    year: Mapped[int] = mapped_column()
    basis_minor: Mapped[int] = mapped_column(BigInteger)
    award_minor: Mapped[int] = mapped_column(BigInteger)

    line: Mapped[EligibilityLine] = relationship(back_populates="deals")

    __table_args__ = (UniqueConstraint("policy_id", "deal_id", name="uq_line_deals_policy_deal"),)
