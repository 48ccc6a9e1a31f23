"""Open licences in the API: query arguments, the notice, and what a declaration or licence shows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_smorest.fields import Upload as UploadField
from marshmallow import Schema, fields, validate

from accounts.models import User
from accounts.services import require_reviewer
from core.api_actions import AllowedActions
from core.domain import N_, PermissionDenied
from core.marshmallow_messages import REQUIRED
from core.schema_kit import EnumValue, InputSchema, optional
from core.schema_out import out_fields, page_of
from licences import grants, rules
from licences.models import OpenLicence, OpenLicenceDeclaration


class CatalogueArgsSchema(InputSchema):
    """Words (title, summary, patent number) and a technology field."""

    q = fields.String(load_default="", validate=validate.Length(max=200))
    field = fields.String(load_default="", validate=validate.Length(max=32))


class NoticeInSchema(InputSchema):
    """The written notice (书面通知) that accepts the published terms."""

    notice = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, grants.MAX_NOTICE))  # fmt: skip


class DeclarationInSchema(InputSchema):
    """The patentee's declaration (multipart form fields; `report` is the file, if any)."""

    ip_asset_id = fields.Integer(required=True, error_messages=REQUIRED, metadata={"description": "A Chinese patent of one of your published listings"})  # fmt: skip
    fee_kind = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf([k.value for k in rules.FeeKind]))  # fmt: skip
    lump_sum_minor = optional(fields.Integer, attribute="lump_sum")
    entry_fee_minor = optional(fields.Integer, attribute="entry_fee")
    # The rules speak of the `royalty`: named so that their refusals name this field.
    royalty_bp = optional(fields.Integer, attribute="royalty", metadata={"description": "Basis points of net sales"})  # fmt: skip
    payment_method = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf([m.value for m in rules.PaymentMethod]))  # fmt: skip
    term_years = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(1, max(rules.MAX_TERM_YEARS.values())))  # fmt: skip


class ReportFileSchema(Schema):
    """The patent evaluation report (专利权评价报告), PDF: needed for a utility model or design."""

    report = UploadField()


class DeclarationRefusalInSchema(InputSchema):
    """The reason the patentee reads."""

    reason = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, 2000))  # fmt: skip


class BankPaymentInSchema(InputSchema):
    """The licensee's transfer as found on the bank statement."""

    amount_minor = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(0, 10**11))  # fmt: skip
    bank_reference = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, 100), metadata={"description": "The reference quoted on the transfer (`transfer_reference`)"})  # fmt: skip


def _may_decide(caller: User, declaration: OpenLicenceDeclaration, now: datetime) -> None:
    require_reviewer(caller)
    rules.check_may_decide(declaration.status)


def _may_record_payment(caller: User, licence: OpenLicence, now: datetime) -> bool:
    require_reviewer(caller)
    return licence.status == rules.LicenceStatus.AWAITING_PAYMENT


def _may_take(caller: User, declaration: OpenLicenceDeclaration, now: datetime) -> None:
    org = caller.organisation if caller.acting_org_id else None
    if org is None or not org.is_verified:
        raise PermissionDenied(N_("Only members of a verified organisation may take a licence."))
    rules.check_may_take(declaration.status, org.id, declaration.org_id)


def _may_withdraw(caller: User, declaration: OpenLicenceDeclaration, now: datetime) -> bool:
    rules.check_may_withdraw(declaration.status)
    return caller.acting_org_id == declaration.org_id


@out_fields(strings="number", dates="starts_on ends_on")
class GrantedOutSchema(Schema):
    """A licence granted under the declaration, as the catalogue shows it."""

    licensee = fields.Function(lambda x: x.licensee.name)


@out_fields(integers="id size", strings="original_name content_type sha256", datetimes="uploaded_at")  # fmt: skip
class ReportOutSchema(Schema):
    """A patent evaluation report (专利权评价报告) behind a declaration; its file is at
    `/api/v1/open-licences/reports/{id}`."""


@out_fields(integers="id listing_id lump_sum_minor? entry_fee_minor? term_years", strings="patent_number currency refusal_reason?", datetimes="published_at? withdrawn_at?", enums="payment_method")  # fmt: skip
class DeclarationOutSchema(Schema):
    """An open-licence declaration: the patent, the published terms, the licences granted."""

    title = fields.Function(lambda d: d.listing.title("zh_CN"))
    patent_type = fields.String(metadata={"description": "invention, utility_model or design"})
    patentee = fields.Function(lambda d: d.organisation.name)
    status = EnumValue(metadata={"description": "submitted, published, refused or withdrawn"})
    fee_kind = EnumValue(metadata={"description": "lump_sum, royalty or entry_plus_royalty"})
    royalty_bp = fields.Integer(
        allow_none=True, metadata={"description": "Basis points of net sales"}
    )
    due_on_notice_minor = fields.Function(lambda d: rules.due_on_notice(d.terms))
    withdrawn_on = fields.Date(
        allow_none=True, metadata={"description": "The market day of the withdrawal"}
    )
    licences = fields.Method("_granted")
    reports = fields.List(fields.Nested(ReportOutSchema))
    allowed_actions = AllowedActions(
        {
            "give_notice": _may_take,
            "withdraw": _may_withdraw,
            "approve": _may_decide,
            "refuse": _may_decide,
        }
    )

    def _granted(self, declaration: OpenLicenceDeclaration) -> list[dict[str, Any]]:
        granted = [x for x in declaration.licences if x.status == rules.LicenceStatus.GRANTED]
        return GrantedOutSchema(many=True).dump(granted)


CataloguePageSchema = page_of(
    DeclarationOutSchema,
    "Open licences published or withdrawn, newest first.",
    name="CataloguePageSchema",
)


@out_fields(integers="id declaration_id amount_due_minor", strings="number?", dates="starts_on? ends_on?", datetimes="granted_at?")  # fmt: skip
class LicenceOutSchema(Schema):
    """A licence's record: number, parties, what is due, dates, how to pay while it waits."""

    status = EnumValue(metadata={"description": "awaiting_payment or granted"})
    patent_number = fields.Function(lambda x: x.declaration.patent_number)
    licensor = fields.Function(lambda x: x.declaration.organisation.name)
    licensee = fields.Function(lambda x: x.licensee.name)
    transfer_reference = fields.Function(lambda x: grants.transfer_reference(x.id))
    allowed_actions = AllowedActions({"record_payment": _may_record_payment})


class ReviewQueueSchema(Schema):
    """What waits for reviewers: declarations to check, licence fees to find on the statement."""

    declarations = fields.List(fields.Nested(DeclarationOutSchema))
    licences = fields.List(fields.Nested(LicenceOutSchema))
