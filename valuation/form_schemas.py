"""The HTML valuation form, in yuan and percent: parsing it into inputs, and filling it from inputs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from core.domain import N_, DomainError, ValidationFailed
from core.money import from_yuan_text
from valuation import income_rules, rules
from valuation.cost_rules import CostInputs
from valuation.income_rules import DiscountRate, IncomeInputs, IndustryClass
from valuation.indicative_rules import IndicativeInputs

FORM_YEARS = 10  # revenue boxes on the form (the API takes up to MAX_LIFE_YEARS)
DISCOUNT_PARTS = ("risk_free", "technology", "market", "funding", "management")
COST_PARTS = ("labour", "materials", "overhead", "opportunity")

FieldErrors = dict[str, list[str]]


def _whole(text: str, field: str) -> int:
    cleaned = (text or "").strip()
    if not cleaned.isdigit():
        raise ValidationFailed(N_("Give a whole number of years."), field=field)
    return int(cleaned)


def form_to_inputs(
    form: Mapping[str, str], translate: Callable[[str], str] = lambda s: s
) -> tuple[IndicativeInputs | None, FieldErrors]:
    """The valuation form (yuan, percent) as inputs, or the field errors (messages translated)."""
    errors: FieldErrors = {}

    def _collect(_errors: FieldErrors, name: str, parse: Callable[[], Any]) -> Any:
        try:
            return parse()
        except DomainError as error:
            errors.setdefault(error.field or name, []).append(error.text(translate))
            return None

    def get(name: str) -> str:
        value = form.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    revenues: list[int] = []
    for year in range(1, FORM_YEARS + 1):
        raw = get(f"revenue_{year}")
        if raw:
            amount = _collect(
                errors,
                f"revenue_{year}",
                partial(from_yuan_text, raw, field=f"revenue_{year}"),
            )
            if amount is not None:
                revenues.append(amount.minor)
        elif any(get(f"revenue_{later}") for later in range(year + 1, FORM_YEARS + 1)):
            errors.setdefault(f"revenue_{year}", []).append(
                translate(N_("Give every year up to the last one (0 when there is no revenue)."))
            )
    discount_parts = {
        part: _collect(errors, part, partial(rules.percent_to_bps, get(part) or "0", field=part))
        for part in DISCOUNT_PARTS
    }
    industry_raw = get("industry")
    industry = (
        IndustryClass(industry_raw) if industry_raw in IndustryClass._value2member_map_ else None
    )
    margin_raw = get("operating_margin")
    margin = (
        _collect(
            errors,
            "operating_margin",
            lambda: rules.percent_to_bps(margin_raw, field="operating_margin"),
        )
        if margin_raw
        else None
    )
    income = None
    if revenues or any(get(f"revenue_{y}") for y in range(1, FORM_YEARS + 1)):
        royalty = _collect(
            errors, "royalty", lambda: rules.percent_to_bps(get("royalty"), field="royalty")
        )
        tax = _collect(errors, "tax", lambda: rules.percent_to_bps(get("tax"), field="tax"))
        legal = _collect(
            errors, "legal_life_years", lambda: _whole(get("legal_life_years"), "legal_life_years")
        )
        economic = _collect(
            errors,
            "economic_life_years",
            lambda: _whole(get("economic_life_years"), "economic_life_years"),
        )
        if not errors:
            discount = DiscountRate(**{f"{p}_bps": discount_parts[p] for p in DISCOUNT_PARTS})
            income = IncomeInputs(
                revenues_minor=tuple(revenues),
                royalty_bps=royalty,
                tax_bps=tax,
                discount_bps=discount.total_bps,
                legal_life_years=legal,
                economic_life_years=economic,
            )
            _collect(errors, "_form", lambda: income_rules.check_income_inputs(income))
    cost = None
    if any(get(part) for part in COST_PARTS):
        amounts = {
            part: _collect(errors, part, partial(from_yuan_text, get(part) or "0", field=part))
            for part in COST_PARTS
        }
        functional = _collect(
            errors,
            "functional_obsolescence",
            lambda: rules.percent_to_bps(
                get("functional_obsolescence") or "0", field="functional_obsolescence"
            ),
        )
        economic_obs = _collect(
            errors,
            "economic_obsolescence",
            lambda: rules.percent_to_bps(
                get("economic_obsolescence") or "0", field="economic_obsolescence"
            ),
        )
        if not errors:
            cost = CostInputs(
                labour_minor=amounts["labour"].minor,
                materials_minor=amounts["materials"].minor,
                overhead_minor=amounts["overhead"].minor,
                opportunity_minor=amounts["opportunity"].minor,
                functional_obsolescence_bps=functional,
                economic_obsolescence_bps=economic_obs,
            )
    if errors:
        return None, errors
    use_market = get("use_market") in ("1", "on", "true", "yes")
    if income is None and cost is None and not use_market:
        message = N_("Give a revenue forecast or the development costs: no method can be applied.")
        return None, {"_form": [translate(message)]}
    discount = DiscountRate(**{f"{p}_bps": discount_parts[p] for p in DISCOUNT_PARTS})
    return (
        IndicativeInputs(
            income=income,
            discount=discount if income else None,
            industry=industry,
            operating_margin_bps=margin,
            cost=cost,
            use_market=use_market,
        ),
        {},
    )


def inputs_to_form(inputs: IndicativeInputs) -> dict[str, str]:
    """Inputs as the form shows them (yuan and percent), to edit a previous valuation."""
    form: dict[str, str] = {"use_market": "1" if inputs.use_market else ""}
    if inputs.industry:
        form["industry"] = inputs.industry.value
    if inputs.operating_margin_bps is not None:
        form["operating_margin"] = rules.bps_text(inputs.operating_margin_bps)
    if inputs.income:
        for year, revenue in enumerate(inputs.income.revenues_minor[:FORM_YEARS], start=1):
            form[f"revenue_{year}"] = _yuan(revenue)
        form["royalty"] = rules.bps_text(inputs.income.royalty_bps)
        form["tax"] = rules.bps_text(inputs.income.tax_bps)
        form["legal_life_years"] = str(inputs.income.legal_life_years)
        form["economic_life_years"] = str(inputs.income.economic_life_years)
    if inputs.discount:
        for part in DISCOUNT_PARTS:
            form[part] = rules.bps_text(getattr(inputs.discount, f"{part}_bps"))
    if inputs.cost:
        for part in COST_PARTS:
            form[part] = _yuan(getattr(inputs.cost, f"{part}_minor"))
        form["functional_obsolescence"] = rules.bps_text(inputs.cost.functional_obsolescence_bps)
        form["economic_obsolescence"] = rules.bps_text(inputs.cost.economic_obsolescence_bps)
    return form


def _yuan(minor: int) -> str:
    yuan, fen = divmod(minor, 100)
    return str(yuan) if fen == 0 else f"{yuan}.{fen:02d}"
