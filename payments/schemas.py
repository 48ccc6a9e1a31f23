"""Payments API shapes: the money flow out, payment and payout input."""

from __future__ import annotations

from flask import url_for
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from core.schema_kit import REQUIRED_NOT_NULL, EnumValue
from core.schema_out import out_fields, page_of
from payments import bank_rules


@out_fields(integers="org_id? amount_minor", strings="currency", enums="account")
class LegOutSchema(Schema):
    """One leg: + debit, − credit, on an account (of a party)."""


@out_fields(integers="id deal_id? deposit_id?", strings="key external_ref?", datetimes="created_at", enums="kind channel")  # fmt: skip
class PostingOutSchema(Schema):
    """A balanced posting of the deal's ledger."""

    legs = fields.List(fields.Nested(LegOutSchema))


@out_fields(integers="id org_id amount_minor", strings="currency bank_reference?", enums="channel status")  # fmt: skip
class _MoneyMoveOutSchema(Schema):
    """Money moved between an organisation and the market: how much, how, where it stands."""


class PaymentOutSchema(_MoneyMoveOutSchema):
    """A payment (deposit by card, or the price by card or bank)."""

    purpose = fields.String()
    deal_id = fields.Integer(allow_none=True)
    deposit_id = fields.Integer(allow_none=True)
    capture_method = fields.String(allow_none=True)
    checkout_url = fields.String(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    created_at = fields.DateTime()
    receipt_url = fields.Function(
        lambda payment: (
            url_for("payments_api.receipt_file", payment_id=payment.id)
            if payment.receipt_stored_name
            else None
        ),
        allow_none=True,
        metadata={"description": "the bank transfer's receipt, null when none was sent"},
    )


class PayoutOutSchema(_MoneyMoveOutSchema):
    """A payout to a seller or a broker organisation."""

    deal_id = fields.Integer()
    role = fields.String()
    transfer_id = fields.String(allow_none=True)
    paid_at = fields.DateTime(allow_none=True)


class MoneyFlowOutSchema(Schema):
    """A deal's money: what is due, owed, kept; its postings, payments and payouts."""

    deal_id = fields.Function(lambda f: f.deal.id)
    currency = fields.Function(lambda f: f.deal.currency)
    price_minor = fields.Function(lambda f: f.deal.price_minor)
    due_minor = fields.Integer(attribute="due")
    seller_payable_minor = fields.Integer(attribute="seller_payable")
    broker_payables_minor = fields.Function(
        lambda f: {str(k): v for k, v in f.broker_payables.items()}
    )
    platform_fee_minor = fields.Integer(attribute="platform_fee")
    forfeited_minor = fields.Integer(attribute="forfeited")
    # What a bank transfer of the price quotes; a receipt stating another is refused.
    transfer_reference = fields.Function(lambda f: bank_rules.deal_reference(f.deal.id))
    balanced = fields.Boolean()
    postings = fields.List(fields.Nested(PostingOutSchema), attribute="transactions")
    payments = fields.List(fields.Nested(PaymentOutSchema))
    payouts = fields.List(fields.Nested(PayoutOutSchema))


class CheckoutInSchema(Schema):
    """Where Stripe's Checkout page sends the payer back."""

    success_url = fields.Url(required=True, error_messages=REQUIRED_NOT_NULL)
    cancel_url = fields.Url(required=True, error_messages=REQUIRED_NOT_NULL)


class BankPaymentFormSchema(Schema):
    """A bank transfer of the price (multipart form fields)."""

    amount_minor = fields.Integer(
        required=True, validate=validate.Range(min=1), error_messages=REQUIRED_NOT_NULL
    )
    bank_reference = fields.String(required=True, error_messages=REQUIRED_NOT_NULL)


class ReceiptFileSchema(Schema):
    """The bank receipt (multipart)."""

    receipt = Upload(required=True, error_messages=REQUIRED_NOT_NULL)


class RejectReceiptInSchema(Schema):
    """The reason of a refusal."""

    reason = fields.String(required=True, error_messages=REQUIRED_NOT_NULL)


class PayoutPaidInSchema(Schema):
    """The reference of a bank transfer the reviewer made."""

    bank_reference = fields.String(required=True, error_messages=REQUIRED_NOT_NULL)


class OnboardingInSchema(Schema):
    """Where Stripe's onboarding sends the administrator back."""

    refresh_url = fields.Url(required=True, error_messages=REQUIRED_NOT_NULL)
    return_url = fields.Url(required=True, error_messages=REQUIRED_NOT_NULL)


class LinkOutSchema(Schema):
    """A page on Stripe to send the person to."""

    url = fields.String()


@out_fields(strings="account_id?", booleans="stripe_enabled ready")
class AccountOutSchema(Schema):
    """The organisation's payout account and its payouts."""

    payouts = fields.List(fields.Nested(PayoutOutSchema))


@out_fields(integers="id price_minor", strings="title seller_name buyer_name currency")
class MoneyDealOutSchema(Schema):
    """A deal the caller's organisation pays or is paid on; its money flow is at `/deals/<id>`."""

    status = fields.String(attribute="status.value", metadata={"description": "awaiting_signature, signed, paid, rights_registered, completed or cancelled"})  # fmt: skip


MoneyDealListSchema = page_of(
    MoneyDealOutSchema,
    "Deals the caller's organisation pays or is paid on (a party, or a broker owed a commission), newest first.",
    name="MoneyDealListSchema",
)


class ReviewQueueOutSchema(Schema):
    """What reviewers must do: receipts to confirm, bank payouts to make."""

    receipts = fields.List(fields.Nested(PaymentOutSchema))
    payouts = fields.List(fields.Nested(PayoutOutSchema))


# --- deposits (保证金) --------------------------------------------------------------------


@out_fields(strings="payee bank branch number swift?")
class BankAccountOutSchema(Schema):
    """The market's account a payer transfers to (收款账户)."""


class TransferOutSchema(Schema):
    """How to pay by bank: to which account, how much, quoting which reference."""

    account = fields.Nested(
        BankAccountOutSchema,
        allow_none=True,
        metadata={"description": "None while the market has not configured its account"},
    )
    reference = fields.String(metadata={"description": "The transfer must quote it, e.g. AUC-5-5"})
    amount_minor = fields.Integer(allow_none=True)
    currency = fields.String()


@out_fields(integers="id context_id org_id amount_minor deal_id?", strings="currency bank_reference? receipt_name?", datetimes="created_at held_at? settled_at? release_due_at? refunded_at?")  # fmt: skip
class DepositOutSchema(Schema):
    """A deposit of an auction or a listed sale: its state, how to pay it, what the caller may do."""

    context_type = fields.String(metadata={"description": "auction or listed_sale"})
    channel = fields.String(metadata={"description": "offline (bank) or stripe (card)"})
    status = EnumValue(
        metadata={
            "description": "required, receipt_submitted, held, applied (to the price), "
            "released or forfeited"
        }
    )
    rejection_reason = fields.String(
        allow_none=True, metadata={"description": "Why the last receipt was refused"}
    )
    period_ends_at = fields.DateTime(
        allow_none=True, metadata={"description": "When its auction or listed sale ends"}
    )
    transfer = fields.Nested(TransferOutSchema)
    allowed_actions = fields.List(
        fields.String(),
        metadata={"description": "upload_receipt, pay_by_card, confirm, reject (reviewers)"},
    )


DepositListSchema = page_of(DepositOutSchema, "Deposits, newest first.", name="DepositListSchema")


class DepositReceiptFormSchema(Schema):
    """The reference quoted on the transfer (multipart form field)."""

    bank_reference = fields.String(
        required=True,
        validate=validate.Length(max=100),
        error_messages=REQUIRED_NOT_NULL,
        metadata={"description": "The reference the transfer quoted (see transfer.reference)"},
    )
