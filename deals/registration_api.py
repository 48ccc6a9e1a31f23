"""REST endpoints of a deal's registration form (技术合同认定登记), attached to the deals API
blueprint: the form's fields the seller (or a reviewer) completes, and the certificate
number (登记证明编号) a reviewer records once the office has registered the contract."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import Schema, fields, validate

from accounts.auth import api_actor, api_writer
from accounts.models import User
from accounts.services import can_review, require_reviewer
from core.api_actions import AllowedActions
from core.clock import now
from core.extensions import db
from core.marshmallow_messages import REQUIRED
from core.schema_kit import InputSchema
from core.schema_out import out_fields
from core.uow import unit_of_work
from deals import registration_details, services
from deals.api import blp
from deals.models import DealRegistration
from deals.registration_rules import (
    MAX_CERTIFICATE_NUMBER,
    MAX_CONTRACT_NUMBER,
    MAX_PROJECT_NAME,
    PAYMENT_METHODS,
    RegistrationDetails,
)

_DETAILS = ("contract_number", "project_name", "contract_subtype", "technology_field", "seller_region_code", "buyer_region_code", "term_start", "term_end", "transaction_amount_minor", "payment_method")  # fmt: skip
_EXAMPLE = {"contract_number": "HT-2026-001", "project_name": "固态电池正极材料专利转让", "contract_subtype": "patent_right", "technology_field": "energy", "seller_region_code": "310104", "buyer_region_code": "370102", "term_start": "2026-03-01", "term_end": "2027-02-28", "transaction_amount_minor": 40_000_000, "payment_method": "lump_sum"}  # fmt: skip


def _text(limit: int, description: str = "") -> fields.String:
    meta = {"description": description} if description else {}
    return fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, limit), metadata=meta)  # fmt: skip


class RegistrationDetailsInSchema(InputSchema):
    """The registration form's fields a deal does not carry by itself."""

    contract_number = _text(MAX_CONTRACT_NUMBER)
    project_name = _text(MAX_PROJECT_NAME)
    contract_subtype = _text(32, "合同子类 under the deal's contract type, e.g. patent_right")
    technology_field = _text(32, "A field of the market, e.g. energy")
    seller_region_code = _text(6, "行政区划代码, six digits")
    buyer_region_code = _text(6, "行政区划代码, six digits")
    term_start = fields.Date(required=True, error_messages=REQUIRED)
    term_end = fields.Date(required=True, error_messages=REQUIRED)
    transaction_amount_minor = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(0, 10**13), metadata={"description": "技术交易额, within the contract amount"})  # fmt: skip
    payment_method = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf(list(PAYMENT_METHODS)))  # fmt: skip


class CertificateInSchema(InputSchema):
    """The certificate number the registration office printed."""

    certificate_number = _text(MAX_CERTIFICATE_NUMBER)


def _may_save(caller: User, form: dict[str, Any], now: datetime) -> bool:
    deal, row = form["deal"], form["row"]
    if can_review(caller):
        return True
    seller = caller.acting_org_id is not None and caller.acting_org_id == deal.seller_org_id
    return seller and not (row is not None and row.certificate_number)


def _may_certify(caller: User, form: dict[str, Any], now: datetime) -> bool:
    require_reviewer(caller)
    return form["row"] is not None


@out_fields(integers="deal_id transaction_amount_minor?", strings="contract_number? project_name? contract_subtype? technology_field? seller_region_code? buyer_region_code? payment_method? certificate_number?", booleans="completed", dates="term_start? term_end?", datetimes="certified_at?")  # fmt: skip
class RegistrationFormOutSchema(Schema):
    """A deal's registration form: its fields (null until completed) and the certificate."""

    allowed_actions = AllowedActions({"save_details": _may_save, "record_certificate": _may_certify})  # fmt: skip


def _form(deal_id: int, row: DealRegistration | None = None) -> dict[str, Any]:
    deal = services.get_deal(deal_id)
    row = row if row is not None else db.session.get(DealRegistration, deal_id)
    shown = {name: getattr(row, name, None) for name in (*_DETAILS, "certificate_number", "certified_at")}  # fmt: skip
    return {"deal_id": deal_id, "completed": row is not None, **shown, "deal": deal, "row": row}


@blp.read("/<int:deal_id>/registration/form", RegistrationFormOutSchema, 404)
def registration_form(deal_id: int) -> dict[str, Any]:
    """The registration form of a deal, for its parties and the reviewers."""
    services.visible_deal(api_actor(), deal_id)
    return _form(deal_id)


@blp.write("/<int:deal_id>/registration/form", 200, RegistrationFormOutSchema, 401, 403, 404, (409, "The contract is registered: only a reviewer corrects the form (`registered`)."), 422, args=RegistrationDetailsInSchema, method="PUT", example=_EXAMPLE)  # fmt: skip
def save_registration_form(data: dict[str, Any], deal_id: int) -> dict[str, Any]:
    """The seller (or a reviewer) completes or corrects the registration form's fields."""
    details = RegistrationDetails(**{name: data[name] for name in _DETAILS})
    with unit_of_work():
        row = registration_details.save_details(api_writer(), deal_id, details, now=now())
        return _form(deal_id, row)


@blp.write("/<int:deal_id>/registration/form/certificate", 200, RegistrationFormOutSchema, 401, 403, 404, (409, "The form is not completed yet (`registration_incomplete`)."), 422, args=CertificateInSchema, example={"certificate_number": "3101042026000123"})  # fmt: skip
def record_registration_certificate(data: dict[str, Any], deal_id: int) -> dict[str, Any]:
    """A reviewer records the certificate number the registration office issued."""
    with unit_of_work():
        row = registration_details.record_certificate(
            api_writer(), deal_id, data["certificate_number"], now=now()
        )
        return _form(deal_id, row)
