"""A listing's rights holders (共有人, 赋权), the institution's 赋权 agreement, consents."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db_types import StoredFileMixin, UTCDateTime, enum_column
from core.extensions import Model
from listings.co_owner_rules import HolderBasis
from listings.legal_rules import Purpose


class RightsHolder(Model):
    """One holder of a listing's rights: an organisation on the market, or a person."""

    __tablename__ = "rights_holders"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # the order the owner listed them in
    name: Mapped[str] = mapped_column(String(200))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    share_bp: Mapped[int] = mapped_column(Integer)
    basis: Mapped[HolderBasis] = mapped_column(enum_column(HolderBasis))
    use_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RightsAgreement(StoredFileMixin, Model):
    """The institution's 赋权 agreement (shares, who decides, who pays maintenance)."""

    __tablename__ = "rights_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CoOwnerConsent(Model):
    """A co-owner's recorded consent to transfer or license the listing."""

    __tablename__ = "co_owner_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    holder_id: Mapped[int] = mapped_column(ForeignKey("rights_holders.id", ondelete="CASCADE"), index=True)  # fmt: skip
    purpose: Mapped[Purpose] = mapped_column(enum_column(Purpose))
    reference: Mapped[str] = mapped_column(String(300))  # the written consent
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
