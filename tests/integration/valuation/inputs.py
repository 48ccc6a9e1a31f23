"""Valuation inputs the tests share."""

from __future__ import annotations

from valuation.cost_rules import CostInputs
from valuation.income_rules import DiscountRate, IncomeInputs, IndustryClass
from valuation.indicative_rules import IndicativeInputs

M = 100_000_000  # ¥1,000,000.00 in 分


def income_inputs(**overrides: object) -> IndicativeInputs:
    """The worked example of DOMAIN.md as a valuation's income inputs."""
    discount = DiscountRate(
        risk_free_bps=250, technology_bps=500, market_bps=300, funding_bps=200, management_bps=250
    )
    values: dict[str, object] = {
        "income": IncomeInputs(
            revenues_minor=(10 * M, 12 * M, 14 * M, 15 * M, 15 * M),
            royalty_bps=300,
            tax_bps=2500,
            discount_bps=discount.total_bps,
            legal_life_years=5,
            economic_life_years=5,
        ),
        "discount": discount,
        "industry": IndustryClass.INTERMEDIATE_GOODS,
        "cost": None,
        "use_market": True,
    }
    values.update(overrides)
    return IndicativeInputs(**values)  # type: ignore[arg-type]


COST = CostInputs(
    labour_minor=30_000_000,
    materials_minor=10_000_000,
    overhead_minor=5_000_000,
    opportunity_minor=5_000_000,
    functional_obsolescence_bps=2000,
    economic_obsolescence_bps=1000,
)
