"""Technology-transfer support policies (技术转移扶持政策): who is owed what, as pure rules.

A policy rewards one kind of beneficiary for the deals of a period:

- `buyer`: the buying enterprise (企业吸纳技术), optionally only in a region;
- `seller`: the selling university or institute (高校院所转化成果);
- `broker`: the broker agency that brought the deal (技术转移服务机构).

On each deal it pays either a rate of the deal's basis (the registered technology
transaction amount, 技术交易额) in basis points, or a fixed amount, capped per deal and
per organisation per calendar year (the year of the deal's completion in market time).

**Rounding.** Every amount is integer minor units (分). A rate award is
`basis * rate_bp // 10_000`: rounded down, so a line never pays more than the rate
says; the caps then only lower it. No other rounding happens.

**Once per policy.** A deal already counted by an earlier period of the same policy
(`Prior.counted_deals`) is skipped, and within a period each deal is looked at once.
A broker policy counts a deal for one agency: the first commission's (the loader
chooses it), never once per broker.

**Caps across periods.** `Prior.used` holds what earlier periods of the policy
already awarded per (organisation, year); a period only fills what is left. Deals are
taken in (completion date, deal id) order, so the result does not depend on the order
they are given in.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from core.domain import N_, ValidationFailed

BASIS_POINTS = 10_000
MAX_RATE_BP = BASIS_POINTS  # 100 %
MAX_AMOUNT_MINOR = 10**14  # a bound on any amount an administrator types (1 trillion yuan)


class Beneficiary(enum.StrEnum):
    """Who a policy rewards."""

    BUYER = "buyer"
    SELLER = "seller"
    BROKER = "broker"


BUYER_KINDS = frozenset({"enterprise"})
SELLER_KINDS = frozenset({"university", "institute"})


@dataclass(frozen=True)
class PolicyTerms:
    """What a policy pays, to whom and on which deals. Empty sets mean "any"."""

    beneficiary: Beneficiary
    rate_bp: int | None = None
    fixed_minor: int | None = None
    cap_per_deal_minor: int | None = None
    cap_per_org_year_minor: int | None = None
    contract_types: frozenset[str] = frozenset()
    fields: frozenset[str] = frozenset()
    region: str | None = None  # the beneficiary's region starts with this text
    min_basis_minor: int = 0


@dataclass(frozen=True)
class DealFacts:
    """A completed deal as a policy sees it."""

    deal_id: int
    completed_on: date
    basis_minor: int
    contract_type: str
    field: str | None
    buyer_org_id: int | None
    buyer_kind: str | None
    buyer_region: str | None
    seller_org_id: int
    seller_kind: str
    seller_region: str
    broker_org_id: int | None = None
    broker_region: str | None = None


@dataclass(frozen=True)
class Prior:
    """What earlier periods of the same policy already counted and awarded."""

    counted_deals: frozenset[int] = frozenset()
    used: Mapping[tuple[int, int], int] = field(default_factory=dict)  # (org, year) -> minor


@dataclass(frozen=True)
class DealAward:
    """One deal behind a line: its basis and what it earns after the caps."""

    deal_id: int
    year: int
    basis_minor: int
    award_minor: int


@dataclass(frozen=True)
class Line:
    """What one organisation is owed under a policy for a period, with the deals behind it."""

    org_id: int
    amount_minor: int
    deals: tuple[DealAward, ...]


def check_terms(terms: PolicyTerms) -> None:
    """ValidationFailed unless the terms say exactly one way to pay, within bounds."""
    if (terms.rate_bp is None) == (terms.fixed_minor is None):
        raise ValidationFailed(
            N_("Give either a rate or a fixed amount, not both."), field="rate_bp"
        )
    if terms.rate_bp is not None and not 0 < terms.rate_bp <= MAX_RATE_BP:
        raise ValidationFailed(N_("The rate is between 1 and 10000 basis points."), field="rate_bp")
    for name in ("fixed_minor", "cap_per_deal_minor", "cap_per_org_year_minor"):
        value = getattr(terms, name)
        if value is not None and not 0 < value <= MAX_AMOUNT_MINOR:
            raise ValidationFailed(N_("Amounts are positive and bounded."), field=name)
    if not 0 <= terms.min_basis_minor <= MAX_AMOUNT_MINOR:
        raise ValidationFailed(N_("Amounts are positive and bounded."), field="min_basis_minor")


def beneficiary_of(terms: PolicyTerms, deal: DealFacts) -> tuple[int, str | None] | None:
    """The organisation (and its region) the policy would reward for `deal`, or None."""
    if terms.beneficiary is Beneficiary.BUYER:
        if deal.buyer_org_id is None or deal.buyer_kind not in BUYER_KINDS:
            return None
        return deal.buyer_org_id, deal.buyer_region
    if terms.beneficiary is Beneficiary.SELLER:
        if deal.seller_kind not in SELLER_KINDS:
            return None
        return deal.seller_org_id, deal.seller_region
    if deal.broker_org_id is None:
        return None
    return deal.broker_org_id, deal.broker_region


def qualifies(terms: PolicyTerms, deal: DealFacts) -> int | None:
    """The organisation rewarded for `deal` if the deal qualifies, else None."""
    if terms.contract_types and deal.contract_type not in terms.contract_types:
        return None
    if terms.fields and deal.field not in terms.fields:
        return None
    if deal.basis_minor <= 0 or deal.basis_minor < terms.min_basis_minor:
        return None
    who = beneficiary_of(terms, deal)
    if who is None:
        return None
    org_id, region = who
    if terms.region and not (region or "").startswith(terms.region):
        return None
    return org_id


def deal_award(terms: PolicyTerms, basis_minor: int) -> int:
    """What one deal earns before the per-organisation cap (rounded down, capped per deal)."""
    if terms.fixed_minor is not None:
        award = terms.fixed_minor
    else:
        award = basis_minor * (terms.rate_bp or 0) // BASIS_POINTS
    if terms.cap_per_deal_minor is not None:
        award = min(award, terms.cap_per_deal_minor)
    return max(award, 0)


def eligibility(
    terms: PolicyTerms, deals: Iterable[DealFacts], prior: Prior = Prior()
) -> list[Line]:
    """The lines of one period: per organisation, the qualifying deals and the capped total.

    `deals` are the period's completed deals; those in `prior.counted_deals` are skipped.
    A deal whose organisation has used its year's cap is still listed, at zero, so the
    administrator sees why it earns nothing.
    """
    used: dict[tuple[int, int], int] = dict(prior.used)
    seen: set[int] = set(prior.counted_deals)
    by_org: dict[int, list[DealAward]] = {}
    for deal in sorted(deals, key=lambda d: (d.completed_on, d.deal_id)):
        if deal.deal_id in seen:
            continue
        org_id = qualifies(terms, deal)
        if org_id is None:
            continue
        seen.add(deal.deal_id)
        year = deal.completed_on.year
        award = deal_award(terms, deal.basis_minor)
        if terms.cap_per_org_year_minor is not None:
            room = terms.cap_per_org_year_minor - used.get((org_id, year), 0)
            award = max(min(award, room), 0)
        used[(org_id, year)] = used.get((org_id, year), 0) + award
        by_org.setdefault(org_id, []).append(DealAward(deal.deal_id, year, deal.basis_minor, award))
    return [
        Line(org_id, sum(a.award_minor for a in awards), tuple(awards))
        for org_id, awards in sorted(by_org.items())
    ]


def check_adjustment(computed_minor: int, amount_minor: int, reason: str) -> str:
    """The reason, stripped; refuses an amount outside 0..computed or a missing reason.

    An adjustment only lowers a line (missing evidence, a deal disputed): raising it could
    break the caps the computation kept.
    """
    if not 0 <= amount_minor <= computed_minor:
        raise ValidationFailed(
            N_("An adjusted amount is between zero and the computed amount."),
            field="amount",
        )
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(N_("Say why the amount is adjusted."), field="reason")
    return reason
