"""REST endpoints of co-owned results (`/api/v1/rights`): the rights holders and their
shares, the 赋权 agreement and its sign-off, the co-owners' consents, what is missing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from flask_smorest.fields import Upload as UploadField
from marshmallow import Schema, fields, validate

from accounts.auth import api_reader, api_writer, token_api
from accounts.models import User
from accounts.services import can_review
from core.api_actions import AllowedActions
from core.api_documents import document_args
from core.clock import now
from core.domain import N_, PermissionDenied
from core.marshmallow_messages import REQUIRED
from core.schema_kit import REQUIRED_NOT_NULL, EnumValue, InputSchema, optional
from core.schema_out import out_fields
from core.uow import unit_of_work
from listings import co_owners
from listings.co_owner_rules import MAX_HOLDERS, WHOLE_BP, HolderBasis
from listings.legal_rules import Purpose
from listings.models import Listing
from listings.services import get_listing

blp = token_api(
    "rights_api", __name__, "Co-owned results and rights given to researchers (职务科技成果赋权)"
)


class HolderInSchema(InputSchema):
    """An organisation of the market (`org_id`) or a person (`name`), its share and basis."""

    org_id = optional(fields.Integer, validate=validate.Range(1, 2**31 - 1))  # fmt: skip
    name = fields.String(load_default="", validate=validate.Length(max=200))
    share_bp = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(0, WHOLE_BP))  # fmt: skip
    basis = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf([b.value for b in HolderBasis]))  # fmt: skip
    use_until = optional(fields.Date)


class HoldersInSchema(InputSchema):
    holders = fields.List(fields.Nested(HolderInSchema), required=True, error_messages=REQUIRED, validate=validate.Length(max=MAX_HOLDERS))  # fmt: skip


class ConsentInSchema(InputSchema):
    holder_id = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(1, 2**31 - 1))  # fmt: skip
    purpose = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf([p.value for p in Purpose]))  # fmt: skip
    reference = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, co_owners.MAX_REFERENCE))  # fmt: skip


class AgreementFileSchema(Schema):
    """The 赋权 agreement (multipart): PDF, PNG, JPEG or WebP."""

    file = UploadField(required=True, error_messages=REQUIRED_NOT_NULL)


@out_fields(integers="id org_id?", strings="name", dates="use_until?")
class HolderOutSchema(Schema):
    share_bp = fields.Integer(metadata={"description": "Basis points; the holders' sum to 10000"})  # fmt: skip
    basis = EnumValue(metadata={"description": "ownership or right_of_use"})
    consents = fields.List(fields.String(), metadata={"description": "Purposes consented to"})


class AgreementOutSchema(Schema):
    id = fields.Integer()
    original_name = fields.String()
    uploaded_at = fields.DateTime()
    signed_off_at = fields.DateTime(allow_none=True)


def _may_sign_off(caller: User, rights: dict[str, Any], now: datetime) -> None:
    if not can_review(caller) or rights["agreement"] is None:
        raise PermissionDenied(N_("Only a reviewer signs off an attached agreement."))


def _may_change(caller: User, rights: dict[str, Any], now: datetime) -> None:
    if caller.acting_org_id != rights["listing"].organisation_id:
        raise PermissionDenied(N_("Only the organisation that owns this listing may change it."))


class RightsOutSchema(Schema):
    """Who holds the rights, the 赋权 agreement, and whose consent a sale or licence awaits."""

    listing_id = fields.Function(lambda r: r["listing"].id)
    holders = fields.Method("_holders")
    agreement = fields.Nested(AgreementOutSchema, allow_none=True)
    missing_for_transfer = fields.List(fields.String())
    missing_for_licence = fields.List(fields.String())
    allowed_actions = AllowedActions({"set_holders": _may_change, "attach_agreement": _may_change, "sign_off": _may_sign_off})  # fmt: skip

    def _holders(self, rights: dict[str, Any]) -> list[dict[str, Any]]:
        given: dict[int, set[str]] = {}
        for c in rights["consents"]:
            given.setdefault(c.holder_id, set()).add(c.purpose.value)
        rows = [{**HolderOutSchema(exclude=("consents",)).dump(h), "consents": sorted(given.get(h.id, ()))} for h in rights["holders"]]  # fmt: skip
        return rows


def _rights(listing: Listing, holders: list[Any]) -> dict[str, Any]:
    return {
        "listing": listing, "holders": holders, "agreement": co_owners.agreement_of(listing.id),
        "consents": co_owners.consents_of(listing.id),
        "missing_for_transfer": co_owners.missing_consents(listing, Purpose.TRANSFER),
        "missing_for_licence": co_owners.missing_consents(listing, Purpose.LICENCE),
    }  # fmt: skip


def _visible(actor: User | None, listing_id: int) -> dict[str, Any]:
    listing = get_listing(listing_id)
    return _rights(listing, co_owners.visible_holders(actor, listing))


@blp.read("/listings/<int:listing_id>", RightsOutSchema)
def rights(listing_id: int) -> dict[str, Any]:
    """The listing's rights holders, agreement and consents (owner, co-owners, reviewers)."""
    return _visible(api_reader(), listing_id)


@blp.write("/listings/<int:listing_id>/holders", 200, RightsOutSchema, 401, 403, 404, 422, args=HoldersInSchema, method="PUT", example={"holders": [{"org_id": 3, "share_bp": 6000, "basis": "ownership"}, {"name": "王伟", "share_bp": 4000, "basis": "right_of_use", "use_until": "2037-01-01"}]})  # fmt: skip
def set_holders(data: dict[str, Any], listing_id: int) -> dict[str, Any]:
    """The owner names the rights holders with their shares (summing to 100 %)."""
    holders = [co_owners.HolderInput(h["share_bp"], HolderBasis(h["basis"]), h["name"], h["org_id"], h["use_until"]) for h in data["holders"]]  # fmt: skip
    with unit_of_work():
        co_owners.set_holders(api_writer(), listing_id, holders, now=now())
        return _visible(api_writer(), listing_id)


@blp.write("/listings/<int:listing_id>/agreement", 201, RightsOutSchema, 401, 403, 404, 413, 422, files=AgreementFileSchema)  # fmt: skip
def attach_agreement(files: dict[str, Any], listing_id: int) -> dict[str, Any]:
    """The owner attaches the institution's 赋权 agreement (multipart: `file`)."""
    folder = co_owners.agreement_folder(current_app.config["UPLOAD_FOLDER"])
    with unit_of_work():
        co_owners.attach_agreement(
            api_writer(), listing_id, now=now(), **document_args(files, folder, packed=True)
        )
        return _visible(api_writer(), listing_id)


@blp.write("/listings/<int:listing_id>/agreement/sign-off", 200, RightsOutSchema, 401, 403, 404)
def sign_off(listing_id: int) -> dict[str, Any]:
    """A reviewer signs off the attached 赋权 agreement."""
    with unit_of_work():
        co_owners.sign_off_agreement(api_writer(), listing_id, now=now())
        return _visible(api_writer(), listing_id)


@blp.write("/listings/<int:listing_id>/consents", 201, RightsOutSchema, 401, 403, 404, 422, args=ConsentInSchema, example={"holder_id": 2, "purpose": "licence", "reference": "共有人同意书 2027-01-05"})  # fmt: skip
def consent(data: dict[str, Any], listing_id: int) -> dict[str, Any]:
    """A co-owner's consent to transfer or license (a reviewer records a person's)."""
    with unit_of_work():
        co_owners.record_consent(api_writer(), listing_id, data["holder_id"], Purpose(data["purpose"]), data["reference"], now=now())  # fmt: skip
        return _visible(api_writer(), listing_id)
