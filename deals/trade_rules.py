"""Technology import and export (技术进出口): which deals are, and what their record needs.

A deal whose parties are in different countries is a technology export (the seller is in
China) or import (the buyer is); Hong Kong, Macao and Taiwan count as abroad (境外), as
in the registration of technology import and export contracts (技术进出口合同登记). The
technology's category follows the catalogues (《中国禁止出口限制出口技术目录》,
《中国禁止进口限制进口技术目录》): free technologies are registered, restricted ones need a
licence (技术进出口许可证) before the contract is signed, prohibited ones are not traded.

Pure: no database, no Flask.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

from core.currencies import NoRate, RateTable
from core.domain import N_, DomainError, ValidationFailed

HOME = "CN"
MAX_TERMS = 500
_COUNTRY = re.compile(r"[A-Z]{2}")
_REFERENCE = re.compile(r"[0-9A-Za-z\-/．. ]{1,64}")


class TradeDirection(enum.StrEnum):
    """Which way the technology crosses the border."""

    EXPORT = "export"
    IMPORT = "import"


class TechCategory(enum.StrEnum):
    """The technology's category in the catalogues."""

    FREE = "free"  # 自由进出口
    RESTRICTED = "restricted"  # 限制进出口: a licence before signing
    PROHIBITED = "prohibited"  # 禁止进出口


class CheckOutcome(enum.StrEnum):
    """What a reviewer's check found."""

    CLEARED = "cleared"
    LICENCE_REQUIRED = "licence_required"
    PROHIBITED = "prohibited"


class TradeRuleBroken(DomainError):
    """A rule of technology import and export refuses the action."""


def country_of(country: str | None) -> str:
    """An organisation's country; none recorded means the market's own (China)."""
    return (country or HOME).upper()


def direction(seller_country: str | None, buyer_country: str | None) -> TradeDirection | None:
    """Export, import, or None (both parties in China, or neither)."""
    seller, buyer = country_of(seller_country), country_of(buyer_country)
    if seller == buyer or HOME not in (seller, buyer):
        return None
    return TradeDirection.EXPORT if seller == HOME else TradeDirection.IMPORT


@dataclass(frozen=True)
class TradeDetails:
    """What the seller (or a reviewer) gives for the record."""

    category: TechCategory
    catalogue_ref: str
    usd_minor: int | None  # by hand: only used when no reference rate covers the deal's day
    payment_terms: str
    licence_number: str = ""


@dataclass(frozen=True)
class UsdFigure:
    """The contract amount in US cents, and how it was found."""

    minor: int
    rate_on: date | None  # the day of the reference rate used (None: not converted)
    manual: bool = False  # entered by hand, because no rate covered the deal's day


def usd_figure(
    amount_minor: int, currency: str, table: RateTable, on: date, manual: int | None
) -> UsdFigure:
    """The amount in US dollars at the reference rate of the deal's day `on`.

    The hand-entered `manual` figure stands only when no rate covers that day; without
    one either, the record cannot be completed (ValidationFailed on `usd_amount`).
    """
    try:
        conversion = table.convert(amount_minor, currency, "USD", on)
    except NoRate:
        if manual is None:
            raise ValidationFailed(
                N_(
                    "There is no reference rate for the deal's day (%(day)s): "
                    "give the amount in US dollars."
                ),
                field="usd_amount",
                day=on.isoformat(),
            ) from None
        return UsdFigure(manual, None, manual=True)
    return UsdFigure(conversion.amount_minor, conversion.as_of)


def check_details(details: TradeDetails) -> None:
    """ValidationFailed unless the record's fields are complete and well formed."""
    if details.category != TechCategory.FREE and not _REFERENCE.fullmatch(details.catalogue_ref):
        raise ValidationFailed(
            N_("Give the catalogue reference of a restricted or prohibited technology."),
            field="catalogue_ref",
        )
    if details.usd_minor is not None and details.usd_minor < 0:
        raise ValidationFailed(N_("Give the amount in US dollars."), field="usd_amount")
    if not details.payment_terms.strip() or len(details.payment_terms) > MAX_TERMS:
        raise ValidationFailed(N_("Give the payment terms."), field="payment_terms")
    if details.licence_number and not _REFERENCE.fullmatch(details.licence_number):
        raise ValidationFailed(N_("Give the licence number as issued."), field="licence_number")


def check_outcome(category: TechCategory, licence_number: str | None) -> CheckOutcome:
    """What a reviewer's check records for the category and the licence held."""
    if category == TechCategory.PROHIBITED:
        return CheckOutcome.PROHIBITED
    if category == TechCategory.RESTRICTED and not licence_number:
        return CheckOutcome.LICENCE_REQUIRED
    return CheckOutcome.CLEARED


def check_may_sign(category: TechCategory | None, licence_number: str | None) -> None:
    """TradeRuleBroken unless a cross-border contract may be signed.

    No record yet (`category` None) does not hold the signing up: like the technology
    contract registration, the record may follow the contract; what it says binds.
    """
    if category == TechCategory.PROHIBITED:
        raise TradeRuleBroken(
            N_("A prohibited technology cannot be exported or imported."), code="prohibited"
        )
    if category == TechCategory.RESTRICTED and not licence_number:
        raise TradeRuleBroken(
            N_("A restricted technology needs its licence before the contract is signed."),
            code="licence_required",
        )


def is_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code's shape."""
    return bool(_COUNTRY.fullmatch(code))
