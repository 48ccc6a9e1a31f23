"""The forms of open licences: yuan and percentages as people type them, into 分 and basis points."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from marshmallow import ValidationError, fields, pre_load, validate

from core.domain import N_, DomainError
from core.marshmallow_messages import REQUIRED
from core.money import from_yuan_text
from core.schema_kit import InputSchema, optional
from licences.declarations import Declaration
from licences.rules import FeeKind, FeeTerms, PaymentMethod

_choice = N_("Choose from the list.")


def _percent_bp(text: str, field: str) -> int:
    """'1.5' or '1.5%' → 150 basis points; at most two decimals."""
    cleaned = text.strip().rstrip("%％").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError({field: [N_("Give the rate in percent, like 2 or 1.5.")]}) from None
    bp = value * 100
    if not value.is_finite() or bp != bp.to_integral_value() or abs(bp) > 10**6:
        raise ValidationError({field: [N_("Give the rate in percent, like 2 or 1.5.")]})
    return int(bp)


def _minor(text: str, field: str) -> int:
    try:
        return from_yuan_text(text, field=field).minor
    except DomainError as error:
        raise ValidationError({field: [error.text()]}) from None


class DeclarationFormSchema(InputSchema):
    """The patentee's declaration form."""

    ip_asset_id = fields.Integer(required=True, error_messages=REQUIRED)
    fee_kind = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf([k.value for k in FeeKind], error=_choice))  # fmt: skip
    lump_sum_minor = optional(fields.Integer)
    entry_fee_minor = optional(fields.Integer)
    royalty_bp = optional(fields.Integer)
    payment_method = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf([m.value for m in PaymentMethod], error=_choice))  # fmt: skip
    term_years = fields.Integer(required=True, error_messages=REQUIRED)

    @pre_load
    def _from_form(self, data: Any, **_: Any) -> dict[str, Any]:
        values = {k: v for k, v in dict(data).items() if v not in ("", None)}
        for name in ("lump_sum", "entry_fee"):
            text = str(data.get(f"{name}_yuan", "")).strip()
            if text:
                values[f"{name}_minor"] = _minor(text, f"{name}_yuan")
        rate = str(data.get("royalty_percent", "")).strip()
        if rate:
            values["royalty_bp"] = _percent_bp(rate, "royalty_percent")
        return values


def declaration_input(data: dict[str, Any], report: Any = None) -> Declaration:
    """The use case's input from the loaded form."""
    terms = FeeTerms(
        FeeKind(data["fee_kind"]),
        lump_sum_minor=data["lump_sum_minor"],
        entry_fee_minor=data["entry_fee_minor"],
        royalty_bp=data["royalty_bp"],
    )
    return Declaration(
        ip_asset_id=data["ip_asset_id"],
        terms=terms,
        payment_method=PaymentMethod(data["payment_method"]),
        term_years=data["term_years"],
        report=report,
    )
