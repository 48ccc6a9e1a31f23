"""Pure rules of licences as deals: offers, scopes, conflicts, royalty terms and periods.

No database, no Flask, no clock. Amounts are integer 分, rates basis points, dates are
market days. A scope is a set of technology fields and a set of provinces (empty: all of
them) over a term of whole years; royalties are reported per period of 1, 3, 6 or 12
months, so every licence year holds whole periods.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.domain import N_, DomainError, ValidationFailed
from licences.rules import MAX_FEE_MINOR, MAX_ROYALTY_BP, LicenceKind, licence_end

PERIOD_MONTHS = (1, 3, 6, 12)
REPORT_DAYS = 30  # a period's report is due 30 days after the period ends
REMIND_DAYS = 7  # the licensee is reminded 7 days before that
MAX_TERM_YEARS = 20  # 专利法 Art. 42: no patent lives longer
MAX_SCOPE_ITEMS = 40


class OfferKind(enum.StrEnum):
    """What a listing offers: the transfer of the rights or one of the three licences."""

    TRANSFER = "transfer"  # 转让
    EXCLUSIVE = "exclusive"  # 独占许可
    SOLE = "sole"  # 排他许可
    ORDINARY = "ordinary"  # 普通许可


class RoyaltyBase(enum.StrEnum):
    """What the rate applies to."""

    NET_SALES = "net_sales"


class LicenceConflict(DomainError):
    code = "licence_conflict"


@dataclass(frozen=True)
class Scope:
    """Where, in what, and when a licence runs; empty fields or territory mean all of them."""

    kind: LicenceKind
    fields: frozenset[str]
    territory: frozenset[str]
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class RoyaltyTerms:
    """A rate on a base, at least a minimum per licence year, reported every `period_months`."""

    rate_bp: int
    minimum_annual_minor: int
    period_months: int
    base: RoyaltyBase = RoyaltyBase.NET_SALES


@dataclass(frozen=True)
class Period:
    """One reporting period: its number (from 0), its days, when its report is due."""

    index: int
    starts_on: date
    ends_on: date
    due_on: date


@dataclass(frozen=True)
class RoyaltyDue:
    """A period's royalty: rate × base, plus the top-up to the year's minimum if it is due."""

    rate_part_minor: int
    top_up_minor: int

    @property
    def total_minor(self) -> int:
        return self.rate_part_minor + self.top_up_minor


def check_scope_items(values: Iterable[str], allowed: Iterable[str], field: str) -> frozenset[str]:
    """The values as a set, each one of `allowed`, at most MAX_SCOPE_ITEMS."""
    found, known = frozenset(values), frozenset(allowed)
    if len(found) > MAX_SCOPE_ITEMS or not found <= known:
        raise ValidationFailed(N_("Choose from the list."), field=field)
    return found


def check_term_years(years: int) -> int:
    """A licence of 1 to 20 years."""
    if not 1 <= years <= MAX_TERM_YEARS:
        raise ValidationFailed(N_("The term is from 1 to 20 years."), field="term_years")
    return years


def scope_for(kind: LicenceKind, fields: frozenset[str], territory: frozenset[str], starts_on: date, years: int) -> Scope:  # fmt: skip
    """The scope of a licence of `years` from `starts_on`."""
    return Scope(kind, fields, territory, starts_on, licence_end(starts_on, check_term_years(years)))  # fmt: skip


def _meet(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a or not b or bool(a & b)


def overlaps(a: Scope, b: Scope) -> bool:
    """Whether two scopes share a field, a province and a day."""
    in_time = a.starts_on <= b.ends_on and b.starts_on <= a.ends_on
    return in_time and _meet(a.fields, b.fields) and _meet(a.territory, b.territory)


def conflicts(new: Scope, existing: Scope) -> bool:
    """Two licences conflict when their scopes overlap and either is exclusive or sole.

    An exclusive (独占) or sole (排他) licence promises that no one else is licensed in
    its scope, so nothing may overlap it; ordinary (普通) licences overlap each other freely.
    """
    both_ordinary = new.kind == existing.kind == LicenceKind.ORDINARY
    return not both_ordinary and overlaps(new, existing)


def check_no_conflict(new: Scope, existing: Iterable[Scope]) -> None:
    """LicenceConflict if the new licence overlaps an exclusive or sole one, or is one that
    overlaps any licence in force."""
    for other in existing:
        if conflicts(new, other):
            raise LicenceConflict(
                N_(
                    "This licence overlaps a licence in force from %(start)s to %(end)s in its "
                    "fields, territory and term: an exclusive or sole licence admits no other "
                    "in its scope."
                ),
                start=other.starts_on.isoformat(),
                end=other.ends_on.isoformat(),
            )


def check_royalty_terms(terms: RoyaltyTerms) -> RoyaltyTerms:
    """A rate of 0–50 %, a minimum of 0–10 亿元, a period of 1, 3, 6 or 12 months."""
    if not 0 <= terms.rate_bp <= MAX_ROYALTY_BP:
        raise ValidationFailed(N_("Give a royalty rate from 0 % to 50 %."), field="rate_bp")
    if not 0 <= terms.minimum_annual_minor <= MAX_FEE_MINOR:
        raise ValidationFailed(N_("Give a minimum of zero or more, at most 1,000,000,000 yuan."), field="minimum_annual_minor")  # fmt: skip
    if terms.period_months not in PERIOD_MONTHS:
        raise ValidationFailed(N_("Report every 1, 3, 6 or 12 months."), field="period_months")
    return terms


def _add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def periods(starts_on: date, ends_on: date, period_months: int) -> list[Period]:
    """The reporting periods of a licence, each ending the day before the next begins."""
    found: list[Period] = []
    index = 0
    while True:
        start = _add_months(starts_on, index * period_months)
        if start > ends_on:
            return found
        end = min(_add_months(starts_on, (index + 1) * period_months) - timedelta(days=1), ends_on)  # fmt: skip
        found.append(Period(index, start, end, end + timedelta(days=REPORT_DAYS)))
        index += 1


def periods_per_year(period_months: int) -> int:
    return 12 // period_months


def rate_part(net_sales_minor: int, rate_bp: int) -> int:
    """rate × net sales, rounded half up to the fen (as the open licences' royalties)."""
    return (net_sales_minor * rate_bp + 5_000) // 10_000


def royalty_for(
    terms: RoyaltyTerms, index: int, net_sales_minor: int, earlier_in_year: Sequence[int]
) -> RoyaltyDue:
    """The royalty of period `index`: rate × base; the period that closes a licence year
    also tops the year up to the minimum (`earlier_in_year`: the year's earlier royalties)."""
    part = rate_part(net_sales_minor, terms.rate_bp)
    closes_year = (index + 1) % periods_per_year(terms.period_months) == 0
    if not closes_year:
        return RoyaltyDue(part, 0)
    paid = sum(earlier_in_year) + part
    return RoyaltyDue(part, max(0, terms.minimum_annual_minor - paid))


def year_of(index: int, period_months: int) -> int:
    """The licence year (from 0) a period belongs to."""
    return index // periods_per_year(period_months)


def check_period_open(period: Period | None, today: date) -> Period:
    """A period is reported once it has ended (not before), and only a period of the licence."""
    if period is None:
        raise ValidationFailed(N_("This licence has no such reporting period."), field="period")
    if today <= period.ends_on:
        raise ValidationFailed(N_("A period is reported after it ends."), field="period")
    return period


def is_late(period: Period, reported_on: date | None, today: date) -> bool:
    """Late: reported after its due day, or not reported and the due day has passed."""
    return (reported_on or today) > period.due_on
