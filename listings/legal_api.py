"""REST endpoints of patents' legal status (法律状态) and pledgees' consents, attached to the
listings API blueprint: reviewers read a listing's patents with their history and record
a status or a pledgee's consent from the register, as on the reviewers' page."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from accounts.auth import api_reader, api_writer
from accounts.services import require_reviewer
from core.clock import now
from core.domain import N_, NotFound
from core.marshmallow_messages import REQUIRED
from core.schema_kit import EnumValue, InputSchema, optional
from core.schema_out import out_fields
from core.uow import unit_of_work
from listings import legal_status
from listings.api import blp
from listings.legal_rules import LegalStatus, Purpose
from listings.models import IPAsset, PatentStatusRecord, PledgeeConsent
from listings.services import get_listing


class LegalStatusInSchema(InputSchema):
    """A patent's status as the register shows it, as of a date, with its source."""

    ip_asset_id = fields.Integer(required=True, error_messages=REQUIRED, metadata={"description": "A patent of this listing"})  # fmt: skip
    status = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf([s.value for s in LegalStatus]))  # fmt: skip
    effective_on = fields.Date(required=True, error_messages=REQUIRED)
    source = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, legal_status.MAX_TEXT))  # fmt: skip
    pledgee = optional(fields.String, validate=validate.Length(max=200), metadata={"description": "The pledgee (质权人), required when `status` is pledged"})  # fmt: skip


class PledgeeConsentInSchema(InputSchema):
    """The pledgee's written consent to transfer or license a pledged patent."""

    ip_asset_id = fields.Integer(required=True, error_messages=REQUIRED)
    purpose = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf([p.value for p in Purpose]))  # fmt: skip
    reference = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, legal_status.MAX_TEXT), metadata={"description": "The letter of consent or its filing"})  # fmt: skip


@out_fields(integers="id", strings="patent_number source pledgee?", dates="effective_on", datetimes="recorded_at", enums="status")  # fmt: skip
class StatusRecordOutSchema(Schema):
    """A status recorded from the register."""


@out_fields(integers="id", strings="patent_number pledgee reference", datetimes="recorded_at")
class ConsentOutSchema(Schema):
    """A pledgee's consent recorded."""

    purpose = EnumValue(metadata={"description": "transfer or licence"})


class PatentLegalOutSchema(Schema):
    """A patent of the listing: its status in force, its history (latest first), its consents."""

    ip_asset_id = fields.Integer()
    number = fields.String()
    status = fields.String(allow_none=True, metadata={"description": "In force; null when nothing is recorded"})  # fmt: skip
    records = fields.List(fields.Nested(StatusRecordOutSchema))
    consents = fields.List(fields.Nested(ConsentOutSchema))


class ListingLegalOutSchema(Schema):
    """The legal status of a listing's patents."""

    listing_id = fields.Integer()
    patents = fields.List(fields.Nested(PatentLegalOutSchema))


def _patent(asset: IPAsset) -> dict[str, Any]:
    current = legal_status.status_of(asset.number)
    return {
        "ip_asset_id": asset.id, "number": asset.number,
        "status": None if current is None else current.status.value,
        "records": legal_status.records_of(asset.number),
        "consents": legal_status.consents_of(asset.number),
    }  # fmt: skip


def _asset_of(listing_id: int, ip_asset_id: int) -> int:
    """The patent, if it is one of the listing's (the URL names the listing)."""
    if ip_asset_id not in {a.id for a in get_listing(listing_id).ip_assets}:
        raise NotFound(N_("No such patent."))
    return ip_asset_id


@blp.read("/<int:listing_id>/legal-status", ListingLegalOutSchema, 401, 403)
def legal_status_of(listing_id: int) -> dict[str, Any]:
    """Reviewers: each patent's legal status, its history and the pledgees' consents."""
    require_reviewer(api_reader())
    listing = get_listing(listing_id)
    return {"listing_id": listing.id, "patents": [_patent(a) for a in listing.ip_assets]}


@blp.write("/<int:listing_id>/legal-status", 201, StatusRecordOutSchema, 401, 403, 404, 422, args=LegalStatusInSchema, example={"ip_asset_id": 3, "status": "pledged", "effective_on": "2026-02-01", "source": "国家知识产权局专利登记簿", "pledgee": "上海银行"})  # fmt: skip
def record_legal_status(data: dict[str, Any], listing_id: int) -> PatentStatusRecord:
    """A reviewer records a patent's legal status from the register (a pledge names its pledgee)."""
    new = legal_status.NewStatus(
        LegalStatus(data["status"]), data["effective_on"], data["source"], data["pledgee"]
    )
    with unit_of_work():
        asset_id = _asset_of(listing_id, data["ip_asset_id"])
        return legal_status.record_status(api_writer(), asset_id, new, now=now())


@blp.write("/<int:listing_id>/pledgee-consents", 201, ConsentOutSchema, 401, 403, 404, (409, "The patent is not pledged (`not_pledged`)."), 422, args=PledgeeConsentInSchema, example={"ip_asset_id": 3, "purpose": "licence", "reference": "质权人同意函 2026-017"})  # fmt: skip
def record_pledgee_consent(data: dict[str, Any], listing_id: int) -> PledgeeConsent:
    """A reviewer records the pledgee's written consent to transfer or license the patent."""
    with unit_of_work():
        asset_id = _asset_of(listing_id, data["ip_asset_id"])
        return legal_status.record_consent(
            api_writer(), asset_id, Purpose(data["purpose"]), data["reference"], now=now()
        )
