"""The technology import/export contract record (技术进出口合同登记) of a cross-border deal."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from core.db_types import UTCDateTime, enum_column
from core.extensions import Model
from deals.trade_rules import CheckOutcome, TechCategory, TradeDirection


class TradeRecord(Model):
    """A cross-border deal's record: parties' countries, category, amounts, licence, check."""

    __tablename__ = "tech_trade_records"

    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), primary_key=True)
    direction: Mapped[TradeDirection] = mapped_column(enum_column(TradeDirection))
    # The parties' countries when the record was made (ISO 3166-1 alpha-2).
    seller_country: Mapped[str] = mapped_column(String(2))
    buyer_country: Mapped[str] = mapped_column(String(2))
    category: Mapped[TechCategory] = mapped_column(enum_column(TechCategory))
    catalogue_ref: Mapped[str | None] = mapped_column(String(64))
    amount_minor: Mapped[int] = mapped_column(BigInteger)  # in the deal's currency
    currency: Mapped[str] = mapped_column(String(3))
    usd_minor: Mapped[int] = mapped_column(BigInteger)  # the contract amount in US cents
    # The day of the reference rate usd_minor was converted at (None: a dollar deal, or by hand).
    usd_rate_on: Mapped[date | None] = mapped_column(Date)
    # Entered by hand because no reference rate covered the deal's day.
    usd_manual: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    payment_terms: Mapped[str] = mapped_column(String(500))
    licence_number: Mapped[str | None] = mapped_column(String(64))  # 技术进出口许可证
    check_outcome: Mapped[CheckOutcome | None] = mapped_column(enum_column(CheckOutcome))
    check_note: Mapped[str | None] = mapped_column(String(2000))
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    certificate_number: Mapped[str | None] = mapped_column(String(64))  # 登记证书编号
    certified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    certified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
