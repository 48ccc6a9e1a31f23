"""Bank refunds of released deposits: what reviewers still owe by bank, and recording each one.

A deposit paid by card goes back through Stripe by itself (`deposit_ledger.released`
queues the cancel or refund). One paid by bank goes back only when a reviewer makes the
transfer: until then it waits in the reviewers' queue (`refunds_owed`, shown on the
review page), and the reviewer records the refund's bank reference (`record_refund`,
audited). Each use case flushes; the caller's unit of work commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from accounts.models import User
from accounts.services import require_reviewer, rows_for_reviewer
from core.domain import N_, DomainError
from core.rows import get_row
from payments import receipts
from payments.deposits import OFFLINE, audit_deposit, snapshot
from payments.models import Deposit, DepositStatus


def refunds_owed(reviewer: User) -> list[Deposit]:
    """Released deposits paid by bank whose refund no reviewer has recorded, due first."""
    return rows_for_reviewer(
        reviewer,
        select(Deposit)
        .where(
            Deposit.status == DepositStatus.RELEASED,
            Deposit.channel == OFFLINE,
            Deposit.receipt_stored_name.is_not(None),  # the payer sent money by bank
            Deposit.refunded_at.is_(None),
        )
        .order_by(Deposit.release_due_at, Deposit.id),
    )


def refund_owed(deposit: Deposit) -> bool:
    """Whether a bank refund of `deposit` is still to be made: released, paid by bank."""
    return (
        deposit.status == DepositStatus.RELEASED
        and deposit.channel == OFFLINE
        and deposit.receipt_stored_name is not None
        and deposit.refunded_at is None
    )


def record_refund(
    reviewer: User, deposit_id: int, bank_reference: str, *, now: datetime
) -> Deposit:
    """A reviewer made the bank transfer refunding a released deposit (flushes; audited)."""
    require_reviewer(reviewer)
    reference = receipts.bank_reference(bank_reference)
    deposit = get_row(Deposit, deposit_id, N_("No such deposit."), lock=True)
    if not refund_owed(deposit):
        raise DomainError(N_("No bank refund is owed on this deposit."), code="refund_not_owed")
    before = {**snapshot(deposit), "refunded_at": None}
    deposit.refunded_at = now
    deposit.refund_reference = reference
    deposit.refund_confirmed_by_id = reviewer.id
    audit_deposit(
        deposit,
        "refund_made",
        reviewer.id,
        now,
        before=before,
        refunded_at=now.isoformat(),
        refund_reference=reference,
    )
    return deposit
