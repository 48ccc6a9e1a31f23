"""The offline channel: a bank transfer, its receipt uploaded by the payer, confirmed by a reviewer.

Deposits paid by bank keep their own flow (`payments.deposits.submit_receipt` /
`confirm_deposit`), which posts to the same ledger; this module covers the price of a
deal and the payouts a reviewer makes by bank. Each use case flushes; the caller's unit
of work commits.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import IO

from sqlalchemy import select

from accounts.models import User
from accounts.services import require_reviewer, rows_for_reviewer
from core import audit
from core.domain import N_, NotFound
from core.extensions import db
from core.rows import get_row
from core.rules_kit import decision_reason
from payments import bank_rules, ledger, receipts, rules
from payments.models import Payment, Payout
from payments.payment_state import record_price_received
from payments.payouts import payout_paid
from payments.queries import buyer_deal
from payments.rules import PaymentChannel, PaymentStatus, PayoutStatus

RECEIPT_SUBFOLDER = "payments"  # under UPLOAD_FOLDER


def receipt_folder(upload_folder: str | Path) -> Path:
    """Where receipts of price payments are stored."""
    return Path(upload_folder) / RECEIPT_SUBFOLDER


def submit_receipt(
    actor: User,
    deal_id: int,
    *,
    amount_minor: int,
    stream: IO[bytes],
    filename: str,
    bank_reference: str,
    folder: Path,
    max_bytes: int,
    now: datetime,
) -> Payment:
    """The buyer transferred (part of) what is due and uploads the receipt (flushes).

    The receipt must state the deal's reference (DEAL-<id>), else ValidationFailed.

    The stored file is removed if the caller's unit of work rolls back.
    """
    deal = buyer_deal(actor, deal_id)
    reference = bank_rules.check_reference(bank_reference, bank_rules.deal_reference(deal.id))
    rules.check_payment_amount(amount_minor, ledger.amount_due(deal))
    submitted = PaymentStatus.RECEIPT_SUBMITTED
    payment = Payment.of_price(deal, actor.id, amount_minor, PaymentChannel.OFFLINE, submitted, now)
    stored = receipts.attach(
        payment, reference, stream=stream, filename=filename, folder=folder, max_bytes=max_bytes
    )
    audit.add_audited(
        "payment",
        payment,
        "submit_receipt",
        actor.id,
        now,
        after={
            "status": payment.status.value,
            "amount_minor": amount_minor,
            "deal_id": deal.id,
            "sha256": stored.sha256,
            "bank_reference": reference,
        },
    )
    return payment


def _lock(payment_id: int) -> Payment:
    return get_row(Payment, payment_id, N_("No such payment."), lock=True)


def confirm(reviewer: User, payment_id: int, *, now: datetime) -> Payment:
    """A reviewer found the transfer on the bank statement: the payment is received (flushes)."""
    require_reviewer(reviewer)
    payment = _lock(payment_id)
    if payment.channel != PaymentChannel.OFFLINE:
        raise NotFound(N_("No such payment."))
    rules.check_move(payment.status, PaymentStatus.SUCCEEDED)
    payment.decided_by_id = reviewer.id
    record_price_received(payment, now=now, actor_id=reviewer.id)
    return payment


def reject(reviewer: User, payment_id: int, reason: str, *, now: datetime) -> Payment:
    """A reviewer refuses a receipt with the reason; the buyer may upload another (flushes)."""
    require_reviewer(reviewer)
    reason = decision_reason(reason)
    payment = _lock(payment_id)
    if payment.channel != PaymentChannel.OFFLINE:
        raise NotFound(N_("No such payment."))
    rules.check_move(payment.status, PaymentStatus.REJECTED)
    was = payment.status
    payment.status = PaymentStatus.REJECTED
    payment.decided_by_id = reviewer.id
    payment.decision_reason = reason
    payment.updated_at = now
    audit.record_status("payment", payment, "reject", reviewer.id, now, was=was, reason=reason)
    return payment


def queue(reviewer: User) -> list[Payment]:
    """Bank receipts of price payments waiting for a reviewer, oldest first."""
    return rows_for_reviewer(
        reviewer,
        select(Payment)
        .where(
            Payment.channel == PaymentChannel.OFFLINE,
            Payment.status == PaymentStatus.RECEIPT_SUBMITTED,
        )
        .order_by(Payment.id),
    )


def payouts_to_make(reviewer: User) -> list[Payout]:
    """Bank payouts the reviewer still has to make, oldest first."""
    return rows_for_reviewer(
        reviewer,
        select(Payout)
        .where(Payout.channel == PaymentChannel.OFFLINE, Payout.status == PayoutStatus.PENDING)
        .order_by(Payout.id),
    )


def record_bank_payout(
    reviewer: User, payout_id: int, bank_reference: str, *, now: datetime
) -> Payout:
    """A reviewer made the bank transfer of a payout and records its reference (flushes)."""
    require_reviewer(reviewer)
    reference = receipts.bank_reference(bank_reference)
    payout = db.session.scalar(select(Payout).where(Payout.id == payout_id).with_for_update())
    if payout is None or payout.channel != PaymentChannel.OFFLINE:
        raise NotFound(N_("No such payout."))
    if payout.status != PayoutStatus.PENDING:
        raise rules.PaymentStateError(N_("This payout is not waiting for a transfer."))
    payout_paid(payout, now=now, bank_reference=reference, actor_id=reviewer.id)
    return payout


def receipt_for_download(actor: User | None, payment_id: int) -> Payment:
    """A payment's receipt, for the paying organisation and reviewers only."""
    return receipts.for_download(actor, db.session.get(Payment, payment_id))
