"""API shapes of ending a deal early: a proposal or request, an answer, a ruling, the record.

Every step that writes takes `"confirm": true`: a client states it means the step,
as a person does on the confirmation page.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from core.domain import N_
from core.schema_kit import REQUIRED_NOT_NULL, EnumValue, InputSchema
from core.schema_out import out_fields
from deals.cancellation_rules import Answer, CancellationKind, Grounds, Side

_choose = N_("Choose one of the options.")
_CONFIRM = N_("Send “confirm”: true to take this step; nothing was changed.")


def _enum(enum: Any, **kwargs: Any) -> fields.Enum:
    return fields.Enum(
        enum, by_value=True, error_messages={**REQUIRED_NOT_NULL, "unknown": _choose}, **kwargs
    )


def _confirm() -> fields.Boolean:
    return fields.Boolean(
        required=True,
        validate=validate.Equal(True, error=_CONFIRM),
        error_messages={"required": _CONFIRM, "null": _CONFIRM},
        metadata={"description": "Must be true: the step is taken knowingly."},
    )


class CancellationInSchema(InputSchema):
    """Propose a cancellation by agreement (`reason`), or ask for a ruling (`grounds`, `statement`)."""

    kind = fields.String(
        required=True,
        validate=validate.OneOf(
            [CancellationKind.AGREEMENT.value, CancellationKind.RULING.value], error=_choose
        ),
        error_messages=REQUIRED_NOT_NULL,
    )
    reason = fields.String(load_default="", validate=validate.Length(max=2000))
    grounds = _enum(Grounds, load_default=None, allow_none=True)
    statement = fields.String(load_default="", validate=validate.Length(max=2000))
    confirm = _confirm()


class AnswerInSchema(InputSchema):
    """The other party agrees or declines; the party that asked withdraws."""

    answer = _enum(Answer, required=True)
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    confirm = _confirm()


class RulingInSchema(InputSchema):
    """A reviewer upholds the request naming the party at fault, or dismisses it."""

    outcome = fields.String(
        required=True,
        validate=validate.OneOf(["upheld", "dismissed"], error=_choose),
        error_messages=REQUIRED_NOT_NULL,
    )
    at_fault = _enum(Side, load_default=None, allow_none=True)
    reason = fields.String(required=True, error_messages=REQUIRED_NOT_NULL)
    confirm = _confirm()


@out_fields(integers="id deal_id", strings="statement? decision_note?", datetimes="created_at decided_at?", enums="kind status grounds at_fault")  # fmt: skip
class CancellationOutSchema(Schema):
    """A proposal, request or cancellation by the rules, with its outcome."""

    requested_by = EnumValue(attribute="requested_by_side")
