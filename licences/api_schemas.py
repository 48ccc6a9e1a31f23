"""Open licences in the API: query arguments, the notice, and what a declaration or licence shows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import Schema, fields, validate

from accounts.models import User
from core.api_actions import AllowedActions
from core.domain import N_, PermissionDenied
from core.marshmallow_messages import REQUIRED
from core.schema_kit import EnumValue, InputSchema
from licences import grants, rules
from licences.models import OpenLicenceDeclaration


class CatalogueArgsSchema(InputSchema):
    """Words (title, summary, patent number) and a technology field."""

    q = fields.String(load_default="", validate=validate.Length(max=200))
    field = fields.String(load_default="", validate=validate.Length(max=32))


class NoticeInSchema(InputSchema):
    """The written notice (书面通知) that accepts the published terms."""

    notice = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, grants.MAX_NOTICE))  # fmt: skip


def _may_take(caller: User, declaration: OpenLicenceDeclaration, now: datetime) -> None:
    org = caller.organisation if caller.acting_org_id else None
    if org is None or not org.is_verified:
        raise PermissionDenied(N_("Only members of a verified organisation may take a licence."))
    rules.check_may_take(declaration.status, org.id, declaration.org_id)


def _may_withdraw(caller: User, declaration: OpenLicenceDeclaration, now: datetime) -> bool:
    rules.check_may_withdraw(declaration.status)
    return caller.acting_org_id == declaration.org_id


class GrantedOutSchema(Schema):
    """A licence granted under the declaration, as the catalogue shows it."""

    number = fields.String()
    licensee = fields.Function(lambda x: x.licensee.name)
    starts_on = fields.Date()
    ends_on = fields.Date()


class DeclarationOutSchema(Schema):
    """An open-licence declaration: the patent, the published terms, the licences granted."""

    id = fields.Integer()
    listing_id = fields.Integer()
    title = fields.Function(lambda d: d.listing.title("zh_CN"))
    patent_number = fields.String()
    patent_type = fields.String(metadata={"description": "invention, utility_model or design"})
    patentee = fields.Function(lambda d: d.organisation.name)
    status = EnumValue(metadata={"description": "submitted, published, refused or withdrawn"})
    fee_kind = EnumValue(metadata={"description": "lump_sum, royalty or entry_plus_royalty"})
    lump_sum_minor = fields.Integer(allow_none=True)
    entry_fee_minor = fields.Integer(allow_none=True)
    royalty_bp = fields.Integer(
        allow_none=True, metadata={"description": "Basis points of net sales"}
    )
    due_on_notice_minor = fields.Function(lambda d: rules.due_on_notice(d.terms))
    currency = fields.String()
    payment_method = EnumValue()
    term_years = fields.Integer()
    published_at = fields.DateTime(allow_none=True)
    withdrawn_at = fields.DateTime(allow_none=True)
    withdrawn_on = fields.Date(
        allow_none=True, metadata={"description": "The market day of the withdrawal"}
    )
    licences = fields.Method("_granted")
    allowed_actions = AllowedActions({"give_notice": _may_take, "withdraw": _may_withdraw})

    def _granted(self, declaration: OpenLicenceDeclaration) -> list[dict[str, Any]]:
        granted = [x for x in declaration.licences if x.status == rules.LicenceStatus.GRANTED]
        return GrantedOutSchema(many=True).dump(granted)


class CataloguePageSchema(Schema):
    """Open licences published or withdrawn, newest first."""

    items = fields.List(fields.Nested(DeclarationOutSchema))


class LicenceOutSchema(Schema):
    """A licence's record: number, parties, what is due, dates, how to pay while it waits."""

    id = fields.Integer()
    declaration_id = fields.Integer()
    number = fields.String(allow_none=True)
    status = EnumValue(metadata={"description": "awaiting_payment or granted"})
    patent_number = fields.Function(lambda x: x.declaration.patent_number)
    licensor = fields.Function(lambda x: x.declaration.organisation.name)
    licensee = fields.Function(lambda x: x.licensee.name)
    amount_due_minor = fields.Integer()
    transfer_reference = fields.Function(lambda x: grants.transfer_reference(x.id))
    granted_at = fields.DateTime(allow_none=True)
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
