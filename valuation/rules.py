"""Pure valuation rules (评估): the income, market and cost approaches, ranges, sensitivity.

Conventions, so every figure can be checked by hand:

* Money is integer minor units (分). Rates are integer basis points (bps): 3% = 300,
  15% = 1500. Arithmetic is exact (`fractions.Fraction`); nothing goes through float.
* Rounding is half-up to the fen, once per *term*: each year's present value in the
  income approach, each comparable's adjusted price, the cost value, each weighted
  reconciled figure. A total is the sum of its rounded terms, so it is never more than
  half a fen per term away from the exact figure.
* Discounting is end-year: the revenue of year t is discounted by (1 + r)^t, t = 1, 2, ...

The worked example of DOMAIN.md: revenue ¥10M, 12M, 14M, 15M, 15M; royalty 3%; tax 25%;
r 15% → ¥967,689.97 (≈ ¥967.7k).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from core.domain import N_, DomainError, ValidationFailed

BPS = 10_000  # basis points in 100%
MAX_LIFE_YEARS = 30
MAX_DISCOUNT_BPS = 10_000  # a discount rate above 100% is a typing error, not a risk view

# Default steps of the income range and the sensitivity grid.
ROYALTY_STEP_BPS = 50  # ± 0.5 percentage point of royalty
DISCOUNT_STEP_BPS = 200  # ± 2 percentage points of discount rate
SENSITIVITY_STEPS = 2  # the grid spans ± 2 steps around the central inputs: 5 × 5


class Method(enum.StrEnum):
    """The three approaches of DOMAIN.md."""

    INCOME = "income"  # relief from royalty
    MARKET = "market"  # comparable deals on the platform
    COST = "cost"  # reproduction cost less obsolescence


class Kind(enum.StrEnum):
    """An indicative valuation (computed by the seller) or a formal report (signed by a valuer)."""

    INDICATIVE = "indicative"
    FORMAL = "formal"


# --- arithmetic --------------------------------------------------------------------------


def round_half_up(value: Fraction) -> int:
    """The nearest integer, halves away from zero (四舍五入)."""
    magnitude = (abs(value.numerator) * 2 + value.denominator) // (2 * value.denominator)
    return -magnitude if value < 0 else magnitude


def percent_to_bps(text: str, *, field: str, maximum: int = BPS) -> int:
    """'3', '3.5', '3.25%' → 300, 350, 325 bps; at most two decimals, 0 to `maximum`."""
    cleaned = (text or "").strip().removesuffix("%").strip()
    if not cleaned:
        raise ValidationFailed(N_("Give a percentage, like 3.5."), field=field)
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationFailed(
            N_("%(text)s is not a percentage: write it like 3.5."), field=field, text=text
        ) from None
    if not number.is_finite():
        raise ValidationFailed(N_("Give a percentage, like 3.5."), field=field)
    bps = number * 100
    if bps != bps.to_integral_value():
        raise ValidationFailed(N_("Give at most two decimals, like 3.25."), field=field)
    if not 0 <= bps <= maximum:
        raise ValidationFailed(
            N_("Give a percentage between 0 and %(maximum)s."),
            field=field,
            maximum=Decimal(maximum) / 100,
        )
    return int(bps)


def bps_text(bps: int) -> str:
    """300 → '3', 325 → '3.25' (the percentage, without the sign)."""
    whole, rest = divmod(abs(bps), 100)
    sign = "-" if bps < 0 else ""
    return f"{sign}{whole}" if rest == 0 else f"{sign}{whole}.{rest:02d}".rstrip("0")


@dataclass(frozen=True)
class ValueRange:
    """Low, central and high value of one method (or of the reconciliation), in 分."""

    low_minor: int
    central_minor: int
    high_minor: int

    def __post_init__(self) -> None:
        if not self.low_minor <= self.central_minor <= self.high_minor:
            raise ValueError(f"a range must be ordered: {self}")


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


# --- market approach ---------------------------------------------------------------------

MIN_COMPARABLES = 3
MAX_COMPARABLES = 12
MAX_TRL_GAP = 2  # "similar maturity"
MAX_DEAL_AGE_YEARS = 5
MATURITY_STEP_BPS = 1_000  # +10% per TRL level the subject is ahead of the comparable
MATURITY_CAP_BPS = 2_000
AGE_BPS_PER_YEAR = 300  # prices of technology deals drift up about 3% a year
PORTFOLIO_STEP_BPS = 1_000  # +10% per extra IP asset in the subject
PORTFOLIO_CAP_BPS = 3_000


@dataclass(frozen=True)
class MarketSubject:
    """What the market approach knows of the listing valued."""

    field: str
    ipc_classes: tuple[str, ...]
    trl: int
    asset_count: int
    valuation_date: date


@dataclass(frozen=True)
class Comparable:
    """A deal on the platform's ledger whose listing resembles the subject."""

    deal_id: int
    title: str
    price_minor: int
    field: str
    ipc_classes: tuple[str, ...]
    trl: int
    asset_count: int
    deal_date: date


@dataclass(frozen=True)
class Adjustment:
    """One adjustment of a comparable's price, with what it compared (for the explanation)."""

    kind: str  # "maturity", "age", "portfolio"
    bps: int  # signed change of the price, +1000 = +10%
    subject_value: int
    comparable_value: int


@dataclass(frozen=True)
class AdjustedComparable:
    """A comparable, its adjustments and its adjusted price."""

    comparable: Comparable
    match: str  # "ipc" (same IPC subclass) or "field"
    adjustments: tuple[Adjustment, ...]
    adjusted_minor: int


@dataclass(frozen=True)
class MarketResult:
    """The market value from the comparables, or why there is none."""

    comparables: tuple[AdjustedComparable, ...]
    range: ValueRange | None  # None: not applicable
    minimum: int = MIN_COMPARABLES

    @property
    def applicable(self) -> bool:
        return self.range is not None


def ipc_subclass(ipc: str) -> str:
    """'H01M 4/525' → 'H01M' (section, class and subclass)."""
    return "".join(ipc.split())[:4].upper()


def match_of(subject: MarketSubject, candidate: Comparable) -> str | None:
    """'ipc' when an IPC subclass is shared, 'field' when only the field is, else None."""
    subject_subclasses = {ipc_subclass(c) for c in subject.ipc_classes if c.strip()}
    if subject_subclasses & {ipc_subclass(c) for c in candidate.ipc_classes if c.strip()}:
        return "ipc"
    return "field" if candidate.field == subject.field else None


def full_years_between(earlier: date, later: date) -> int:
    """Whole years from `earlier` to `later` (0 when `later` is not after it)."""
    if later <= earlier:
        return 0
    years = later.year - earlier.year
    if (later.month, later.day) < (earlier.month, earlier.day):
        years -= 1
    return years


def is_comparable(subject: MarketSubject, candidate: Comparable) -> bool:
    """Same IPC subclass or field, similar maturity, recent enough, a real price."""
    return (
        candidate.price_minor > 0
        and match_of(subject, candidate) is not None
        and abs(candidate.trl - subject.trl) <= MAX_TRL_GAP
        and full_years_between(candidate.deal_date, subject.valuation_date) <= MAX_DEAL_AGE_YEARS
    )


def _clamp(value: int, limit: int) -> int:
    return max(-limit, min(limit, value))


def adjust(subject: MarketSubject, comparable: Comparable) -> AdjustedComparable:
    """The comparable's price adjusted for maturity, the deal's age and portfolio size."""
    age = min(full_years_between(comparable.deal_date, subject.valuation_date), MAX_DEAL_AGE_YEARS)
    adjustments = (
        Adjustment(
            "maturity",
            _clamp((subject.trl - comparable.trl) * MATURITY_STEP_BPS, MATURITY_CAP_BPS),
            subject.trl,
            comparable.trl,
        ),
        Adjustment("age", age * AGE_BPS_PER_YEAR, 0, age),
        Adjustment(
            "portfolio",
            _clamp(
                (subject.asset_count - comparable.asset_count) * PORTFOLIO_STEP_BPS,
                PORTFOLIO_CAP_BPS,
            ),
            subject.asset_count,
            comparable.asset_count,
        ),
    )
    factor = Fraction(1)
    for adjustment in adjustments:
        factor *= Fraction(BPS + adjustment.bps, BPS)
    return AdjustedComparable(
        comparable=comparable,
        match=match_of(subject, comparable) or "field",
        adjustments=adjustments,
        adjusted_minor=round_half_up(comparable.price_minor * factor),
    )


def _median(values: Sequence[int]) -> int:
    """The median of sorted integers; the mean of the middle two rounded half-up."""
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return round_half_up(Fraction(values[middle - 1] + values[middle], 2))


def select_comparables(
    subject: MarketSubject, candidates: Iterable[Comparable], limit: int = MAX_COMPARABLES
) -> list[Comparable]:
    """The comparable candidates, same IPC subclass first, then the closest maturity, newest."""
    chosen = [c for c in candidates if is_comparable(subject, c)]
    chosen.sort(
        key=lambda c: (
            match_of(subject, c) != "ipc",
            abs(c.trl - subject.trl),
            -c.deal_date.toordinal(),
            c.deal_id,
        )
    )
    return chosen[:limit]


def market_value(subject: MarketSubject, comparables: Iterable[Comparable]) -> MarketResult:
    """Adjusted median of the comparables with the quartiles (Tukey's hinges) as the range.

    With fewer than MIN_COMPARABLES comparables the approach is not applicable.
    """
    adjusted = tuple(adjust(subject, c) for c in select_comparables(subject, comparables))
    if len(adjusted) < MIN_COMPARABLES:
        return MarketResult(comparables=adjusted, range=None)
    values = sorted(a.adjusted_minor for a in adjusted)
    half = len(values) // 2
    lower, upper = values[: half + len(values) % 2], values[half:]
    return MarketResult(
        comparables=adjusted,
        range=ValueRange(_median(lower), _median(values), _median(upper)),
    )


# --- cost approach -----------------------------------------------------------------------

OBSOLESCENCE_STEP_BPS = 1_000  # the cost range: functional obsolescence ± 10 points


@dataclass(frozen=True)
class CostInputs:
    """Reproduction cost (R&D labour, materials, overhead, opportunity cost) and obsolescence."""

    labour_minor: int
    materials_minor: int
    overhead_minor: int
    opportunity_minor: int
    functional_obsolescence_bps: int
    economic_obsolescence_bps: int

    @property
    def reproduction_minor(self) -> int:
        return (
            self.labour_minor + self.materials_minor + self.overhead_minor + self.opportunity_minor
        )


@dataclass(frozen=True)
class CostResult:
    """Reproduction cost, the value after obsolescence and the range."""

    reproduction_minor: int
    value_minor: int
    range: ValueRange


def check_cost_inputs(inputs: CostInputs) -> None:
    """Raise ValidationFailed on a negative cost or an obsolescence outside 0–100%."""
    for name in ("labour_minor", "materials_minor", "overhead_minor", "opportunity_minor"):
        if getattr(inputs, name) < 0:
            raise ValidationFailed(
                N_("A cost cannot be negative."), field=name.removesuffix("_minor")
            )
    for name in ("functional_obsolescence_bps", "economic_obsolescence_bps"):
        if not 0 <= getattr(inputs, name) <= BPS:
            raise ValidationFailed(
                N_("Obsolescence must be between 0 and 100%."), field=name.removesuffix("_bps")
            )


def _cost_after(reproduction: int, functional_bps: int, economic_bps: int) -> int:
    return round_half_up(
        Fraction(reproduction * (BPS - functional_bps) * (BPS - economic_bps), BPS * BPS)
    )


def cost_value(inputs: CostInputs) -> CostResult:
    """Reproduction cost × (1 − functional obsolescence) × (1 − economic obsolescence)."""
    check_cost_inputs(inputs)
    repro = inputs.reproduction_minor
    functional, economic = inputs.functional_obsolescence_bps, inputs.economic_obsolescence_bps
    central = _cost_after(repro, functional, economic)
    return CostResult(
        reproduction_minor=repro,
        value_minor=central,
        range=ValueRange(
            _cost_after(repro, min(BPS, functional + OBSOLESCENCE_STEP_BPS), economic),
            central,
            _cost_after(repro, max(0, functional - OBSOLESCENCE_STEP_BPS), economic),
        ),
    )


# --- reconciliation ----------------------------------------------------------------------


def method_weights(trl: int) -> dict[Method, int]:
    """Weights (percent) by maturity: cost suits early results, income and market later ones."""
    if trl <= 3:
        return {Method.INCOME: 30, Method.MARKET: 10, Method.COST: 60}
    if trl <= 6:
        return {Method.INCOME: 50, Method.MARKET: 30, Method.COST: 20}
    return {Method.INCOME: 50, Method.MARKET: 40, Method.COST: 10}


@dataclass(frozen=True)
class Reconciled:
    """The indicative range from the methods that apply, weighted."""

    weights: dict[Method, int]  # percent, over the methods used (sum 100 when rounded)
    range: ValueRange


def reconcile(ranges: Mapping[Method, ValueRange], trl: int) -> Reconciled:
    """Weighted average of each figure (low, central, high) over the methods that apply."""
    if not ranges:
        raise ValidationFailed(
            N_("Give a revenue forecast or the development costs: no method can be applied."),
            field="_form",
        )
    base = method_weights(trl)
    used = {method: base[method] for method in Method if method in ranges}
    total = sum(used.values())

    def weighted(pick: str) -> int:
        return round_half_up(
            Fraction(sum(w * getattr(ranges[m], pick) for m, w in used.items()), total)
        )

    return Reconciled(
        weights={m: round_half_up(Fraction(100 * w, total)) for m, w in used.items()},
        range=ValueRange(weighted("low_minor"), weighted("central_minor"), weighted("high_minor")),
    )


# --- the whole indicative valuation ------------------------------------------------------


@dataclass(frozen=True)
class IndicativeInputs:
    """Everything a valuation form gives; a method without its inputs is left out."""

    income: IncomeInputs | None = None
    discount: DiscountRate | None = None  # how r was built, shown in the report
    industry: IndustryClass | None = None
    operating_margin_bps: int | None = None  # for the 25% rule
    cost: CostInputs | None = None
    use_market: bool = True


@dataclass(frozen=True)
class IndicativeResult:
    """Every method's result, the reconciled range and the income sensitivity."""

    income: IncomeResult | None
    income_range: ValueRange | None
    sensitivity: SensitivityGrid | None
    benchmark: str | None  # position of the royalty in its class's benchmark range
    rule_of_thumb: RuleOfThumb | None
    market: MarketResult | None
    cost: CostResult | None
    reconciled: Reconciled
    ranges: dict[Method, ValueRange] = field(default_factory=dict)


def indicative_valuation(
    inputs: IndicativeInputs, subject: MarketSubject, candidates: Iterable[Comparable]
) -> IndicativeResult:
    """Apply every method that has its inputs and reconcile them into one range."""
    ranges: dict[Method, ValueRange] = {}
    income = income_rng = grid = None
    benchmark = None
    thumb = None
    if inputs.income is not None:
        income = income_value(inputs.income)
        income_rng = income_range(inputs.income)
        grid = sensitivity(inputs.income)
        ranges[Method.INCOME] = income_rng
        if inputs.industry is not None:
            benchmark = benchmark_position(inputs.income.royalty_bps, inputs.industry)
        if inputs.operating_margin_bps is not None:
            thumb = twenty_five_percent_rule(inputs.income.royalty_bps, inputs.operating_margin_bps)
    market = market_value(subject, candidates) if inputs.use_market else None
    if market is not None and market.range is not None:
        ranges[Method.MARKET] = market.range
    cost = cost_value(inputs.cost) if inputs.cost is not None else None
    if cost is not None:
        ranges[Method.COST] = cost.range
    return IndicativeResult(
        income=income,
        income_range=income_rng,
        sensitivity=grid,
        benchmark=benchmark,
        rule_of_thumb=thumb,
        market=market,
        cost=cost,
        reconciled=reconcile(ranges, subject.trl),
        ranges=ranges,
    )


# --- requests and reports ----------------------------------------------------------------


class RequestStatus(enum.StrEnum):
    """requested → in progress (a valuer took it) → issued, or declined / withdrawn."""

    REQUESTED = "requested"
    IN_PROGRESS = "in_progress"
    ISSUED = "issued"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class RequestAction(enum.StrEnum):
    """What may be done to a valuation request."""

    TAKE = "take"
    ISSUE = "issue"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


_R, _RA = RequestStatus, RequestAction
REQUEST_TRANSITIONS: dict[tuple[RequestStatus, RequestAction], RequestStatus] = {
    (_R.REQUESTED, _RA.TAKE): _R.IN_PROGRESS,
    (_R.REQUESTED, _RA.DECLINE): _R.DECLINED,
    (_R.REQUESTED, _RA.WITHDRAW): _R.WITHDRAWN,
    (_R.IN_PROGRESS, _RA.ISSUE): _R.ISSUED,
    (_R.IN_PROGRESS, _RA.DECLINE): _R.DECLINED,
    (_R.IN_PROGRESS, _RA.WITHDRAW): _R.WITHDRAWN,
}
OPEN_REQUEST_STATUSES = frozenset({_R.REQUESTED, _R.IN_PROGRESS})


class RequestNotAllowed(DomainError):
    """The request is not in a state that allows this action (409)."""

    code = "valuation_request_state"


def next_request_status(current: RequestStatus, action: RequestAction) -> RequestStatus:
    """The state after `action`, or RequestNotAllowed."""
    try:
        return REQUEST_TRANSITIONS[(current, action)]
    except KeyError:
        raise RequestNotAllowed(
            N_("This valuation request is %(status)s: it cannot be changed that way."),
            status=current.value,
        ) from None
