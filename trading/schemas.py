"""Input and output shapes of listed sales, negotiations and public notices (API and forms)."""

from __future__ import annotations

from typing import Any, ClassVar

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from core.api_actions import AllowedActions
from core.domain import N_, ValidationFailed
from core.marshmallow_messages import REQUIRED
from core.money import Money
from core.schema_kit import InputSchema, optional
from core.schema_out import out_fields
from trading.actions import NEGOTIATION_ACTIONS, NOTICE_ACTIONS, SALE_ACTIONS
from trading.rules import MAX_LISTING_WORKING_DAYS, MIN_LISTING_WORKING_DAYS

_text_5000 = validate.Length(max=5000, error=N_("The text is too long (at most 5,000 characters)."))
_text_2000 = validate.Length(max=2000, error=N_("The text is too long (at most 2,000 characters)."))
_amount = validate.Range(min=1, error=N_("The amount must be more than zero."))


def _yuan_to_minor(data: dict[str, Any], text_field: str, minor_field: str) -> None:
    """A form's amount in yuan ("1,234.56") as minor units; empty stays absent."""
    raw = data.pop(text_field, None)
    if raw is None or not str(raw).strip():
        return
    try:
        data[minor_field] = Money.from_yuan_text(str(raw), field=text_field).minor
    except ValidationFailed as error:
        raise ValidationError({text_field: [error.text()]}) from None


class _YuanForm(InputSchema):
    """An HTML form: each field of `YUAN` is typed in yuan and loaded as its `_minor` field.

    The fields of `BLANK_IS_ABSENT` are optional numbers: left blank, they are not given.
    """

    YUAN: ClassVar[tuple[str, ...]] = ()
    BLANK_IS_ABSENT: ClassVar[tuple[str, ...]] = ()

    @pre_load
    def _amounts(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        data = dict(data)
        for name in self.YUAN:
            _yuan_to_minor(data, name, f"{name}_minor")
        for name in self.BLANK_IS_ABSENT:
            if not str(data.get(name, "") or "").strip():
                data.pop(name, None)
        return data


# --- input -----------------------------------------------------------------------------


class ListedSaleInputSchema(InputSchema):
    """Start a listed sale: asking price, period in working days, deposit (API, minor units)."""

    listing_id = fields.Integer(load_default=None, metadata={"description": "API only."})
    asking_price_minor = fields.Integer(
        required=True,
        validate=_amount,
        error_messages=REQUIRED,
        metadata={"description": "Asking price in minor units (分)."},
    )
    working_days = optional(
        fields.Integer,
        metadata={
            "description": "Listing period in working days (default 20; "
            f"{MIN_LISTING_WORKING_DAYS}–{MAX_LISTING_WORKING_DAYS})."
        },
    )
    deposit_minor = optional(
        fields.Integer,
        validate=_amount,
        metadata={"description": "Deposit in minor units; default 10% of the price."},
    )


class ListedSaleFormSchema(_YuanForm, ListedSaleInputSchema):
    """The HTML form: amounts typed in yuan."""

    YUAN = ("asking_price", "deposit")
    BLANK_IS_ABSENT = ("working_days",)


class OfferInputSchema(InputSchema):
    """An offer or counter-offer (API: minor units), with an optional message."""

    amount_minor = fields.Integer(required=True, validate=_amount, error_messages=REQUIRED)
    message = fields.String(load_default="", validate=_text_5000)


class OfferFormSchema(_YuanForm, OfferInputSchema):
    """The HTML form: the amount typed in yuan."""

    YUAN = ("amount",)


class OpenNegotiationInputSchema(InputSchema):
    """Open a negotiation on a listing: an offer, a message or both."""

    listing_id = fields.Integer(required=True, error_messages=REQUIRED)
    amount_minor = optional(fields.Integer, validate=_amount)
    message = fields.String(load_default="", validate=_text_5000)
    buyer_org_id = optional(
        fields.Integer,
        metadata={"description": "The seller names the buyer (e.g. an auction's top bidder)."},
    )


class OpenNegotiationFormSchema(_YuanForm):
    """The HTML form of opening a negotiation (the listing comes from the URL)."""

    YUAN = ("amount",)
    BLANK_IS_ABSENT = ("buyer_org_id",)

    amount_minor = optional(fields.Integer, validate=_amount)
    message = fields.String(load_default="", validate=_text_5000)
    buyer_org_id = optional(fields.Integer)


class MessageInputSchema(InputSchema):
    """A message in a negotiation's thread."""

    body = fields.String(required=True, validate=_text_5000, error_messages=REQUIRED)


class WithdrawInputSchema(InputSchema):
    """Walking away from a negotiation, with an optional note."""

    message = fields.String(load_default="", validate=_text_5000)


class ObjectionInputSchema(InputSchema):
    """An objection (异议) with its reasons."""

    reasons = fields.String(required=True, validate=_text_5000, error_messages=REQUIRED)


class DecisionInputSchema(InputSchema):
    """A reviewer's decision on an objection."""

    uphold = fields.Boolean(required=True, error_messages=REQUIRED)
    reason = fields.String(required=True, validate=_text_2000, error_messages=REQUIRED)


class SaleListArgsSchema(InputSchema):
    """Which listed sales to list."""

    status = fields.String(
        load_default="open",
        validate=validate.OneOf(
            ["open", "no_buyer", "sold", "auctioned", "withdrawn", "all"],
            error=N_("Choose a valid status."),
        ),
    )


# --- output ----------------------------------------------------------------------------


@out_fields(integers="id listing_id seller_org_id asking_price_minor deposit_minor working_days", strings="currency", datetimes="starts_at ends_at closed_at?", enums="status")  # fmt: skip
class ListedSaleOutSchema(Schema):
    """A listed sale (挂牌)."""

    intents_count = fields.Function(
        lambda sale: sum(1 for i in sale.intents if i.withdrawn_at is None)
    )
    allowed_actions = AllowedActions(SALE_ACTIONS)


@out_fields(integers="id sale_id buyer_org_id deposit_id? deposit_minor?", strings="deposit_status?", datetimes="created_at withdrawn_at?")  # fmt: skip
class IntentOutSchema(Schema):
    """An intent to buy (意向受让) and the deposit it owes."""


@out_fields(integers="id author_org_id amount_minor?", strings="kind body?", datetimes="created_at")
class NegotiationMessageOutSchema(Schema):
    """One entry of a negotiation's thread."""


@out_fields(integers="id listing_id seller_org_id buyer_org_id open_offer_minor? open_offer_by_org_id? agreed_price_minor?", strings="currency", datetimes="created_at updated_at", enums="status")  # fmt: skip
class NegotiationOutSchema(Schema):
    """A negotiation (协议定价) with its thread."""

    messages = fields.List(fields.Nested(NegotiationMessageOutSchema))
    allowed_actions = AllowedActions(NEGOTIATION_ACTIONS)


@out_fields(integers="id notice_id", strings="decision_reason?", datetimes="lodged_at decided_at?", enums="status")  # fmt: skip
class ObjectionOutSchema(Schema):
    """An objection (异议); the objector is not published."""


@out_fields(integers="id listing_id negotiation_id price_minor", strings="result_name summary inventors seller_name buyer_name currency price_formation", datetimes="starts_at ends_at closed_at?", enums="status")  # fmt: skip
class NoticeOutSchema(Schema):
    """A public notice (公示) of a negotiated price."""

    objections_count = fields.Function(lambda n: len(n.objections))
    allowed_actions = AllowedActions(NOTICE_ACTIONS)


class NoticeListSchema(Schema):
    """Current and past notices."""

    current = fields.List(fields.Nested(NoticeOutSchema))
    past = fields.List(fields.Nested(NoticeOutSchema))
