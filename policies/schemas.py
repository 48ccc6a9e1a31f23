"""Policy input (the administrator's form, API arguments) and output shapes.

The API speaks minor units (分) and basis points; the form takes yuan and percentages as
people type them and turns them into the same.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from brokers.schemas import percent_to_bps
from core.api_actions import AllowedActions
from core.domain import N_, DomainError
from core.marshmallow_messages import REQUIRED
from core.money import from_yuan_text
from core.schema_kit import InputSchema, optional
from core.schema_out import out_fields, page_of
from deals.models import ContractType
from policies import services
from policies.policy_rules import Beneficiary

_date = {**REQUIRED, "invalid": N_("Give a date, like 2027-06-30.")}
_choice = N_("Choose from the list.")
_AMOUNTS = ("fixed", "cap_per_deal", "cap_per_org_year", "min_basis")


class PolicyInSchema(InputSchema):
    """A policy as an administrator defines it."""

    name_zh = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, 200))  # fmt: skip
    name_en = optional(fields.String, validate=validate.Length(max=200))
    beneficiary = fields.String(
        required=True, error_messages=REQUIRED,
        validate=validate.OneOf([b.value for b in Beneficiary], error=_choice),
    )  # fmt: skip
    rate_bp = optional(fields.Integer)
    fixed_minor = optional(fields.Integer)
    cap_per_deal_minor = optional(fields.Integer)
    cap_per_org_year_minor = optional(fields.Integer)
    min_basis_minor = fields.Integer(load_default=0)
    contract_types = fields.List(
        fields.String(validate=validate.OneOf([c.value for c in ContractType], error=_choice)),
        load_default=list,
    )
    fields_ = fields.List(
        fields.String(validate=validate.Length(max=32)), data_key="fields", load_default=list
    )
    region = optional(fields.String, validate=validate.Length(max=64))
    evidence = optional(fields.String, validate=validate.Length(max=2000))  # fmt: skip
    valid_from = fields.Date(required=True, error_messages=_date)
    valid_to = optional(fields.Date, error_messages=_date)


class PolicyFormSchema(PolicyInSchema):
    """The administrator's form: yuan and percentages, blanks for "none"."""

    @pre_load
    def _from_form(self, data: Any, **_: Any) -> dict[str, Any]:
        values = {k: v for k, v in dict(data).items() if v not in ("", None)}
        values["contract_types"] = data.getlist("contract_types") if hasattr(data, "getlist") else []  # fmt: skip
        values["fields"] = [f.strip() for f in str(data.get("fields", "")).split(",") if f.strip()]
        if data.get("rate_percent", "").strip():
            values["rate_bp"] = percent_to_bps(data["rate_percent"], "rate_percent")
        for name in _AMOUNTS:
            text = data.get(f"{name}_yuan", "").strip()
            if text:
                values[f"{name}_minor"] = _minor(text, f"{name}_yuan")
        return values


def _minor(text: str, field: str) -> int:
    """Yuan as typed ("20,000.5") in fen; a refusal becomes the field's error."""
    try:
        return from_yuan_text(text, field=field).minor
    except DomainError as error:
        raise ValidationError({field: [error.text()]}) from None


def policy_input(data: dict[str, Any]) -> services.NewPolicy:
    """The loaded schema's data as the use case's input."""
    data = dict(data)
    data["fields"] = tuple(data.pop("fields_", ()))
    data["contract_types"] = tuple(data["contract_types"])
    data["beneficiary"] = Beneficiary(data["beneficiary"])
    return services.NewPolicy(**data)


class PeriodInSchema(InputSchema):
    """A period to compute: its first and last day, inclusive, in market time."""

    period_start = fields.Date(required=True, error_messages=_date)
    period_end = fields.Date(required=True, error_messages=_date)


class AdjustInSchema(InputSchema):
    """A lower amount for a line (typed in yuan), and why."""

    amount_minor = fields.Integer(required=True, error_messages=REQUIRED)

    @pre_load
    def _from_yuan(self, data: Any, **_: Any) -> dict[str, Any]:
        values = dict(data)
        text = str(values.pop("amount_yuan", "")).strip()
        if text:
            values["amount_minor"] = _minor(text, "amount_yuan")
        return values

    reason = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, 2000))  # fmt: skip


class LineAdjustInSchema(InputSchema):
    """A lower amount for a line, in minor units, and why (the API's body)."""

    amount_minor = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(0, 10**13))  # fmt: skip
    reason = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, 2000))  # fmt: skip


@out_fields(integers="id rate_bp? fixed_minor? cap_per_deal_minor? cap_per_org_year_minor? min_basis_minor", strings="name_zh name_en? beneficiary region? evidence?", dates="valid_from valid_to?")  # fmt: skip
class PolicyOutSchema(Schema):
    """A policy's terms."""

    contract_types = fields.List(fields.String())
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")


PolicyPageSchema = page_of(PolicyOutSchema, "Every policy, newest first.", name="PolicyPageSchema")


@out_fields(integers="deal_id year basis_minor award_minor")
class LineDealOutSchema(Schema):
    """A deal behind a line: the basis and what it earns after the caps."""


@out_fields(integers="id run_id policy_id org_id computed_minor amount_minor", strings="policy organisation adjust_reason?", dates="period_start period_end")  # fmt: skip
class LineOutSchema(Schema):
    """What one organisation is owed under a policy for a period."""

    evidence = fields.String(allow_none=True, metadata={"description": "What to hand in"})
    status = fields.String(metadata={"description": "computed or approved"})
    deals = fields.List(fields.Nested(LineDealOutSchema))


LinePageSchema = page_of(LineOutSchema, "Lines, latest period first.", name="LinePageSchema")


RunLinePageSchema = page_of(
    LineOutSchema,
    "A page of a period's lines, highest id first; `next_cursor` is None on the last page.",
    name="RunLinePageSchema",
    cursor=True,
)


@out_fields(integers="id policy_id total_minor", strings="status", dates="period_start period_end")
class RunOutSchema(Schema):
    """A computed period with its lines and what the caller may do to it."""

    lines = fields.List(fields.Nested(LineOutSchema))
    allowed_actions = AllowedActions({"approve": services.check_approvable})


class PolicyDetailOutSchema(PolicyOutSchema):
    """A policy's terms and its computed periods, latest period first."""

    runs = fields.List(fields.Nested(RunOutSchema))
