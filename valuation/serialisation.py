"""Indicative inputs and results as plain JSON: stored with a valuation, shown by pages and the API.

Pure: no database, no Flask.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from valuation import income_rules
from valuation.cost_rules import CostInputs
from valuation.income_rules import DiscountRate, IncomeInputs, IndustryClass
from valuation.indicative_rules import IndicativeInputs, IndicativeResult
from valuation.rules import ValueRange


def _range(value: ValueRange | None) -> dict[str, int] | None:
    return asdict(value) if value is not None else None


def inputs_to_dict(inputs: IndicativeInputs) -> dict[str, Any]:
    """The inputs as stored with a valuation (amounts in 分, rates in bps)."""
    return {
        "income": (
            {**asdict(inputs.income), "revenues_minor": list(inputs.income.revenues_minor)}
            if inputs.income
            else None
        ),
        "discount": asdict(inputs.discount) if inputs.discount else None,
        "industry": inputs.industry.value if inputs.industry else None,
        "operating_margin_bps": inputs.operating_margin_bps,
        "cost": asdict(inputs.cost) if inputs.cost else None,
        "use_market": inputs.use_market,
    }


def inputs_from_dict(data: dict[str, Any]) -> IndicativeInputs:
    """The inverse of `inputs_to_dict`."""
    income = data.get("income")
    return IndicativeInputs(
        income=(
            IncomeInputs(**{**income, "revenues_minor": tuple(income["revenues_minor"])})
            if income
            else None
        ),
        discount=DiscountRate(**data["discount"]) if data.get("discount") else None,
        industry=IndustryClass(data["industry"]) if data.get("industry") else None,
        operating_margin_bps=data.get("operating_margin_bps"),
        cost=CostInputs(**data["cost"]) if data.get("cost") else None,
        use_market=bool(data.get("use_market", True)),
    )


def result_to_dict(result: IndicativeResult, inputs: IndicativeInputs) -> dict[str, Any]:
    """Every figure a page, the API and the PDF show, as plain JSON."""
    income = None
    if result.income is not None and result.sensitivity is not None:
        grid = result.sensitivity
        industry = inputs.industry
        income = {
            "value_minor": result.income.value_minor,
            "life_years": result.income.life_years,
            "limited_by": result.income.limited_by,
            "extended_years": result.income.extended_years,
            "years": [
                {
                    "year": y.year,
                    "revenue_minor": y.revenue_minor,
                    "royalty_minor": y.royalty_minor,
                    "after_tax_minor": y.after_tax_minor,
                    "discount_factor": f"{float(y.discount_factor):.6f}",
                    "present_value_minor": y.present_value_minor,
                }
                for y in result.income.years
            ],
            "range": _range(result.income_range),
            "industry": industry.value if industry else None,
            "benchmark_bps": list(income_rules.ROYALTY_BENCHMARKS[industry]) if industry else None,
            "benchmark": result.benchmark,
            "rule_of_thumb": asdict(result.rule_of_thumb) if result.rule_of_thumb else None,
            "sensitivity": {
                "royalty_bps": list(grid.royalty_bps),
                "discount_bps": list(grid.discount_bps),
                "values_minor": [list(row) for row in grid.values_minor],
                "central": list(grid.central),
            },
        }
    market = None
    if result.market is not None:
        market = {
            "applicable": result.market.applicable,
            "minimum": result.market.minimum,
            "range": _range(result.market.range),
            "comparables": [
                {
                    "deal_id": a.comparable.deal_id,
                    "title": a.comparable.title,
                    "price_minor": a.comparable.price_minor,
                    "field": a.comparable.field,
                    "trl": a.comparable.trl,
                    "asset_count": a.comparable.asset_count,
                    "deal_date": a.comparable.deal_date.isoformat(),
                    "match": a.match,
                    "adjustments": [asdict(adj) for adj in a.adjustments],
                    "adjusted_minor": a.adjusted_minor,
                }
                for a in result.market.comparables
            ],
        }
    return {
        "income": income,
        "market": market,
        "cost": asdict(result.cost) if result.cost is not None else None,
        "reconciled": {
            "weights": {m.value: w for m, w in result.reconciled.weights.items()},
            "range": _range(result.reconciled.range),
        },
    }
