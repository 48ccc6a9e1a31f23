"""Inventors of listings, institutions' reward policies, deals' rewards and their lines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.models import User
from core.db_types import UTCDateTime
from core.extensions import Model
from deals.models import Deal
from licences.deal_models import RoyaltyReport


class ListingInventor(Model):
    """A person named as an inventor of a listing, with their contribution share.

    `user_id` when the inventor has an account on the market (their statement is theirs
    to read); many inventors have none.
    """

    __tablename__ = "listing_inventors"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    share_bp: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    user: Mapped[User | None] = relationship()


class RewardPolicy(Model):
    """An institution's reward rule: its share of net income and the costs it deducts."""

    __tablename__ = "reward_policies"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    share_bp: Mapped[int] = mapped_column(Integer)
    allowed_costs: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DealReward(Model):
    """A deal's net income and reward pool under the institution's policy.

    Once for a completed deal's price (`royalty_report_id` None, set by an administrator),
    and once for each royalty of a licence (the market sets it as the royalty is posted:
    `awarded_by_id` None).
    """

    __tablename__ = "deal_rewards"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), index=True)
    royalty_report_id: Mapped[int | None] = mapped_column(
        ForeignKey("royalty_reports.id"), unique=True
    )
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    price_minor: Mapped[int] = mapped_column(BigInteger)
    costs: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)  # category -> 分
    net_minor: Mapped[int] = mapped_column(BigInteger)
    share_bp: Mapped[int] = mapped_column(Integer)
    pool_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    awarded_at: Mapped[datetime] = mapped_column(UTCDateTime())

    deal: Mapped[Deal] = relationship()
    royalty_report: Mapped[RoyaltyReport | None] = relationship()
    lines: Mapped[list[RewardLine]] = relationship(
        back_populates="reward", cascade="all, delete-orphan", order_by="RewardLine.id"
    )


class RewardLine(Model):
    """One inventor's part of a deal's reward pool."""

    __tablename__ = "reward_lines"
    __table_args__ = (UniqueConstraint("reward_id", "inventor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reward_id: Mapped[int] = mapped_column(ForeignKey("deal_rewards.id", ondelete="CASCADE"))
    inventor_id: Mapped[int] = mapped_column(ForeignKey("listing_inventors.id"), index=True)
    share_bp: Mapped[int] = mapped_column(Integer)
    amount_minor: Mapped[int] = mapped_column(BigInteger)

    reward: Mapped[DealReward] = relationship(back_populates="lines")
    inventor: Mapped[ListingInventor] = relationship()
