"""REST endpoints of deposits (保证金, `/api/v1/deposits`): the services the deposit pages use.

A deposit falls due when an organisation joins an auction (`POST /api/v1/auctions/<id>/join`)
or registers intent in a listed sale (`POST /api/v1/sales/<id>/intents`). Here its
organisation reads it with the bank transfer's instructions and uploads the receipt
(multipart, the checks of the deposit page); reviewers read the queue and confirm or
refuse the receipt. Reads take a token or the browser session; writes a token only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import current_app
from werkzeug.wrappers import Response

from accounts.auth import api_reader, api_writer, token_api
from accounts.models import User
from accounts.services import require_reviewer
from core import api_actions
from core.api_documents import document_args
from core.clock import now
from core.files import send_receipt
from core.storage import ALLOWED_TYPES
from core.uow import unit_of_work
from payments import bank_refunds, bank_transfer, deposits, queries, stripe_channel
from payments.models import Deposit, DepositStatus
from payments.schemas import (
    DepositListSchema,
    DepositOutSchema,
    DepositReceiptFormSchema,
    PayoutPaidInSchema,
    ReceiptFileSchema,
    RejectReceiptInSchema,
)

blp = token_api(
    "deposits_api", __name__, "Deposits (保证金) of auctions and listed sales: pay by bank, confirm"
)

_PAYABLE = (DepositStatus.REQUIRED, DepositStatus.RECEIPT_SUBMITTED)


def _deciding(caller: User, deposit: Deposit, _: datetime) -> bool:
    return bool(caller.can_review) and deposit.status == DepositStatus.RECEIPT_SUBMITTED


def _paying(caller: User, deposit: Deposit, _: datetime) -> bool:
    return caller.acting_org_id == deposit.org_id and deposit.status in _PAYABLE


def _refunding(caller: User, deposit: Deposit, _: datetime) -> bool:
    require_reviewer(caller)
    return bank_refunds.refund_owed(deposit)


# What a caller may do with a deposit now (`core.api_actions`): the services' conditions.
ACTIONS: dict[str, api_actions.Check] = {
    "upload_receipt": _paying,
    "pay_by_card": lambda caller, deposit, at: (
        _paying(caller, deposit, at)
        and deposit.status == DepositStatus.REQUIRED
        and stripe_channel.enabled()
    ),
    "confirm": _deciding,
    "reject": _deciding,
    "record_refund": _refunding,
}


def deposit_out(actor: User, deposit: Deposit) -> dict[str, Any]:
    """A deposit with its transfer instructions and what `actor` may do with it now."""
    transfer = bank_transfer.deposit_transfer(deposit)
    return {
        **{column: getattr(deposit, column) for column in _COLUMNS},
        "rejection_reason": deposits.last_rejection_reason(deposit),
        "period_ends_at": queries.period_end_of(deposit),
        "transfer": {
            "account": transfer.account,
            "reference": transfer.reference,
            "amount_minor": transfer.amount_minor,
            "currency": transfer.currency,
        },
        "allowed_actions": api_actions.allowed_actions(actor, deposit, ACTIONS, now=now()),
    }


_COLUMNS = (
    "id",
    "context_type",
    "context_id",
    "org_id",
    "amount_minor",
    "currency",
    "channel",
    "status",
    "bank_reference",
    "receipt_name",
    "created_at",
    "held_at",
    "settled_at",
    "release_due_at",
    "refunded_at",
    "deal_id",
)


def _deposits(rows_of: Callable[[User], list[Deposit]]) -> dict[str, Any]:
    """The deposits `rows_of` gives the caller, each as `deposit_out` shows it."""
    actor = api_reader()
    return {"items": [deposit_out(actor, d) for d in rows_of(actor)]}


def _written(use_case: Callable[..., Deposit], deposit_id: int, *args: Any) -> dict[str, Any]:
    """Run `use_case(caller, deposit_id, *args, now=...)` in one unit of work; the deposit
    as it then is."""
    actor = api_writer()
    with unit_of_work():
        deposit = use_case(actor, deposit_id, *args, now=now())
    return deposit_out(actor, deposit)


@blp.read("/", DepositListSchema, 401)
def mine() -> dict[str, Any]:
    """The deposits the caller's organisation owes or has paid, newest first, each with its state."""
    return _deposits(queries.my_deposits)


@blp.read("/queue", DepositListSchema, 401, (403, "Not a reviewer"))
def queue() -> dict[str, Any]:
    """Reviewers: receipts of deposits to check against the bank statement, oldest first."""
    return _deposits(deposits.reviewer_queue)


@blp.read("/<int:deposit_id>", DepositOutSchema, 401, (404, "Not the caller's deposit"))
def get(deposit_id: int) -> dict[str, Any]:
    """One deposit: its state, the bank transfer to make, why a receipt was refused, what next."""
    actor = api_reader()
    return deposit_out(actor, queries.visible_deposit(actor, deposit_id))


@blp.download("/<int:deposit_id>/receipt", (*ALLOWED_TYPES, "application/octet-stream"), "The receipt as uploaded (PDF or image), never as active content", (404, "No receipt, or not the caller's deposit (reviewers see every one)"))  # fmt: skip
def receipt(deposit_id: int) -> Response:
    """The receipt of the deposit's bank transfer, for its organisation and the reviewers."""
    deposit = deposits.receipt_for_download(api_reader(), deposit_id)
    assert deposit.receipt_stored_name is not None
    folder = deposits.receipt_folder(current_app.config["UPLOAD_FOLDER"])
    return send_receipt(folder, deposit.receipt_stored_name, deposit.receipt_name)


@blp.write(
    "/<int:deposit_id>/receipt",
    200,
    DepositOutSchema,
    (404, "Not the caller's deposit"),
    (409, "The deposit no longer takes a receipt"),
    (413, "The file is too large"),
    (422, "Wrong reference, not a document"),
    args=DepositReceiptFormSchema,
    files=ReceiptFileSchema,
)
def upload_receipt(form: dict[str, Any], files: dict[str, Any], deposit_id: int) -> Any:
    """Upload the bank receipt (multipart: bank_reference, receipt); a reviewer confirms it.

    The reference must be the deposit's own (`transfer.reference`); a new receipt replaces
    one still waiting for the reviewer.
    """
    actor = api_writer()
    queries.own_deposit(actor, deposit_id)  # a stranger learns nothing
    with unit_of_work(writer=False):  # the upload is stored before the lock is needed
        folder = deposits.receipt_folder(current_app.config["UPLOAD_FOLDER"])
        deposit = deposits.submit_receipt(
            actor,
            deposit_id,
            bank_reference=form["bank_reference"],
            now=now(),
            **document_args(files, folder, "receipt"),
        )
    return deposit_out(actor, deposit)


@blp.write(
    "/<int:deposit_id>/confirm",
    200,
    DepositOutSchema,
    (403, "Not a reviewer"),
    (404, "No such deposit"),
    (409, "No receipt waits for a decision"),
)
def confirm(deposit_id: int) -> Any:
    """A reviewer found the transfer on the bank statement: the deposit is held (bidder number)."""
    return _written(deposits.confirm_deposit, deposit_id)


@blp.write(
    "/<int:deposit_id>/reject",
    200,
    DepositOutSchema,
    (403, "Not a reviewer"),
    (404, "No such deposit"),
    (409, "No receipt waits for a decision"),
    (422, "No reason given"),
    args=RejectReceiptInSchema,
)
def reject(data: dict[str, Any], deposit_id: int) -> Any:
    """A reviewer refuses the receipt with the reason; the depositor may upload another."""
    return _written(deposits.reject_receipt, deposit_id, data["reason"])


@blp.read("/refunds", DepositListSchema, 401, (403, "Not a reviewer"))
def refunds() -> dict[str, Any]:
    """Reviewers: released deposits paid by bank whose refund is still to be made, due first."""
    return _deposits(bank_refunds.refunds_owed)


@blp.write(
    "/<int:deposit_id>/refund",
    200,
    DepositOutSchema,
    (403, "Not a reviewer"),
    (404, "No such deposit"),
    (409, "No bank refund is owed on this deposit (`refund_not_owed`)"),
    (422, "No bank reference given"),
    args=PayoutPaidInSchema,
    example={"bank_reference": "ICBC-REFUND-77"},
)
def record_refund(data: dict[str, Any], deposit_id: int) -> Any:
    """A reviewer made the bank transfer refunding a released deposit and records its reference."""
    return _written(bank_refunds.record_refund, deposit_id, data["bank_reference"])
