"""Licences as deals in the API: a listing's offers, a licence's terms, its royalty history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import Schema, fields, validate

from accounts.models import User
from core.api_actions import AllowedActions
from core.domain import N_, PermissionDenied
from core.marshmallow_messages import REQUIRED
from core.schema_kit import EnumValue, InputSchema, optional
from core.schema_out import out_fields
from licences import deal_rules
from licences.deal_models import LicenceDeal
from licences.deal_rules import OfferKind
from licences.rules import LicenceKind

_SCOPE = validate.Length(max=deal_rules.MAX_SCOPE_ITEMS)
_MONEY = validate.Range(0, 10**12)


class OfferInSchema(InputSchema):
    """One offer: its kind; for a licence its scope, term and royalty terms."""

    kind = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf([k.value for k in OfferKind]))  # fmt: skip
    fields_of_use = fields.List(fields.String(validate=validate.Length(max=32)), load_default=list, validate=_SCOPE)  # fmt: skip
    territory = fields.List(fields.String(validate=validate.Length(max=16)), load_default=list, validate=_SCOPE)  # fmt: skip
    term_years = optional(fields.Integer, validate=validate.Range(0, 100))  # fmt: skip
    price_minor = optional(fields.Integer, validate=_MONEY)
    rate_bp = optional(fields.Integer, validate=validate.Range(0, 10_000))  # fmt: skip
    minimum_annual_minor = optional(fields.Integer, validate=_MONEY)
    period_months = optional(fields.Integer, validate=validate.Range(0, 24))  # fmt: skip
    note = fields.String(load_default="", validate=validate.Length(max=1000))


class OffersInSchema(InputSchema):
    """Every offer of the listing (the list replaces the ones before)."""

    offers = fields.List(fields.Nested(OfferInSchema), required=True, error_messages=REQUIRED, validate=validate.Length(max=4))  # fmt: skip


@out_fields(integers="term_years? price_minor? minimum_annual_minor? period_months?", strings="note")  # fmt: skip
class OfferOutSchema(Schema):
    kind = EnumValue(metadata={"description": "transfer, exclusive, sole or ordinary"})
    fields_of_use = fields.List(fields.String(), attribute="fields", metadata={"description": "Technology fields; empty: all"})  # fmt: skip
    territory = fields.List(fields.String(), metadata={"description": "Provinces; empty: all of China"})  # fmt: skip
    rate_bp = fields.Integer(allow_none=True, metadata={"description": "Basis points of net sales"})  # fmt: skip


class OffersOutSchema(Schema):
    listing_id = fields.Integer()
    offers = fields.List(fields.Nested(OfferOutSchema))


class LicenceDealInSchema(InputSchema):
    """The licence agreed with the licensee."""

    licensee_org_id = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(1, 2**31 - 1))  # fmt: skip
    kind = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf([k.value for k in LicenceKind]))  # fmt: skip
    fields_of_use = fields.List(fields.String(validate=validate.Length(max=32)), load_default=list, validate=_SCOPE)  # fmt: skip
    territory = fields.List(fields.String(validate=validate.Length(max=16)), load_default=list, validate=_SCOPE)  # fmt: skip
    starts_on = fields.Date(required=True, error_messages=REQUIRED)
    term_years = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(0, 100))  # fmt: skip
    price_minor = fields.Integer(required=True, error_messages=REQUIRED, validate=_MONEY)
    rate_bp = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(0, 10_000))  # fmt: skip
    minimum_annual_minor = fields.Integer(load_default=0, validate=_MONEY)
    period_months = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(0, 24))  # fmt: skip


class RoyaltyReportInSchema(InputSchema):
    """A period's net sales (销售净额), in 分."""

    period = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(0, 1000))  # fmt: skip
    net_sales_minor = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(0, 10**15))  # fmt: skip


@out_fields(integers="net_sales_minor royalty_minor", booleans="late", dates="period_starts_on period_ends_on due_on", datetimes="reported_at")  # fmt: skip
class RoyaltyReportOutSchema(Schema):
    period = fields.Integer(attribute="period_index")
    rate_part_minor = fields.Integer(metadata={"description": "rate × net sales, half up to the fen"})  # fmt: skip
    top_up_minor = fields.Integer(metadata={"description": "Up to the year's minimum, in the year's last period"})  # fmt: skip


@out_fields(dates="starts_on ends_on due_on")
class PeriodOutSchema(Schema):
    period = fields.Integer(attribute="index")


def _may_report(caller: User, licence: LicenceDeal, now: datetime) -> None:
    if caller.acting_org_id != licence.deal.buyer_org_id:
        raise PermissionDenied(N_("Only the licensee reports its net sales."))


@out_fields(integers="deal_id listing_id rate_bp minimum_annual_minor period_months", dates="starts_on ends_on")  # fmt: skip
class LicenceDealOutSchema(Schema):
    """A licence deal: parties, kind, scope, royalty terms, the royalties reported."""

    licensor = fields.Function(lambda x: x.deal.seller_name)
    licensee = fields.Function(lambda x: x.deal.buyer_name)
    deal_status = fields.Function(lambda x: x.deal.status.value)
    kind = EnumValue(metadata={"description": "exclusive, sole or ordinary"})
    fields_of_use = fields.List(fields.String(), attribute="fields")
    territory = fields.List(fields.String())
    price_minor = fields.Function(lambda x: x.deal.price_minor)
    currency = fields.Function(lambda x: x.deal.currency)
    base = EnumValue(metadata={"description": "net_sales"})
    royalties = fields.List(fields.Nested(RoyaltyReportOutSchema), attribute="reports")
    next_period = fields.Method("_next_period")
    allowed_actions = AllowedActions({"report_royalty": _may_report})

    def _next_period(self, licence: LicenceDeal) -> dict[str, Any] | None:
        done = {r.period_index for r in licence.reports}
        pending = deal_rules.periods(licence.starts_on, licence.ends_on, licence.period_months)
        upcoming = next((p for p in pending if p.index not in done), None)
        return None if upcoming is None else PeriodOutSchema().dump(upcoming)
