"""REST endpoints of a cross-border deal's technology import/export record (技术进出口合同登记),
attached to the deals API blueprint: the record for its parties and reviewers, the Chinese party's
(or a reviewer's) details, a reviewer's check against the catalogues and certificate number."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Response
from marshmallow import Schema, fields, validate

from accounts.auth import api_actor, api_writer
from accounts.models import User
from accounts.services import require_reviewer
from core.api_actions import AllowedActions
from core.clock import now
from core.marshmallow_messages import REQUIRED
from core.schema_kit import EnumValue, InputSchema
from core.schema_out import out_fields
from core.uow import unit_of_work
from deals import trade_records
from deals.api import blp
from deals.trade_rules import MAX_TERMS, CheckOutcome, TechCategory, TradeDetails

_RECORD = ("category", "catalogue_ref", "usd_minor", "payment_terms", "licence_number", "check_outcome", "check_note", "checked_at", "certificate_number", "certified_at")  # fmt: skip
_STATE = (409, "A domestic or cancelled deal (`domestic`, `deal_closed`), or a record the check has not cleared (`not_cleared`).")  # fmt: skip


class TradeRecordInSchema(InputSchema):
    """What the party in China (or a reviewer) gives for the record."""

    category = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf([c.value for c in TechCategory]))  # fmt: skip
    catalogue_ref = fields.String(load_default="", validate=validate.Length(max=64), metadata={"description": "Required for a restricted or prohibited technology"})  # fmt: skip
    # The rules name the amount `usd_amount`: their refusals then name this field.
    usd_minor = fields.Integer(required=True, error_messages=REQUIRED, attribute="usd_amount", validate=validate.Range(0, 10**13), metadata={"description": "The contract amount in US cents"})  # fmt: skip
    payment_terms = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, MAX_TERMS))  # fmt: skip
    licence_number = fields.String(load_default="", validate=validate.Length(max=64), metadata={"description": "技术进出口许可证, for a restricted technology"})  # fmt: skip


class TradeCheckInSchema(InputSchema):
    """The reviewer's note on the check (optional)."""

    note = fields.String(load_default="", validate=validate.Length(max=2000))


class TradeCertificateInSchema(InputSchema):
    """The registration certificate number the office issued."""

    certificate_number = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, 64))  # fmt: skip


def _may_save(caller: User, view: dict[str, Any], now: datetime) -> bool:
    return trade_records.may_complete(caller, view["view"])


def _may_check(caller: User, view: dict[str, Any], now: datetime) -> bool:
    require_reviewer(caller)
    return view["completed"]


def _may_certify(caller: User, view: dict[str, Any], now: datetime) -> bool:
    require_reviewer(caller)
    return view["check_outcome"] == CheckOutcome.CLEARED


@out_fields(integers="deal_id usd_minor?", strings="seller_country buyer_country catalogue_ref? payment_terms? licence_number? check_note? certificate_number?", booleans="completed", datetimes="checked_at? certified_at?", enums="category?")  # fmt: skip
class TradeRecordOutSchema(Schema):
    """The deal's import/export record: its direction, the details once given, the check."""

    direction = EnumValue(allow_none=True, metadata={"description": "export, import, or null (domestic)"})  # fmt: skip
    check_outcome = EnumValue(allow_none=True, metadata={"description": "cleared, licence_required or prohibited"})  # fmt: skip
    allowed_actions = AllowedActions({"save": _may_save, "check": _may_check, "certify": _may_certify})  # fmt: skip


def _shown(deal_id: int) -> dict[str, Any]:
    view = trade_records.view_for(api_actor(), deal_id)
    record = {name: getattr(view.record, name, None) for name in _RECORD}
    return {
        "deal_id": deal_id, "deal": view.deal, "view": view, "direction": view.direction,
        "seller_country": view.seller_country, "buyer_country": view.buyer_country,
        "completed": view.record is not None, **record,
    }  # fmt: skip


@blp.read("/<int:deal_id>/trade-record", TradeRecordOutSchema, 404)
def trade_record(deal_id: int) -> dict[str, Any]:
    """The import/export record of a deal, for its parties and the reviewers."""
    return _shown(deal_id)


@blp.download("/<int:deal_id>/trade-record.csv", ("text/csv",), "The record as one CSV row under its header (UTF-8), the same as the record's page gives")  # fmt: skip
def trade_record_file(deal_id: int) -> Response:
    """The import/export record as CSV, for the deal's parties and the reviewers."""
    view = trade_records.view_for(api_actor(), deal_id)
    return Response(
        trade_records.record_csv(view),
        mimetype="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{trade_records.csv_name(deal_id)}"',
            "Cache-Control": "private, no-store",
        },
    )


@blp.write("/<int:deal_id>/trade-record", 200, TradeRecordOutSchema, 401, 403, 404, _STATE, 422, args=TradeRecordInSchema, method="PUT", example={"category": "free", "catalogue_ref": "", "usd_minor": 7_000_000, "payment_terms": "签约付30%，交付后付70%", "licence_number": ""})  # fmt: skip
def save_trade_record(data: dict[str, Any], deal_id: int) -> dict[str, Any]:
    """The party in China (or a reviewer) completes or corrects the record; a changed category or
    licence sets the check aside."""
    details = TradeDetails(
        TechCategory(data["category"]), data["catalogue_ref"], data["usd_amount"],
        data["payment_terms"], data["licence_number"],
    )  # fmt: skip
    with unit_of_work():
        trade_records.save(api_writer(), deal_id, details, now=now())
        return _shown(deal_id)


@blp.write("/<int:deal_id>/trade-record/check", 200, TradeRecordOutSchema, 401, 403, 404, 422, args=TradeCheckInSchema, example={"note": "对照《中国禁止出口限制出口技术目录》，属自由出口技术。"})  # fmt: skip
def check_trade_record(data: dict[str, Any], deal_id: int) -> dict[str, Any]:
    """A reviewer checks the category against the catalogues (the outcome follows from it)."""
    with unit_of_work():
        trade_records.check(api_writer(), deal_id, data["note"], now=now())
        return _shown(deal_id)


@blp.write("/<int:deal_id>/trade-record/certificate", 200, TradeRecordOutSchema, 401, 403, 404, _STATE, 422, args=TradeCertificateInSchema, example={"certificate_number": "2026310000EXP000123"})  # fmt: skip
def certify_trade_record(data: dict[str, Any], deal_id: int) -> dict[str, Any]:
    """A reviewer records the registration certificate number of a cleared record."""
    with unit_of_work():
        trade_records.certify(api_writer(), deal_id, data["certificate_number"], now=now())
        return _shown(deal_id)
