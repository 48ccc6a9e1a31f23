"""Reconciling the three approaches by maturity, and the whole indicative valuation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from core.domain import N_, ValidationFailed
from valuation.cost_rules import CostInputs, CostResult, cost_value
from valuation.income_rules import (
    DiscountRate,
    IncomeInputs,
    IncomeResult,
    IndustryClass,
    RuleOfThumb,
    SensitivityGrid,
    benchmark_position,
    income_range,
    income_value,
    sensitivity,
    twenty_five_percent_rule,
)
from valuation.market_rules import Comparable, MarketResult, MarketSubject, market_value
from valuation.rules import Method, ValueRange, round_half_up

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
