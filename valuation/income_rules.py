"""The income approach (relief from royalty): discounting, ranges, sensitivity, royalty benchmarks.

Conventions (minor units, basis points, exact arithmetic, half-up rounding per term) are
those of `valuation.rules`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from core.domain import N_, ValidationFailed
from valuation.rules import (
    BPS,
    DISCOUNT_STEP_BPS,
    MAX_DISCOUNT_BPS,
    MAX_LIFE_YEARS,
    ROYALTY_STEP_BPS,
    SENSITIVITY_STEPS,
    ValueRange,
    round_half_up,
)

# --- income approach (relief from royalty) -----------------------------------------------


@dataclass(frozen=True)
class DiscountRate:
    """r = risk-free rate + premiums for technology, market, funding and management risk."""

    risk_free_bps: int
    technology_bps: int = 0
    market_bps: int = 0
    funding_bps: int = 0
    management_bps: int = 0

    @property
    def total_bps(self) -> int:
        return (
            self.risk_free_bps
            + self.technology_bps
            + self.market_bps
            + self.funding_bps
            + self.management_bps
        )


@dataclass(frozen=True)
class IncomeInputs:
    """Relief from royalty: the revenue forecast, royalty, tax, discount rate and lives.

    Past the last forecast year the revenue stays at its last value (flat), until the
    shorter of the remaining legal life and the economic life ends.
    """

    revenues_minor: tuple[int, ...]
    royalty_bps: int
    tax_bps: int
    discount_bps: int
    legal_life_years: int
    economic_life_years: int

    @property
    def life_years(self) -> int:
        """The years valued: the shorter of the remaining legal and the economic life."""
        return min(self.legal_life_years, self.economic_life_years)


@dataclass(frozen=True)
class IncomeYear:
    """One year of the relief-from-royalty table (each figure rounded on its own)."""

    year: int
    revenue_minor: int
    royalty_minor: int  # revenue × royalty
    after_tax_minor: int  # royalty × (1 − tax)
    discount_factor: Fraction  # 1 / (1 + r)^t, exact
    present_value_minor: int  # rounded from the exact present value


@dataclass(frozen=True)
class IncomeResult:
    """The income value, its year table and why the life is what it is."""

    years: tuple[IncomeYear, ...]
    value_minor: int
    life_years: int
    limited_by: str  # "legal" or "economic" (the shorter life; "legal" on a tie)
    extended_years: int  # years valued past the forecast at the last year's revenue


def check_income_inputs(inputs: IncomeInputs) -> None:
    """Raise ValidationFailed on the first input that cannot be valued."""
    if not inputs.revenues_minor:
        raise ValidationFailed(N_("Give the revenue of at least one year."), field="revenues")
    if len(inputs.revenues_minor) > MAX_LIFE_YEARS:
        raise ValidationFailed(
            N_("Give at most %(years)s years of revenue."), field="revenues", years=MAX_LIFE_YEARS
        )
    if any(revenue < 0 for revenue in inputs.revenues_minor):
        raise ValidationFailed(N_("Revenue cannot be negative."), field="revenues")
    if not 0 <= inputs.royalty_bps <= BPS:
        raise ValidationFailed(N_("The royalty rate must be between 0 and 100%."), field="royalty")
    if not 0 <= inputs.tax_bps <= BPS:
        raise ValidationFailed(N_("The tax rate must be between 0 and 100%."), field="tax")
    if not 0 <= inputs.discount_bps <= MAX_DISCOUNT_BPS:
        raise ValidationFailed(
            N_("The discount rate must be between 0 and 100%."), field="discount"
        )
    for name, years in (
        ("legal_life_years", inputs.legal_life_years),
        ("economic_life_years", inputs.economic_life_years),
    ):
        if not 1 <= years <= MAX_LIFE_YEARS:
            raise ValidationFailed(
                N_("Give a life between 1 and %(years)s years."), field=name, years=MAX_LIFE_YEARS
            )


def revenue_in_year(revenues_minor: Sequence[int], year: int) -> int:
    """The forecast revenue of `year` (1-based); flat at the last value past the forecast."""
    return revenues_minor[min(year, len(revenues_minor)) - 1]


def present_value_exact(
    revenue_minor: int, royalty_bps: int, tax_bps: int, discount_bps: int, year: int
) -> Fraction:
    """Revenue × royalty × (1 − tax) / (1 + r)^year, exactly."""
    after_tax = Fraction(revenue_minor * royalty_bps * (BPS - tax_bps), BPS * BPS)
    return after_tax / Fraction(BPS + discount_bps, BPS) ** year


def income_value(inputs: IncomeInputs) -> IncomeResult:
    """V = Σ_t Revenue_t × royalty × (1 − tax) / (1 + r)^t over the shorter life."""
    check_income_inputs(inputs)
    life = inputs.life_years
    rows = []
    for year in range(1, life + 1):
        revenue = revenue_in_year(inputs.revenues_minor, year)
        royalty = Fraction(revenue * inputs.royalty_bps, BPS)
        after_tax = royalty * Fraction(BPS - inputs.tax_bps, BPS)
        factor = 1 / Fraction(BPS + inputs.discount_bps, BPS) ** year
        rows.append(
            IncomeYear(
                year=year,
                revenue_minor=revenue,
                royalty_minor=round_half_up(royalty),
                after_tax_minor=round_half_up(after_tax),
                discount_factor=factor,
                present_value_minor=round_half_up(after_tax * factor),
            )
        )
    return IncomeResult(
        years=tuple(rows),
        value_minor=sum(row.present_value_minor for row in rows),
        life_years=life,
        limited_by="legal" if inputs.legal_life_years <= inputs.economic_life_years else "economic",
        extended_years=max(0, life - len(inputs.revenues_minor)),
    )


def income_range(
    inputs: IncomeInputs,
    *,
    royalty_step_bps: int = ROYALTY_STEP_BPS,
    discount_step_bps: int = DISCOUNT_STEP_BPS,
) -> ValueRange:
    """Low: royalty one step lower and r one step higher; high: the reverse."""
    low = replace(
        inputs,
        royalty_bps=max(0, inputs.royalty_bps - royalty_step_bps),
        discount_bps=min(MAX_DISCOUNT_BPS, inputs.discount_bps + discount_step_bps),
    )
    high = replace(
        inputs,
        royalty_bps=min(BPS, inputs.royalty_bps + royalty_step_bps),
        discount_bps=max(0, inputs.discount_bps - discount_step_bps),
    )
    return ValueRange(
        income_value(low).value_minor,
        income_value(inputs).value_minor,
        income_value(high).value_minor,
    )


@dataclass(frozen=True)
class SensitivityGrid:
    """Income value for royalty rates (rows) × discount rates (columns)."""

    royalty_bps: tuple[int, ...]
    discount_bps: tuple[int, ...]
    values_minor: tuple[tuple[int, ...], ...]
    central: tuple[int, int]  # (row, column) of the central inputs

    def cells(self) -> Iterable[tuple[int, int, int]]:
        """(royalty_bps, discount_bps, value) for every cell, row by row."""
        for royalty, row in zip(self.royalty_bps, self.values_minor, strict=True):
            for discount, value in zip(self.discount_bps, row, strict=True):
                yield royalty, discount, value


def _axis(central: int, step: int, steps: int, maximum: int) -> tuple[int, ...]:
    """central ± k steps, clamped to 0..maximum like the range's low and high (no repeats)."""
    return tuple(
        sorted({min(maximum, max(0, central + k * step)) for k in range(-steps, steps + 1)})
    )


def sensitivity(
    inputs: IncomeInputs,
    *,
    royalty_step_bps: int = ROYALTY_STEP_BPS,
    discount_step_bps: int = DISCOUNT_STEP_BPS,
    steps: int = SENSITIVITY_STEPS,
) -> SensitivityGrid:
    """The income value around the central inputs, ± `steps` steps of royalty and of r."""
    royalties = _axis(inputs.royalty_bps, royalty_step_bps, steps, BPS)
    discounts = _axis(inputs.discount_bps, discount_step_bps, steps, MAX_DISCOUNT_BPS)
    values = tuple(
        tuple(
            income_value(replace(inputs, royalty_bps=royalty, discount_bps=discount)).value_minor
            for discount in discounts
        )
        for royalty in royalties
    )
    return SensitivityGrid(
        royalty_bps=royalties,
        discount_bps=discounts,
        values_minor=values,
        central=(royalties.index(inputs.royalty_bps), discounts.index(inputs.discount_bps)),
    )


# --- royalty benchmarks and the 25% rule -------------------------------------------------


class IndustryClass(enum.StrEnum):
    """Classes of the royalty benchmarks (DOMAIN.md, Valuation)."""

    BASIC_INDUSTRY = "basic_industry"
    INTERMEDIATE_GOODS = "intermediate_goods"
    CONSUMER_GOODS = "consumer_goods"
    HIGH_TECH = "high_tech"


# Reference royalty rates on revenue, in bps (low, high): a default, not a rule.
ROYALTY_BENCHMARKS: dict[IndustryClass, tuple[int, int]] = {
    IndustryClass.BASIC_INDUSTRY: (200, 300),
    IndustryClass.INTERMEDIATE_GOODS: (300, 400),
    IndustryClass.CONSUMER_GOODS: (400, 500),
    IndustryClass.HIGH_TECH: (500, 600),
}

# The benchmark class a listing's field suggests (the seller may choose another).
FIELD_CLASSES: dict[str, IndustryClass] = {
    "ict": IndustryClass.HIGH_TECH,
    "biomed": IndustryClass.HIGH_TECH,
    "electronics": IndustryClass.HIGH_TECH,
    "aerospace": IndustryClass.HIGH_TECH,
    "materials": IndustryClass.INTERMEDIATE_GOODS,
    "chemicals": IndustryClass.INTERMEDIATE_GOODS,
    "energy": IndustryClass.INTERMEDIATE_GOODS,
    "vehicles": IndustryClass.INTERMEDIATE_GOODS,
    "equipment": IndustryClass.BASIC_INDUSTRY,
    "environment": IndustryClass.BASIC_INDUSTRY,
    "agriculture": IndustryClass.BASIC_INDUSTRY,
    "food": IndustryClass.CONSUMER_GOODS,
}


def industry_class_for(field_code: str) -> IndustryClass:
    """The benchmark class of a technology field (intermediate goods when unknown)."""
    return FIELD_CLASSES.get(field_code, IndustryClass.INTERMEDIATE_GOODS)


def default_royalty_bps(industry: IndustryClass) -> int:
    """The middle of the class's benchmark range."""
    low, high = ROYALTY_BENCHMARKS[industry]
    return (low + high) // 2


def benchmark_position(royalty_bps: int, industry: IndustryClass) -> str:
    """'below', 'within' or 'above' the benchmark range of `industry`."""
    low, high = ROYALTY_BENCHMARKS[industry]
    if royalty_bps < low:
        return "below"
    return "above" if royalty_bps > high else "within"


@dataclass(frozen=True)
class RuleOfThumb:
    """The 25% rule: a licensor gets about a quarter of the licensee's operating profit."""

    operating_margin_bps: int
    implied_royalty_bps: int
    royalty_bps: int
    verdict: str  # "consistent", "high" or "low"


def twenty_five_percent_rule(royalty_bps: int, operating_margin_bps: int) -> RuleOfThumb:
    """A sanity check only: within a fifth (at least 0.25 point) of 25% × margin is consistent."""
    implied = round_half_up(Fraction(operating_margin_bps, 4))
    tolerance = max(25, implied // 5)
    if royalty_bps > implied + tolerance:
        verdict = "high"
    elif royalty_bps < implied - tolerance:
        verdict = "low"
    else:
        verdict = "consistent"
    return RuleOfThumb(operating_margin_bps, implied, royalty_bps, verdict)
