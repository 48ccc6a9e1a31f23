"""Valuation API shapes: input in 分 and basis points, and output (the HTML form is `form_schemas`)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from core.api_actions import AllowedActions
from core.domain import N_
from core.marshmallow_messages import REQUIRED
from core.schema_kit import InputSchema
from core.schema_out import out_fields, page_of
from valuation.actions import REQUEST_ACTIONS
from valuation.cost_rules import CostInputs
from valuation.income_rules import DiscountRate, IncomeInputs, IndustryClass
from valuation.indicative_rules import IndicativeInputs
from valuation.rules import BPS, MAX_LIFE_YEARS, Purpose

_bps_range = validate.Range(0, BPS, error=N_("Give basis points between 0 and 10000 (100%)."))
_minor_range = validate.Range(
    0, 10**15, error=N_("Give a non-negative amount in minor units (分).")
)


def _bps(**options: Any) -> fields.Integer:
    """A rate in basis points (1% = 100), 0 to 100%."""
    return fields.Integer(strict=True, validate=_bps_range, **options)


def _minor(**options: Any) -> fields.Integer:
    """A non-negative amount in minor units (分)."""
    return fields.Integer(strict=True, validate=_minor_range, **options)


class DiscountSchema(InputSchema):
    """r = risk-free rate + premiums, each in basis points (1% = 100)."""

    risk_free_bps = _bps(required=True, error_messages=REQUIRED)
    technology_bps = _bps(load_default=0)
    market_bps = _bps(load_default=0)
    funding_bps = _bps(load_default=0)
    management_bps = _bps(load_default=0)


class IncomeSchema(InputSchema):
    """Relief from royalty: the revenue forecast (分 per year, year 1 first) and the rates."""

    revenues_minor = fields.List(
        _minor(),
        required=True,
        validate=validate.Length(1, MAX_LIFE_YEARS),
        error_messages=REQUIRED,
    )
    royalty_bps = _bps(required=True, error_messages=REQUIRED)
    tax_bps = _bps(load_default=2500)
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
    operating_margin_bps = _bps(load_default=None, allow_none=True)


class CostSchema(InputSchema):
    """Reproduction cost in 分 and obsolescence in basis points."""

    labour_minor = _minor(load_default=0)
    materials_minor = _minor(load_default=0)
    overhead_minor = _minor(load_default=0)
    opportunity_minor = _minor(load_default=0)
    functional_obsolescence_bps = _bps(load_default=0)
    economic_obsolescence_bps = _bps(load_default=0)


class ValuationInSchema(InputSchema):
    """An indicative valuation's inputs: any of income and cost, and the market approach."""

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
    def _to_inputs(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {
            "listing_id": data["listing_id"],
            "save": data["save"],
            "inputs": ValuationInSchema._to_inputs(self, data, **kwargs),
        }


class RequestInSchema(InputSchema):
    """A request for a formal valuation report."""

    listing_id = fields.Integer(required=True, strict=True, error_messages=REQUIRED)
    purpose = fields.String(
        required=True, validate=validate.Length(1, 2000), error_messages=REQUIRED
    )
    purpose_kind = fields.String(
        load_default=Purpose.OTHER.value,
        validate=validate.OneOf([p.value for p in Purpose]),
        metadata={"description": "transfer, licence, pledge_loan (质押融资), investment or other"},
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
    def _to_inputs(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return {
            "opinion": data["opinion"],
            "inputs": ValuationInSchema._to_inputs(self, data, **kwargs),
        }


@out_fields(integers="low_minor central_minor high_minor")
class RangeSchema(Schema):
    """Low, central and high value in minor units."""


@out_fields(integers="listing_id", strings="kind currency")
class ComputedSchema(Schema):
    """A computed (not saved) valuation."""

    range = fields.Nested(RangeSchema)
    result = fields.Dict(
        metadata={
            "description": "Every method's figures (income years, comparables, sensitivity grid, …)"
        }
    )
    id = fields.Integer(
        allow_none=True, metadata={"description": "Set when the valuation was saved"}
    )


@out_fields(integers="id listing_id low_minor central_minor high_minor request_id?", strings="side currency opinion? signer_name? signer_credential?", dates="valuation_date", datetimes="created_at", dicts="inputs result")  # fmt: skip
class ValuationOutSchema(Schema):
    """A saved valuation: indicative, or a formal report with its signature."""

    kind = fields.String(attribute="kind.value")


@out_fields(integers="id listing_id requester_org_id valuer_id?", strings="side purpose decline_reason?", datetimes="created_at updated_at")  # fmt: skip
class RequestOutSchema(Schema):
    """A valuation request and where it stands."""

    purpose_kind = fields.String(attribute="purpose_kind.value")
    status = fields.String(attribute="status.value")
    report_id = fields.Function(lambda r: r.report.id if r.report else None)
    allowed_actions = AllowedActions(REQUEST_ACTIONS)


RequestPageSchema = page_of(RequestOutSchema, "A list of requests.", name="RequestPageSchema")
