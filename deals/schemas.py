"""Deal input (the offline-deal form, API JSON) and output shapes; forms and API kept apart."""

from __future__ import annotations

from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, pre_load, validate

from core.api_actions import AllowedActions
from core.domain import N_
from core.schema_kit import (
    REQUIRED_NOT_NULL,
    InputSchema,
    StoredFileOutSchema,
    download_url,
    optional,
)
from core.schema_out import out_fields
from deals.actions import DEAL_ACTIONS
from deals.documents import DOCUMENT_KINDS
from deals.models import Channel, ContractType, DealStatus, SaleMethod

_choose = N_("Choose one of the options.")


def _blank_to_none(data: Any, names: tuple[str, ...]) -> Any:
    """Empty optional fields of an HTML form mean "not given"."""
    if not hasattr(data, "items"):
        return data
    return {
        key: (None if key in names and isinstance(value, str) and not value.strip() else value)
        for key, value in data.items()
    }


def _enum(enum: Any, **kwargs: Any) -> fields.Enum:
    return fields.Enum(
        enum,
        by_value=True,
        error_messages={**REQUIRED_NOT_NULL, "unknown": _choose},
        **kwargs,
    )


class _OfflineCommon(InputSchema):
    """What the form and the API share for an offline deal."""

    seller_name = fields.String(load_default="", validate=validate.Length(max=200))
    seller_credit_code = optional(fields.String)
    buyer_name = fields.String(load_default="", validate=validate.Length(max=200))
    buyer_credit_code = optional(fields.String)
    title = fields.String(load_default="", validate=validate.Length(max=300))
    method = _enum(SaleMethod, required=True)
    contract_type = _enum(ContractType, required=True)
    signed_on = fields.Date(
        required=True,
        error_messages={**REQUIRED_NOT_NULL, "invalid": N_("Give the date as YYYY-MM-DD.")},
    )
    listing_id = optional(
        fields.Integer,
        error_messages={"invalid": N_("Give the listing's number on the platform.")},
    )

    @pre_load
    def _blanks(self, data: Any, **_: Any) -> Any:
        return _blank_to_none(
            data, ("seller_credit_code", "buyer_credit_code", "listing_id", "signed_on")
        )


class OfflineDealFormSchema(_OfflineCommon):
    """The reviewer's offline-deal form; the price is typed in yuan and parsed by the view."""

    price = fields.String(required=True, error_messages=REQUIRED_NOT_NULL)


class ContractFileSchema(Schema):
    """A contract sent inside JSON: its file name and its bytes in base64."""

    filename = fields.String(required=True, validate=validate.Length(1, 255))
    content_base64 = fields.String(required=True, error_messages=REQUIRED_NOT_NULL)


class OfflineDealInSchema(_OfflineCommon):
    """POST /api/v1/deals/offline: the deal and its signed contract (PDF or image, base64)."""

    price_minor = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1, error=N_("The price must be more than zero.")),
        error_messages=REQUIRED_NOT_NULL,
        metadata={"description": "The contract amount in minor units (分)."},
    )
    contract = fields.Nested(ContractFileSchema, required=True, error_messages=REQUIRED_NOT_NULL)


class MilestoneInSchema(Schema):
    """The next milestone, and the patent office's registration number for rights registration."""

    status = _enum(
        DealStatus,
        required=True,
        metadata={"description": "signed, paid, rights_registered or completed"},
    )
    reference = optional(fields.String, validate=validate.Length(max=100))


class DocumentFormSchema(Schema):
    """The kind of document uploaded (multipart form field)."""

    kind = fields.String(
        load_default="other", validate=validate.OneOf(DOCUMENT_KINDS, error=_choose)
    )


class DocumentFileSchema(Schema):
    """The uploaded file (multipart)."""

    file = Upload(required=True, error_messages=REQUIRED_NOT_NULL)


class DealListArgsSchema(InputSchema):
    """Filters of GET /api/v1/deals (reviewers see every deal; others their own)."""

    channel = _enum(Channel, load_default=None)
    status = _enum(DealStatus, load_default=None)
    method = _enum(SaleMethod, load_default=None)


class PartySchema(Schema):
    """A side of the deal."""

    organisation_id = fields.Integer(allow_none=True)
    name = fields.String()


class DealDocumentOutSchema(StoredFileOutSchema):
    """A document of a deal; its file at `file_url`."""

    file_url = download_url("deals_api.document_file", "document_id")


@out_fields(integers="id price_minor listing_id? source_id?", strings="title currency source_type? rights_registration_ref? cancel_reason?", datetimes="created_at signed_at? paid_at? rights_registered_at? completed_at? cancelled_at?")  # fmt: skip
class DealOutSchema(Schema):
    """A deal of either channel with its milestones."""

    status = fields.String(attribute="status.value")
    method = fields.String(attribute="method.value")
    channel = fields.String(attribute="channel.value")
    contract_type = fields.String(attribute="contract_type.value")
    seller = fields.Method("_seller")
    buyer = fields.Method("_buyer")
    documents = fields.List(fields.Nested(DealDocumentOutSchema))
    allowed_actions = AllowedActions(DEAL_ACTIONS)

    def _seller(self, deal: Any) -> dict[str, Any]:
        return {"organisation_id": deal.seller_org_id, "name": deal.seller_name}

    def _buyer(self, deal: Any) -> dict[str, Any]:
        return {"organisation_id": deal.buyer_org_id, "name": deal.buyer_name}


@out_fields(integers="organisation_id?", strings="name credit_code?")
class RegistrationPartySchema(Schema):
    """A side of the contract as the registration record names it."""


@out_fields(integers="deal_id listing_id?", strings="contract_name official_category listing_title? rights_registration_ref?", booleans="ready_to_file", dates="signed_on?")  # fmt: skip
class RegistrationOutSchema(Schema):
    """The technology-contract registration record (技术合同认定登记) of a deal."""

    contract_type = fields.String(attribute="contract_type.value")
    seller = fields.Nested(RegistrationPartySchema)
    buyer = fields.Nested(RegistrationPartySchema)
    contract_amount_minor = fields.Integer(attribute="contract_amount.minor")
    transaction_amount_minor = fields.Integer(attribute="transaction_amount.minor")
    currency = fields.String(attribute="contract_amount.currency")
    channel = fields.String(attribute="channel.value")
    method = fields.String(attribute="method.value")
    status = fields.String(attribute="status.value")
    ip_numbers = fields.List(fields.String())
