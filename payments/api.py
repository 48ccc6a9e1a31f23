"""REST endpoints of payments (flask-smorest, in the OpenAPI document): the services the pages use.

Reads accept a bearer token or the browser session; writes take a token only.
Card entry is never an API field: card payments return Stripe's Checkout URL.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import current_app
from werkzeug.wrappers import Response

from accounts.auth import api_reader, api_writer, token_api
from core.api_documents import document_args
from core.clock import now
from core.files import send_receipt
from core.storage import ALLOWED_TYPES
from core.uow import unit_of_work
from payments import card, offline, payouts, queries, stripe_channel
from payments.models import Payment
from payments.schemas import (
    AccountOutSchema,
    BankPaymentFormSchema,
    CheckoutInSchema,
    LinkOutSchema,
    MoneyDealListSchema,
    MoneyFlowOutSchema,
    OnboardingInSchema,
    PaymentOutSchema,
    PayoutOutSchema,
    PayoutPaidInSchema,
    ReceiptFileSchema,
    RejectReceiptInSchema,
    ReviewQueueOutSchema,
)

blp = token_api("payments_api", __name__, "Payments and the deal ledger")


def _by_card(start: Callable[..., Payment], target_id: int, urls: dict[str, Any]) -> Payment:
    """Start a card payment of the deal or deposit `target_id`, then open Stripe's Checkout.

    Two units of work: the pending payment is kept even when Stripe cannot be reached.
    """
    actor = api_writer()
    with unit_of_work():
        payment = start(actor, target_id, now=now())
    with unit_of_work():
        return card.open_checkout(actor, payment.id, **urls)


@blp.read("/deals", MoneyDealListSchema)
def deals_with_money() -> dict[str, Any]:
    """The deals the caller's organisation pays or is paid on, newest first, as the payments
    page lists them (none for a person without an organisation)."""
    return {"items": queries.deals_with_money(api_reader())}


@blp.read("/deals/<int:deal_id>", MoneyFlowOutSchema, 404)
def money_flow(deal_id: int) -> Any:
    """The deal's money flow: due, owed, kept, its postings, payments and payouts."""
    return queries.money_flow(api_reader(), deal_id)


@blp.write("/deals/<int:deal_id>/card", 201, PaymentOutSchema, 409, args=CheckoutInSchema)
def pay_by_card(data: dict[str, Any], deal_id: int) -> Any:
    """The buyer pays what is due by card: send the payer to `checkout_url` (Stripe's page)."""
    return _by_card(card.start_card_payment, deal_id, data)


@blp.write(
    "/deals/<int:deal_id>/bank",
    201,
    PaymentOutSchema,
    422,
    args=BankPaymentFormSchema,
    files=ReceiptFileSchema,
)
def pay_by_bank(form: dict[str, Any], files: dict[str, Any], deal_id: int) -> Any:
    """The buyer reports a bank transfer of the price (multipart: amount_minor, bank_reference, receipt)."""
    with unit_of_work():
        folder = offline.receipt_folder(Path(current_app.config["UPLOAD_FOLDER"]))
        return offline.submit_receipt(
            api_writer(),
            deal_id,
            amount_minor=form["amount_minor"],
            bank_reference=form["bank_reference"],
            now=now(),
            **document_args(files, folder, "receipt"),
        )


@blp.download("/receipts/<int:payment_id>", (*ALLOWED_TYPES, "application/octet-stream"), "The bank transfer's receipt as uploaded (never served as active content)")  # fmt: skip
def receipt_file(payment_id: int) -> Response:
    """A payment's bank receipt, for the paying organisation and the reviewers, as its page gives."""
    payment = offline.receipt_for_download(api_reader(), payment_id)
    assert payment.receipt_stored_name is not None
    folder = offline.receipt_folder(Path(current_app.config["UPLOAD_FOLDER"]))
    return send_receipt(folder, payment.receipt_stored_name, payment.receipt_name)


@blp.write("/deals/<int:deal_id>/payouts", 201, PayoutOutSchema(many=True), 409)
def release_payouts(deal_id: int) -> Any:
    """A reviewer pays the seller and brokers once the buyer has paid everything due."""
    with unit_of_work():
        return payouts.release_payouts(api_writer(), deal_id, now=now())


@blp.write("/deposits/<int:deposit_id>/card", 201, PaymentOutSchema, 409, args=CheckoutInSchema)
def deposit_by_card(data: dict[str, Any], deposit_id: int) -> Any:
    """Pay a deposit by card (held, or charged when the sale ends after the hold window)."""
    return _by_card(card.start_card_deposit, deposit_id, data)


@blp.read("/review", ReviewQueueOutSchema, 403)
def review_queue() -> Any:
    """Reviewers: bank receipts of price payments to confirm, bank payouts to make."""
    actor = api_reader()
    return {"receipts": offline.queue(actor), "payouts": offline.payouts_to_make(actor)}


@blp.write("/payments/<int:payment_id>/confirm", 200, PaymentOutSchema, 409)
def confirm(payment_id: int) -> Any:
    """A reviewer confirms a bank transfer found on the statement."""
    with unit_of_work():
        return offline.confirm(api_writer(), payment_id, now=now())


@blp.write(
    "/payments/<int:payment_id>/reject", 200, PaymentOutSchema, 422, args=RejectReceiptInSchema
)
def reject(data: dict[str, Any], payment_id: int) -> Any:
    """A reviewer refuses a receipt, with the reason."""
    with unit_of_work():
        return offline.reject(api_writer(), payment_id, data["reason"], now=now())


@blp.write("/payouts/<int:payout_id>/paid", 200, PayoutOutSchema, 409, args=PayoutPaidInSchema)
def payout_paid(data: dict[str, Any], payout_id: int) -> Any:
    """A reviewer records the bank transfer of a payout."""
    with unit_of_work():
        return offline.record_bank_payout(
            api_writer(), payout_id, data["bank_reference"], now=now()
        )


@blp.read("/payouts", AccountOutSchema)
def my_payouts() -> Any:
    """The organisation's payout account (Stripe Connect) and its payouts."""
    actor = api_reader()
    account = queries.connected_account_of(actor.acting_org_id)
    return {
        "stripe_enabled": stripe_channel.enabled(),
        "account_id": account.stripe_account_id if account else None,
        "ready": bool(account and account.ready),
        "payouts": queries.payouts_of(actor),
    }


@blp.write("/payouts/onboarding", 201, LinkOutSchema, 403, args=OnboardingInSchema)
def onboarding(data: dict[str, Any]) -> Any:
    """An organisation's administrator gets Stripe's onboarding link for its payout account."""
    actor, moment = api_writer(), now()
    # Two steps: the connected account Stripe made is kept even when the link fails.
    with unit_of_work():
        account = payouts.open_connected_account(actor, now=moment)
    return {"url": payouts.onboarding_link(account, now=moment, **data)}
