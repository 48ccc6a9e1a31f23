"""Technology need input (API JSON and the HTML form) and output shapes."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, pre_load, validate
from werkzeug.datastructures import MultiDict

from core.api_actions import AllowedActions
from core.domain import N_
from core.marshmallow_messages import REQUIRED
from core.money import Money
from core.schema_kit import InputSchema, optional
from core.schema_out import out_fields
from listings.need_actions import NEED_ACTIONS
from listings.need_rules import NeedInput, NeedStatus
from listings.schemas import OrganisationRefSchema, TechnologyTermsSchema, split_list


class NeedInputSchema(TechnologyTermsSchema):
    """A need as the API and the form send it (money in minor units, 分)."""

    title = fields.String(required=True, validate=validate.Length(max=300), error_messages=REQUIRED)
    problem = fields.String(
        required=True, validate=validate.Length(max=5000), error_messages=REQUIRED
    )
    budget_min_minor = optional(
        fields.Integer,
        metadata={"description": "Lowest budget in minor units (分); null when open."},
    )
    budget_max_minor = optional(
        fields.Integer,
        metadata={"description": "Highest budget in minor units (分); null when open."},
    )
    deadline = optional(
        fields.Date,
        error_messages={"invalid": N_("Give the deadline as a date (YYYY-MM-DD).")},
    )
    min_trl = optional(
        fields.Integer,
        validate=validate.Range(1, 9, error=N_("Maturity (TRL) must be between 1 and 9.")),
        error_messages={"invalid": N_("Maturity (TRL) must be between 1 and 9.")},
        metadata={"description": "The lowest technology readiness level that would do (1–9)."},
    )

    @pre_load
    def _blanks_are_none(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if isinstance(data, dict):
            for name in ("deadline", "min_trl", "budget_min_minor", "budget_max_minor"):
                if data.get(name) == "":
                    data = {**data, name: None}
        return data

    @post_load
    def _to_input(self, data: dict[str, Any], **_: Any) -> NeedInput:
        for name in ("ipc_classes", "transfer_modes", "keywords"):
            data[name] = tuple(data[name])
        return NeedInput(**data)


def need_form_to_input(form: MultiDict) -> dict[str, Any]:
    """The HTML form as the API's JSON shape (budgets typed in yuan become 分, lists split).

    A budget that cannot be read raises ValidationFailed on its field.
    """
    data: dict[str, Any] = {
        "title": form.get("title", "").strip(),
        "problem": form.get("problem", "").strip(),
        "field": form.get("field", ""),
        "region": form.get("region", "").strip(),
        "ipc_classes": split_list(form.get("ipc_classes", "")),
        "keywords": split_list(form.get("keywords", "")),
        "transfer_modes": form.getlist("transfer_modes"),
        "deadline": form.get("deadline", "").strip() or None,
        "min_trl": form.get("min_trl", "").strip() or None,
    }
    for name in ("budget_min", "budget_max"):
        text = form.get(name, "").strip()
        data[f"{name}_minor"] = Money.from_yuan_text(text, field=name).minor if text else None
    return data


def form_field(name: str | None) -> str:
    """The form's field name for an error on an API field (budgets are typed in yuan)."""
    if not name:
        return "_form"
    return name.removesuffix("_minor")


@out_fields(integers="id budget_min_minor? budget_max_minor? min_trl?", strings="title problem field region currency close_reason?", dates="deadline?", datetimes="created_at updated_at closed_at?", enums="status")  # fmt: skip
class NeedOutSchema(Schema):
    """A need as the API returns it."""

    ipc_classes = fields.List(fields.String())
    keywords = fields.List(fields.String())
    transfer_modes = fields.List(fields.String())
    organisation = fields.Nested(OrganisationRefSchema)
    highlights = fields.Method("_highlights")
    allowed_actions = AllowedActions(NEED_ACTIONS)

    def _highlights(self, need: Any) -> dict[str, str]:
        return getattr(need, "highlights", {})


class NeedCloseSchema(InputSchema):
    """Why a need is closed or withdrawn (optional)."""

    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class MyNeedsArgsSchema(InputSchema):
    """Query string of GET /api/v1/needs/mine."""

    status = fields.Enum(NeedStatus, by_value=True, load_default=None)


class ReasonOutSchema(Schema):
    """Why a match was suggested."""

    code = fields.String()
    text = fields.String()


@out_fields(integers="price_minor?", strings="currency text url", datetimes="deadline starts_at?")
class MatchSaleOutSchema(Schema):
    """The sale a suggested listing is in right now, and the deadline a buyer has to act by."""

    kind = fields.String(
        metadata={"enum": ["listed_sale", "public_notice", "auction_scheduled", "auction_running"]}
    )
    sale_id = fields.Integer(metadata={"description": "the listed sale's, notice's or auction's"})


@out_fields(integers="listing_id", strings="title", floats="score")
class ListingMatchOutSchema(Schema):
    """A listing suggested for a need."""

    reasons = fields.List(fields.Nested(ReasonOutSchema))
    sale = fields.Nested(MatchSaleOutSchema, allow_none=True)
