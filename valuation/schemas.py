"""Valuation input (the HTML form in yuan and percent, the API in 分 and bps) and output shapes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, fields, post_load, validate

from core.domain import N_, DomainError, ValidationFailed
from core.marshmallow_messages import REQUIRED
from core.money import from_yuan_text
from valuation import income_rules, rules
from valuation.cost_rules import CostInputs
from valuation.income_rules import DiscountRate, IncomeInputs, IndustryClass
from valuation.indicative_rules import IndicativeInputs
from valuation.rules import BPS, MAX_LIFE_YEARS

FORM_YEARS = 10  # revenue boxes on the form (the API takes up to MAX_LIFE_YEARS)
DISCOUNT_PARTS = ("risk_free", "technology", "market", "funding", "management")
COST_PARTS = ("labour", "materials", "overhead", "opportunity")

FieldErrors = dict[str, list[str]]


# --- the HTML form -----------------------------------------------------------------------


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
                lambda r=raw, y=year: from_yuan_text(r, field=f"revenue_{y}"),
            )
            if amount is not None:
                revenues.append(amount.minor)
        elif any(get(f"revenue_{later}") for later in range(year + 1, FORM_YEARS + 1)):
            errors.setdefault(f"revenue_{year}", []).append(
                translate(N_("Give every year up to the last one (0 when there is no revenue)."))
            )
    discount_parts = {
        part: _collect(errors, part, lambda p=part: rules.percent_to_bps(get(p) or "0", field=p))
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
            part: _collect(errors, part, lambda p=part: from_yuan_text(get(p) or "0", field=p))
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


# --- API ---------------------------------------------------------------------------------

_bps = validate.Range(0, BPS, error=N_("Give basis points between 0 and 10000 (100%)."))
_minor = validate.Range(0, 10**15, error=N_("Give a non-negative amount in minor units (分)."))


class DiscountSchema(Schema):
    """r = risk-free rate + premiums, each in basis points (1% = 100)."""

    class Meta:
        unknown = EXCLUDE

    risk_free_bps = fields.Integer(
        required=True, strict=True, validate=_bps, error_messages=REQUIRED
    )
    technology_bps = fields.Integer(load_default=0, strict=True, validate=_bps)
    market_bps = fields.Integer(load_default=0, strict=True, validate=_bps)
    funding_bps = fields.Integer(load_default=0, strict=True, validate=_bps)
    management_bps = fields.Integer(load_default=0, strict=True, validate=_bps)


class IncomeSchema(Schema):
    """Relief from royalty: the revenue forecast (分 per year, year 1 first) and the rates."""

    class Meta:
        unknown = EXCLUDE

    revenues_minor = fields.List(
        fields.Integer(strict=True, validate=_minor),
        required=True,
        validate=validate.Length(1, MAX_LIFE_YEARS),
        error_messages=REQUIRED,
    )
    royalty_bps = fields.Integer(required=True, strict=True, validate=_bps, error_messages=REQUIRED)
    tax_bps = fields.Integer(load_default=2500, strict=True, validate=_bps)
    discount = fields.Nested(DiscountSchema, required=True, error_messages=REQUIRED)
    legal_life_years = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(1, MAX_LIFE_YEARS),
        error_messages=REQUIRED,
    )
    economic_life_years = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(1, MAX_LIFE_YEARS),
        error_messages=REQUIRED,
    )
    industry = fields.Enum(IndustryClass, by_value=True, load_default=None, allow_none=True)
    operating_margin_bps = fields.Integer(
        load_default=None, allow_none=True, strict=True, validate=_bps
    )


class CostSchema(Schema):
    """Reproduction cost in 分 and obsolescence in basis points."""

    class Meta:
        unknown = EXCLUDE

    labour_minor = fields.Integer(load_default=0, strict=True, validate=_minor)
    materials_minor = fields.Integer(load_default=0, strict=True, validate=_minor)
    overhead_minor = fields.Integer(load_default=0, strict=True, validate=_minor)
    opportunity_minor = fields.Integer(load_default=0, strict=True, validate=_minor)
    functional_obsolescence_bps = fields.Integer(load_default=0, strict=True, validate=_bps)
    economic_obsolescence_bps = fields.Integer(load_default=0, strict=True, validate=_bps)


class ValuationInSchema(Schema):
    """An indicative valuation's inputs: any of income and cost, and the market approach."""

    class Meta:
        unknown = EXCLUDE

    income = fields.Nested(IncomeSchema, load_default=None, allow_none=True)
    cost = fields.Nested(CostSchema, load_default=None, allow_none=True)
    use_market = fields.Boolean(load_default=True)

    @post_load
    def _to_inputs(self, data: dict[str, Any], **_: Any) -> IndicativeInputs:
        income = data.get("income")
        discount = DiscountRate(**income["discount"]) if income else None
        return IndicativeInputs(
            income=(
                IncomeInputs(
                    revenues_minor=tuple(income["revenues_minor"]),
                    royalty_bps=income["royalty_bps"],
                    tax_bps=income["tax_bps"],
                    discount_bps=discount.total_bps if discount else 0,
                    legal_life_years=income["legal_life_years"],
                    economic_life_years=income["economic_life_years"],
                )
                if income
                else None
            ),
            discount=discount,
            industry=income.get("industry") if income else None,
            operating_margin_bps=income.get("operating_margin_bps") if income else None,
            cost=CostInputs(**data["cost"]) if data.get("cost") else None,
            use_market=data["use_market"],
        )


class ComputeInSchema(ValuationInSchema):
    """Compute an indicative valuation of a listing; `save` keeps it (the seller only)."""

    listing_id = fields.Integer(required=True, strict=True, error_messages=REQUIRED)
    save = fields.Boolean(load_default=False)

    @post_load
    def _to_inputs(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        return {
            "listing_id": data["listing_id"],
            "save": data["save"],
            "inputs": ValuationInSchema._to_inputs(self, data, **kwargs),
        }


class RequestInSchema(Schema):
    """A request for a formal valuation report."""

    class Meta:
        unknown = EXCLUDE

    listing_id = fields.Integer(required=True, strict=True, error_messages=REQUIRED)
    purpose = fields.String(
        required=True, validate=validate.Length(1, 2000), error_messages=REQUIRED
    )


class DeclineInSchema(Schema):
    """Why a valuer declines."""

    reason = fields.String(
        required=True, validate=validate.Length(1, 2000), error_messages=REQUIRED
    )


class ReportInSchema(ValuationInSchema):
    """A formal report: the inputs and the valuer's opinion."""

    opinion = fields.String(
        required=True, validate=validate.Length(1, 10_000), error_messages=REQUIRED
    )

    @post_load
    def _to_inputs(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:  # type: ignore[override]
        return {
            "opinion": data["opinion"],
            "inputs": ValuationInSchema._to_inputs(self, data, **kwargs),
        }


class RangeSchema(Schema):
    """Low, central and high value in minor units."""

    low_minor = fields.Integer()
    central_minor = fields.Integer()
    high_minor = fields.Integer()


class ComputedSchema(Schema):
    """A computed (not saved) valuation."""

    listing_id = fields.Integer()
    kind = fields.String()
    currency = fields.String()
    range = fields.Nested(RangeSchema)
    result = fields.Dict(
        metadata={
            "description": "Every method's figures (income years, comparables, sensitivity grid, …)"
        }
    )
    id = fields.Integer(
        allow_none=True, metadata={"description": "Set when the valuation was saved"}
    )


class ValuationOutSchema(Schema):
    """A saved valuation: indicative, or a formal report with its signature."""

    id = fields.Integer()
    listing_id = fields.Integer()
    kind = fields.String(attribute="kind.value")
    side = fields.String()
    currency = fields.String()
    valuation_date = fields.Date()
    low_minor = fields.Integer()
    central_minor = fields.Integer()
    high_minor = fields.Integer()
    inputs = fields.Dict()
    result = fields.Dict()
    opinion = fields.String(allow_none=True)
    signer_name = fields.String(allow_none=True)
    signer_credential = fields.String(allow_none=True)
    request_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()


class RequestOutSchema(Schema):
    """A valuation request and where it stands."""

    id = fields.Integer()
    listing_id = fields.Integer()
    requester_org_id = fields.Integer()
    side = fields.String()
    purpose = fields.String()
    status = fields.String(attribute="status.value")
    valuer_id = fields.Integer(allow_none=True)
    decline_reason = fields.String(allow_none=True)
    report_id = fields.Function(lambda r: r.report.id if r.report else None)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class RequestPageSchema(Schema):
    """A list of requests."""

    items = fields.List(fields.Nested(RequestOutSchema))
