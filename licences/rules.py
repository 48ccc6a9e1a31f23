"""Pure rules of open licences (专利开放许可, 专利法 Art. 50–52).

No database, no Flask, no clock: amounts are integer 分, rates basis points, `now` and
the patent's number come in as arguments.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from core.domain import N_, DomainError, PermissionDenied, ValidationFailed

MAX_FEE_MINOR = 100_000_000_000  # 10 亿元: above any licence fee the market sees
MAX_ROYALTY_BP = 5_000  # 50 % of net sales: beyond that it is no longer a royalty
MAX_NET_SALES_MINOR = 10**15
# 《专利法》 Art. 42: inventions 20 years, utility models 10, designs 15.
MAX_TERM_YEARS: dict[str, int] = {"invention": 20, "utility_model": 10, "design": 15}
# During the open-licence period the patentee's annual fees are reduced by 15 %
# (财政部、国家发展改革委 2021 年专利收费减缴政策).
ANNUAL_FEE_REDUCTION_PERCENT = 15


class FeeKind(enum.StrEnum):
    """How the licence fee (许可使用费) is paid."""

    LUMP_SUM = "lump_sum"  # 一次性总付
    ROYALTY = "royalty"  # 提成支付 (on net sales)
    ENTRY_PLUS_ROYALTY = "entry_plus_royalty"  # 入门费加提成


class PaymentMethod(enum.StrEnum):
    """How the licensee pays."""

    BANK_TRANSFER = "bank_transfer"
    CARD = "card"


class DeclarationStatus(enum.StrEnum):
    """submitted → published → withdrawn, or refused by the reviewer."""

    SUBMITTED = "submitted"
    PUBLISHED = "published"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class LicenceStatus(enum.StrEnum):
    """A licensee's notice: awaiting payment, then granted."""

    AWAITING_PAYMENT = "awaiting_payment"
    GRANTED = "granted"


class LicenceKind(enum.StrEnum):
    """The three kinds of patent licence."""

    EXCLUSIVE = "exclusive"  # 独占
    SOLE = "sole"  # 排他
    ORDINARY = "ordinary"  # 普通


class OpenLicenceError(DomainError):
    code = "open_licence_refused"


@dataclass(frozen=True)
class FeeTerms:
    """The published fee: a lump sum, a royalty on net sales, or an entry fee plus a royalty."""

    kind: FeeKind
    lump_sum_minor: int | None = None
    entry_fee_minor: int | None = None
    royalty_bp: int | None = None


_TYPES_BY_DIGIT = {"1": "invention", "8": "invention", "2": "utility_model", "9": "utility_model", "3": "design"}  # fmt: skip


def patent_type(application_number: str) -> str:
    """invention, utility_model or design, from a CN application number's type digit.

    The digit is the fifth of a 12-digit number (201920123456.1) and the third of the
    8-digit format used before 2003 (98212345.6).
    """
    body = application_number.split(".")[0]
    digit = (
        ""
        if not (body.isascii() and body.isdigit())
        else body[4]
        if len(body) == 12
        else body[2]
        if len(body) == 8
        else ""
    )
    if digit not in _TYPES_BY_DIGIT:
        raise ValidationFailed(
            N_("An open licence needs a Chinese patent application number."), field="patent"
        )
    return _TYPES_BY_DIGIT[digit]


def needs_evaluation_report(kind: str) -> bool:
    """Utility models and designs need the patent evaluation report (专利权评价报告)."""
    return kind in ("utility_model", "design")


def _amount(value: int | None, field: str) -> int:
    if value is None or not 0 < value <= MAX_FEE_MINOR:
        raise ValidationFailed(N_("Give an amount above zero and at most 1,000,000,000 yuan."), field=field)  # fmt: skip
    return value


def check_fee_terms(terms: FeeTerms) -> FeeTerms:
    """The terms with only the amounts their kind uses, or ValidationFailed on the first gap."""
    if terms.kind == FeeKind.LUMP_SUM:
        return FeeTerms(terms.kind, lump_sum_minor=_amount(terms.lump_sum_minor, "lump_sum"))
    if terms.royalty_bp is None or not 0 < terms.royalty_bp <= MAX_ROYALTY_BP:
        raise ValidationFailed(N_("Give a royalty rate above 0 % and at most 50 %."), field="royalty")  # fmt: skip
    if terms.kind == FeeKind.ROYALTY:
        return FeeTerms(terms.kind, royalty_bp=terms.royalty_bp)
    entry = _amount(terms.entry_fee_minor, "entry_fee")
    return FeeTerms(terms.kind, entry_fee_minor=entry, royalty_bp=terms.royalty_bp)


def check_term_years(years: int, kind: str) -> int:
    """A term of 1 year up to the longest protection the patent's type has."""
    longest = MAX_TERM_YEARS[kind]
    if not 1 <= years <= longest:
        raise ValidationFailed(
            N_("The term is from 1 to %(years)s years for this kind of patent."),
            field="term_years",
            years=longest,
        )
    return years


def due_on_notice(terms: FeeTerms) -> int:
    """What the licensee pays with the notice: the lump sum, the entry fee, or nothing."""
    if terms.kind == FeeKind.LUMP_SUM:
        return terms.lump_sum_minor or 0
    if terms.kind == FeeKind.ENTRY_PLUS_ROYALTY:
        return terms.entry_fee_minor or 0
    return 0


def royalty_due(terms: FeeTerms, net_sales_minor: int) -> int:
    """The royalty on a period's net sales: rate × base, rounded half up to the fen.

    Half up (not down) because the rate is the published term: a licensee who pays
    less than rate × base by a rounding would underpay; the difference is under one 分.
    """
    if not 0 <= net_sales_minor <= MAX_NET_SALES_MINOR:
        raise ValidationFailed(N_("Give the net sales as an amount of zero or more."), field="net_sales")  # fmt: skip
    if terms.royalty_bp is None:
        return 0
    return (net_sales_minor * terms.royalty_bp + 5_000) // 10_000


def licence_end(start: date, years: int) -> date:
    """The last day of a term of `years` from `start` (29 February falls back to the 28th)."""
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:
        anniversary = start.replace(year=start.year + years, day=28)
    return date.fromordinal(anniversary.toordinal() - 1)


def licence_number(licence_id: int, year: int) -> str:
    """The licence's own number, e.g. OL-2026-000042."""
    return f"OL-{year}-{licence_id:06d}"


def check_may_declare(status: str | None) -> None:
    """A patent has at most one open-licence declaration submitted or standing."""
    if status in (DeclarationStatus.SUBMITTED, DeclarationStatus.PUBLISHED):
        raise OpenLicenceError(
            N_("This patent already has an open-licence declaration."), code="already_declared"
        )


def check_may_decide(status: DeclarationStatus) -> None:
    """Only a submitted declaration is approved or refused."""
    if status != DeclarationStatus.SUBMITTED:
        raise OpenLicenceError(N_("This declaration is not waiting for review."), code="not_submitted")  # fmt: skip


def check_may_withdraw(status: DeclarationStatus) -> None:
    """Only a published declaration is withdrawn (a submitted one is simply not published)."""
    if status != DeclarationStatus.PUBLISHED:
        raise OpenLicenceError(N_("Only a published open licence can be withdrawn."), code="not_published")  # fmt: skip


def check_may_take(status: DeclarationStatus, licensee_org_id: int, patentee_org_id: int) -> None:
    """A licence is obtained by notice on a published declaration, by another organisation."""
    if status != DeclarationStatus.PUBLISHED:
        raise OpenLicenceError(N_("This open licence is not available."), code="not_available")
    if licensee_org_id == patentee_org_id:
        raise PermissionDenied(N_("The patentee cannot take its own open licence."), code="own_patent")  # fmt: skip


def check_licence_kind(kind: LicenceKind, open_licence_standing: bool) -> None:
    """While an open licence stands, no exclusive or sole licence (专利法 Art. 51)."""
    if open_licence_standing and kind in (LicenceKind.EXCLUSIVE, LicenceKind.SOLE):
        raise OpenLicenceError(
            N_(
                "This patent is under an open licence: while it stands, only ordinary "
                "licences may be granted, not an exclusive or sole one."
            ),
            code="open_licence_standing",
        )
