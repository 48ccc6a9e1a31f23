"""Broker input (HTML forms and API JSON) and output shapes.

The HTML forms take yuan and percentages as people type them ("20,000", "1.5");
the API takes minor units (分) and basis points.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate

from brokers import accreditation, mandates
from brokers.actions import INTRODUCTION_ACTIONS, MANDATE_ACTIONS
from brokers.rules import BrokerLevel, CommissionKind, MandateSide, Payer
from core.api_actions import AllowedActions
from core.domain import N_
from core.marshmallow_messages import REQUIRED
from core.money import Money
from core.schema_kit import InputSchema, optional
from core.schema_out import out_fields, page_of

_date = {**REQUIRED, "invalid": N_("Give a date, like 2027-06-30.")}


def _choice(values: Any) -> validate.OneOf:
    return validate.OneOf([v.value for v in values], error=N_("Choose from the list."))


def day_start_utc(day: date, timezone: str = "Asia/Shanghai") -> datetime:
    """Midnight of a market day, in UTC."""
    return datetime.combine(day, time(), ZoneInfo(timezone)).astimezone(UTC)


def percent_to_bps(text: str, field: str) -> int:
    """'1.5' or '1.5%' → 150 basis points; at most two decimals."""
    cleaned = (text or "").strip().rstrip("%％").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError({field: [N_("Give the rate in percent, like 2 or 1.5.")]}) from None
    bps = value * 100
    if bps != bps.to_integral_value() or not value.is_finite():
        raise ValidationError({field: [N_("Give the rate in percent, like 2 or 1.5.")]})
    return int(bps)


def _yuan(field: str, value: str, *, required: bool) -> int | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise ValidationError({field: [N_("This field is required.")]})
        return None
    return Money.from_yuan_text(text, field=field).minor


def _split(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


def _application(
    data: dict[str, Any], *, split: Callable[[Any], list[str]]
) -> accreditation.Application:
    """The application an applicant sent; `split` reads its lists (the form's are typed "a, b")."""
    return accreditation.Application(
        level=BrokerLevel(data["level"]),
        certificate_number=data["certificate_number"],
        issuing_body=data["issuing_body"],
        expires_on=data["expires_on"],
        region=data["region"],
        expertise_fields=tuple(split(data["expertise_fields"])),
        languages=tuple(split(data["languages"])),
        bio=data["bio"],
    )


# --- HTML forms ----------------------------------------------------------------------------


class ApplicationFormSchema(InputSchema):
    """The application form: the certificate and the public profile."""

    level = fields.String(required=True, validate=_choice(BrokerLevel), error_messages=REQUIRED)
    certificate_number = fields.String(
        required=True, validate=validate.Length(1, 64), error_messages=REQUIRED
    )
    issuing_body = fields.String(
        required=True, validate=validate.Length(1, 200), error_messages=REQUIRED
    )
    expires_on = fields.Date(required=True, error_messages=_date)
    region = fields.String(required=True, validate=validate.Length(1, 64), error_messages=REQUIRED)
    expertise_fields = fields.Raw(load_default=list)
    languages = fields.Raw(load_default=list)
    bio = fields.String(load_default="", validate=validate.Length(max=5000))

    @pre_load
    def _strip(self, data: Any, **_: Any) -> Any:
        return {k: v.strip() if isinstance(v, str) else v for k, v in dict(data).items()}

    @post_load
    def _to_input(self, data: dict[str, Any], **_: Any) -> accreditation.Application:
        return _application(data, split=_split)


class MandateFormSchema(InputSchema):
    """The mandate form: scope, term (dates of the market), commission in percent or yuan."""

    broker_id = fields.Integer(
        required=True, error_messages={**REQUIRED, "invalid": N_("Choose a broker.")}
    )
    side = fields.String(required=True, validate=_choice(MandateSide), error_messages=REQUIRED)
    listing_id = optional(fields.Integer)
    need_id = optional(fields.Integer)
    exclusive = fields.Boolean(load_default=False)
    starts_on = fields.Date(required=True, error_messages=_date)
    ends_on = fields.Date(required=True, error_messages=_date)
    notice_days = fields.Integer(
        load_default=30, error_messages={"invalid": N_("Give a whole number of days.")}
    )
    commission_kind = fields.String(
        required=True, validate=_choice(CommissionKind), error_messages=REQUIRED
    )
    rate = fields.String(load_default="")
    minimum = fields.String(load_default="")
    maximum = fields.String(load_default="")
    fixed_fee = fields.String(load_default="")
    payer = fields.String(required=True, validate=_choice(Payer), error_messages=REQUIRED)
    above_cap_agreed = fields.Boolean(load_default=False)
    scope_note = fields.String(load_default="", validate=validate.Length(max=5000))

    def __init__(self, *args: Any, timezone: str = "Asia/Shanghai", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone = timezone

    @pre_load
    def _clean(self, data: Any, **_: Any) -> Any:
        cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in dict(data).items()}
        for key in ("listing_id", "need_id"):
            if cleaned.get(key) == "":
                cleaned[key] = None
        return cleaned

    @post_load
    def _to_input(self, data: dict[str, Any], **_: Any) -> mandates.MandateInput:
        kind = CommissionKind(data["commission_kind"])
        values: dict[str, Any] = {}
        if kind == CommissionKind.PERCENTAGE:
            if not data["rate"]:
                raise ValidationError({"rate": [N_("This field is required.")]})
            values["rate_bps"] = percent_to_bps(data["rate"], "rate")
            values["min_minor"] = _yuan("minimum", data["minimum"], required=False)
            values["max_minor"] = _yuan("maximum", data["maximum"], required=False)
        else:
            values["fixed_minor"] = _yuan("fixed_fee", data["fixed_fee"], required=True)
        return mandates.MandateInput(
            broker_id=data["broker_id"],
            side=MandateSide(data["side"]),
            listing_id=data["listing_id"],
            need_id=data["need_id"],
            exclusive=data["exclusive"],
            starts_at=day_start_utc(data["starts_on"], self.timezone),
            ends_at=day_start_utc(data["ends_on"] + timedelta(days=1), self.timezone),
            notice_days=data["notice_days"],
            commission_kind=kind,
            payer=Payer(data["payer"]),
            above_cap_agreed=data["above_cap_agreed"],
            scope_note=data["scope_note"],
            **values,
        )


class RatingFormSchema(InputSchema):
    """A rating of a broker: 1–5 and a comment."""

    broker_id = fields.Integer(required=True, error_messages=REQUIRED)
    score = fields.Integer(
        required=True,
        validate=validate.Range(1, 5, error=N_("Give a score from 1 to 5.")),
        error_messages={**REQUIRED, "invalid": N_("Give a score from 1 to 5.")},
    )
    comment = fields.String(load_default="")


# --- API -----------------------------------------------------------------------------------


class ApplicationInSchema(InputSchema):
    """An application for accreditation."""

    level = fields.String(required=True, validate=_choice(BrokerLevel))
    certificate_number = fields.String(required=True, validate=validate.Length(1, 64))
    issuing_body = fields.String(required=True, validate=validate.Length(1, 200))
    expires_on = fields.Date(required=True, metadata={"description": "ISO date, inclusive"})
    region = fields.String(required=True, validate=validate.Length(1, 64))
    expertise_fields = fields.List(fields.String(), load_default=list)
    languages = fields.List(fields.String(), load_default=lambda: ["zh"])
    bio = fields.String(load_default="")

    @post_load
    def _to_input(self, data: dict[str, Any], **_: Any) -> accreditation.Application:
        return _application(data, split=list)


class DecisionInSchema(InputSchema):
    """A reviewer's note (accredit) or reason (refuse)."""

    reason = fields.String(load_default="")


@out_fields(integers="id completed_deals rating_count", strings="name organisation certificate_number issuing_body region", floats="rating_average?", dates="expires_on")  # fmt: skip
class BrokerOutSchema(Schema):
    """A broker's public profile."""

    level = fields.String(metadata={"description": "junior, intermediate or senior"})
    status = fields.String(metadata={"description": "pending, accredited or refused"})
    expertise_fields = fields.List(fields.String())
    languages = fields.List(fields.String())
    accredited = fields.Boolean(metadata={"description": "Accredited and not expired today"})


BrokerListSchema = page_of(BrokerOutSchema, "The broker directory.", name="BrokerListSchema")


class DirectoryArgsSchema(InputSchema):
    """Filters of the directory."""

    field = fields.String(load_default=None)
    region = fields.String(load_default=None)


class MandateInSchema(InputSchema):
    """A mandate proposal: money in minor units, the rate in basis points."""

    broker_id = fields.Integer(required=True, strict=True)
    side = fields.String(required=True, validate=_choice(MandateSide))
    listing_id = optional(fields.Integer, strict=True)
    need_id = optional(fields.Integer, strict=True)
    exclusive = fields.Boolean(load_default=False)
    starts_at = fields.AwareDateTime(required=True, default_timezone=UTC)
    ends_at = fields.AwareDateTime(required=True, default_timezone=UTC)
    notice_days = fields.Integer(load_default=30, strict=True)
    commission_kind = fields.String(required=True, validate=_choice(CommissionKind))
    rate_bps = optional(fields.Integer, strict=True)
    min_minor = optional(fields.Integer, strict=True)
    max_minor = optional(fields.Integer, strict=True)
    fixed_minor = optional(fields.Integer, strict=True)
    payer = fields.String(required=True, validate=_choice(Payer))
    above_cap_agreed = fields.Boolean(
        load_default=False,
        metadata={"description": "The principal agreed to a rate above the 5 % reference"},
    )
    scope_note = fields.String(load_default="")

    @post_load
    def _to_input(self, data: dict[str, Any], **_: Any) -> mandates.MandateInput:
        data["side"] = MandateSide(data["side"])
        data["commission_kind"] = CommissionKind(data["commission_kind"])
        data["payer"] = Payer(data["payer"])
        return mandates.MandateInput(**data)


@out_fields(integers="id broker_id principal_org_id listing_id? need_id? notice_days rate_bps? min_minor? max_minor? fixed_minor?", strings="currency", booleans="exclusive", datetimes="starts_at ends_at terminates_at? principal_accepted_at? broker_accepted_at?", enums="side status commission_kind payer")  # fmt: skip
class MandateOutSchema(Schema):
    """A mandate and where it stands."""

    allowed_actions = AllowedActions(MANDATE_ACTIONS)


class ReasonInSchema(InputSchema):
    """A reason (required to end a mandate)."""

    reason = fields.String(load_default="")


class IntroductionInSchema(InputSchema):
    """An introduction: a listing and a buyer organisation, or a listing and a need."""

    listing_id = fields.Integer(required=True, strict=True)
    buyer_org_id = optional(fields.Integer, strict=True)
    need_id = optional(fields.Integer, strict=True)
    note = fields.String(load_default="")


@out_fields(integers="id mandate_id broker_id listing_id need_id? seller_org_id buyer_org_id negotiation_id?", datetimes="created_at seller_accepted_at? buyer_accepted_at? accepted_at?", enums="kind status")  # fmt: skip
class IntroductionOutSchema(Schema):
    """An introduction and its answers."""

    allowed_actions = AllowedActions(INTRODUCTION_ACTIONS)


@out_fields(integers="deal_id price_minor commission_minor mandate_id", strings="deal_title deal_status currency payer")  # fmt: skip
class StatementLineSchema(Schema):
    """One deal on the statement."""

    paid = fields.Boolean(
        allow_none=True, metadata={"description": "From the payments ledger; null: not posted"}
    )


class StatementSchema(Schema):
    """A broker's statement."""

    lines = fields.List(fields.Nested(StatementLineSchema))
    earned = fields.Dict(keys=fields.String(), values=fields.Integer())
    paid = fields.Dict(keys=fields.String(), values=fields.Integer())
    outstanding = fields.Dict(keys=fields.String(), values=fields.Integer())
