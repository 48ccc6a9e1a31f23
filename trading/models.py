"""Trading: listed sales (挂牌) with their intents, negotiations (协议定价) and public notices (公示)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db_types import ClosingPeriodMixin, UTCDateTime, enum_column
from core.extensions import Model, db
from listings.models import ListingTradeMixin
from trading.rules import NegotiationPhase, NoticeStatus, ObjectionStatus


class ListedSaleStatus(enum.StrEnum):
    """open (listing period) → no_buyer / sold (one intent) / auctioned (several) / withdrawn."""

    OPEN = "open"
    NO_BUYER = "no_buyer"
    SOLD = "sold"
    AUCTIONED = "auctioned"
    WITHDRAWN = "withdrawn"


class ListedSale(ListingTradeMixin, ClosingPeriodMixin, Model):
    """A listed sale (挂牌) at an asking price for a listing period of working days."""

    __tablename__ = "listed_sales"

    seller_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    asking_price_minor: Mapped[int] = mapped_column(BigInteger)
    deposit_minor: Mapped[int] = mapped_column(BigInteger)
    working_days: Mapped[int] = mapped_column(Integer)
    status: Mapped[ListedSaleStatus] = mapped_column(enum_column(ListedSaleStatus), index=True)

    intents: Mapped[list[SaleIntent]] = relationship(
        back_populates="sale", order_by="SaleIntent.id"
    )


class SaleIntent(Model):
    """A verified enterprise's intent to buy (意向受让) in a listed sale."""

    __tablename__ = "sale_intents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sale_id: Mapped[int] = mapped_column(ForeignKey("listed_sales.id"), index=True)
    buyer_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    sale: Mapped[ListedSale] = relationship(back_populates="intents")

    __table_args__ = (
        db.UniqueConstraint("sale_id", "buyer_org_id", name="uq_sale_intents_sale_buyer"),
    )


# A negotiation's stored status is the phase the rules reason about (one vocabulary).
NegotiationStatus = NegotiationPhase


class Negotiation(ListingTradeMixin, Model):
    """A negotiated price (协议定价) between one buyer and the seller of a listing."""

    __tablename__ = "negotiations"

    seller_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    buyer_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[NegotiationStatus] = mapped_column(enum_column(NegotiationStatus), index=True)
    # The offer on the table: who made it and how much; the other side may accept it.
    open_offer_minor: Mapped[int | None] = mapped_column(BigInteger)
    open_offer_by_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    agreed_price_minor: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    messages: Mapped[list[NegotiationMessage]] = relationship(
        back_populates="negotiation", order_by="NegotiationMessage.id"
    )


class NegotiationMessage(Model):
    """One entry of a negotiation's thread: a message, an offer, a counter-offer, an acceptance."""

    __tablename__ = "negotiation_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(ForeignKey("negotiations.id"), index=True)
    author_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))  # message, offer, counter, accept, withdraw
    amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    negotiation: Mapped[Negotiation] = relationship(back_populates="messages")


class PublicityNotice(ClosingPeriodMixin, Model):
    """Public notice (公示) of a negotiated price, for at least the publicity period."""

    __tablename__ = "publicity_notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(ForeignKey("negotiations.id"), unique=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    result_name: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    inventors: Mapped[str] = mapped_column(String(1000))
    seller_name: Mapped[str] = mapped_column(String(200))
    buyer_name: Mapped[str] = mapped_column(String(200))
    price_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    price_formation: Mapped[str] = mapped_column(Text)  # how the price was formed
    status: Mapped[NoticeStatus] = mapped_column(enum_column(NoticeStatus), index=True)

    objections: Mapped[list[Objection]] = relationship(
        back_populates="notice", order_by="Objection.id"
    )


class Objection(Model):
    """An objection (异议) to a public notice, with reasons."""

    __tablename__ = "objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("publicity_notices.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reasons: Mapped[str] = mapped_column(Text)
    status: Mapped[ObjectionStatus] = mapped_column(enum_column(ObjectionStatus))
    lodged_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(String(2000))

    notice: Mapped[PublicityNotice] = relationship(back_populates="objections")

    __table_args__ = (
        # One objection per person per notice (a double objection is refused).
        db.UniqueConstraint("notice_id", "user_id", name="uq_objections_notice_user"),
    )
