"""The deposit ledger (保证金) of auctions and listed sales.

One row per organisation and context (``context_type`` "auction" or
"listed_sale"): required → receipt submitted → held → applied to the price /
released / forfeited. This issue implements the offline channel (a bank
transfer receipt confirmed by a reviewer); the Stripe channel writes the same
rows with ``channel='stripe'`` (`hold_by_card`: held on authorisation or charge),
so auctions and listed sales only ever ask whether a deposit is held.

Every move of money also posts to the deal ledger (`payments.deposit_ledger`)
in the same transaction: held, applied to the price, released, forfeited; for a card
deposit the Stripe call it needs (capture, cancel, refund) is queued there too and made
after the commit.

Transactions: every function flushes and leaves the commit to the caller's unit of
work, whether other use cases compose it (`require_deposit`, and the settlement in
`payments.deposit_settlement`) or a person performs it on its own (`submit_receipt`,
`lodge_receipt`, `confirm_deposit`, `reject_receipt`). Every change of state is audited.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from accounts.models import User
from accounts.services import get_organisation, require_reviewer, rows_for_reviewer
from core import audit, storage
from core.domain import N_, DomainError, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from core.rows import get_row
from core.rules_kit import decision_reason
from core.signals import values_from_signal
from core.uow import after_commit
from payments import bank_rules, deposit_ledger, receipts, telling
from payments.models import Deposit, DepositStatus
from payments.rules import Account
from payments.signals import deposit_held, deposit_owed

CONTEXT_TYPES = frozenset({"auction", "listed_sale"})
OFFLINE = "offline"
RECEIPT_SUBFOLDER = "deposits"  # under UPLOAD_FOLDER, for every context


def receipt_folder(upload_folder: str | Path) -> Path:
    """Where bank-transfer receipts are stored (auctions and listed sales alike)."""
    return Path(upload_folder) / RECEIPT_SUBFOLDER


class DepositError(DomainError):
    """A deposit cannot move that way."""

    code = "deposit_state"


class NoOrganisation(PermissionDenied):
    """Only organisations take part (bid, lodge deposits): the actor acts for none."""

    code = "no_organisation"

    def __init__(self) -> None:
        super().__init__(N_("Join an organisation before taking part."))


class OrganisationNotVerified(PermissionDenied):
    """Only organisations a reviewer has verified take part."""

    code = "organisation_not_verified"

    def __init__(self) -> None:
        super().__init__(
            N_("Your organisation must be verified by a reviewer before it can take part.")
        )


def verified_org_id(actor: User | None) -> int:
    """The verified organisation the signed-in actor takes part for, or PermissionDenied."""
    org_id = actor.acting_org_id if actor is not None and actor.is_authenticated else None
    if org_id is None:
        raise NoOrganisation()
    # The user's own organisation (acting_org_id is its id): loaded through the user, it
    # stays loaded for the next check of the request instead of being read once a check.
    organisation = actor.organisation if actor is not None else None
    if organisation is None or organisation.id != org_id:
        organisation = get_organisation(org_id)
    if not organisation.is_verified:
        raise OrganisationNotVerified()
    return org_id


def check_context(context_type: str) -> None:
    """Refuse a context other than an auction or a listed sale (a programming error)."""
    if context_type not in CONTEXT_TYPES:
        raise ValueError(f"unknown deposit context {context_type!r}")


def snapshot(deposit: Deposit) -> dict[str, Any]:
    """The deposit's state and amount, as the audit trail records them."""
    return {"status": deposit.status.value, "amount_minor": deposit.amount_minor}


def _audited_fields(deposit: Deposit) -> dict[str, Any]:
    return {
        **snapshot(deposit),
        "context": f"{deposit.context_type}:{deposit.context_id}",
        "org_id": deposit.org_id,
        "channel": deposit.channel,
    }


# Audits a change of the deposit (action `deposit.<action>`), with its context.
audit_deposit = audit.ChangeRecorder("deposit", _audited_fields)


# --- reading -----------------------------------------------------------------------------


def get_deposit(deposit_id: int) -> Deposit:
    """A deposit by id, or NotFound."""
    return get_row(Deposit, deposit_id, N_("No such deposit."))


def deposit_of(context_type: str, context_id: int, org_id: int | None) -> Deposit | None:
    """The organisation's deposit in a context, if it has one."""
    if org_id is None:
        return None
    return db.session.scalar(
        select(Deposit).where(
            Deposit.context_type == context_type,
            Deposit.context_id == context_id,
            Deposit.org_id == org_id,
        )
    )


def deposits_of_context(context_type: str, context_id: int, *, lock: bool = False) -> list[Deposit]:
    """Every deposit of a context, oldest first; with `lock`, row-locked and freshly read."""
    query = (
        select(Deposit)
        .where(Deposit.context_type == context_type, Deposit.context_id == context_id)
        .order_by(Deposit.id)
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return all_of(query)


def held_org_ids(context_type: str, context_id: int) -> set[int]:
    """The organisations whose deposit is held in this context (they may bid)."""
    return set(
        db.session.scalars(
            select(Deposit.org_id).where(
                Deposit.context_type == context_type,
                Deposit.context_id == context_id,
                Deposit.status == DepositStatus.HELD,
            )
        )
    )


def is_held(context_type: str, context_id: int, org_id: int) -> bool:
    """Whether one organisation's deposit is held in this context."""
    deposit = deposit_of(context_type, context_id, org_id)
    return deposit is not None and deposit.status == DepositStatus.HELD


def reviewer_queue(reviewer: User) -> list[Deposit]:
    """Receipts waiting for a reviewer to check the bank statement, oldest first."""
    return rows_for_reviewer(
        reviewer,
        select(Deposit)
        .where(Deposit.status == DepositStatus.RECEIPT_SUBMITTED)
        .order_by(Deposit.id),
    )


def last_rejection_reason(deposit: Deposit) -> str | None:
    """Why the last receipt was refused, for the bidder (kept in the audit trail)."""
    if deposit.status != DepositStatus.REQUIRED:
        return None
    for entry in reversed(audit.history("deposit", deposit.id)):
        if entry.action == "deposit.reject_receipt":
            return entry.reason
        if entry.action == "deposit.submit_receipt":
            return None
    return None


def receipt_for_download(actor: User | None, deposit_id: int) -> Deposit:
    """A receipt, for the depositing organisation and reviewers only."""
    return receipts.for_download(actor, db.session.get(Deposit, deposit_id))


# --- writing -----------------------------------------------------------------------------


def require_deposit(
    actor: User,
    context_type: str,
    context_id: int,
    amount_minor: int,
    *,
    now: datetime,
    currency: str = "CNY",
) -> Deposit:
    """The actor's organisation owes a deposit in this context, in its currency (the
    auction's or the sale's, so the deal it is applied to balances in one currency;
    idempotent; flushes).

    A second call, even a concurrent one, returns the same row.
    """
    check_context(context_type)
    org_id = verified_org_id(actor)
    if amount_minor <= 0:
        raise ValidationFailed(N_("The deposit must be more than zero."), field="amount")
    existing = deposit_of(context_type, context_id, org_id)
    if existing is not None:
        return existing
    deposit = Deposit(
        context_type=context_type,
        context_id=context_id,
        org_id=org_id,
        user_id=actor.id,
        amount_minor=amount_minor,
        currency=currency,
        status=DepositStatus.REQUIRED,
        channel=OFFLINE,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(deposit)
    except IntegrityError:  # a concurrent request created it first
        existing = deposit_of(context_type, context_id, org_id)
        if existing is None:
            raise
        return existing
    audit_deposit(deposit, "require", actor.id, now, before=None)
    db.session.flush()
    return deposit


def lodge_receipt(
    actor: User, context_type: str, context_id: int, *, now: datetime, **receipt: Any
) -> Deposit:
    """Take part and hand in the bank-transfer receipt in one step (flushes).

    The context's owner puts the deposit the actor's organisation owes on the ledger after
    its own checks of who may take part (`deposit_owed`; audited `deposit.require` the
    first time), then `receipt` (`submit_receipt`'s keyword arguments: stream, filename,
    bank_reference, folder, max_bytes) is submitted (audited `deposit.submit_receipt`).
    A context that is not joined this way: NotFound.
    """
    check_context(context_type)
    owed = values_from_signal(deposit_owed, context_type, actor=actor, context_id=context_id, now=now)  # fmt: skip
    if not owed:
        raise NotFound(N_("No such deposit."))
    return submit_receipt(actor, owed[0].id, now=now, **receipt)


def _lock(deposit_id: int) -> Deposit:
    return get_row(Deposit, deposit_id, N_("No such deposit."), lock=True)


def submit_receipt(
    actor: User,
    deposit_id: int,
    *,
    stream: IO[bytes],
    filename: str,
    bank_reference: str,
    folder: Path,
    max_bytes: int,
    now: datetime,
) -> Deposit:
    """The bidder uploads the bank-transfer receipt (stored like evidence) and waits (flushes).

    The receipt must state the deposit's reference (e.g. AUC-5-5), else ValidationFailed.

    A new receipt replaces one still waiting for the reviewer; the old file goes after the
    caller's unit of work commits, the new one if it rolls back.
    """
    deposit = _lock(deposit_id)
    if actor.acting_org_id != deposit.org_id:
        raise NotFound(N_("No such deposit."))
    expected = bank_rules.deposit_reference(
        deposit.context_type, deposit.context_id, deposit.org_id
    )
    reference = bank_rules.check_reference(bank_reference, expected)
    if deposit.status not in (DepositStatus.REQUIRED, DepositStatus.RECEIPT_SUBMITTED):
        raise DepositError(
            N_("This deposit no longer takes a receipt (it is %(status)s)."),
            code="receipt_not_expected",
            status=deposit.status.value,
        )
    replaced = deposit.receipt_stored_name
    stored = receipts.attach(
        deposit, reference, stream=stream, filename=filename, folder=folder, max_bytes=max_bytes
    )
    if deposit.status == DepositStatus.RECEIPT_SUBMITTED and replaced:
        after_commit(lambda: storage.discard(folder, replaced))
    before = snapshot(deposit)
    deposit.status = DepositStatus.RECEIPT_SUBMITTED
    deposit.user_id = actor.id
    audit_deposit(
        deposit,
        "submit_receipt",
        actor.id,
        now,
        before=before,
        sha256=stored.sha256,
        bank_reference=reference,
    )
    return deposit


def _submitted_receipt(deposit_id: int, refusal: str) -> Deposit:
    """The deposit whose receipt a reviewer decides on, locked; `refusal` if none is waiting."""
    deposit = _lock(deposit_id)
    if deposit.status != DepositStatus.RECEIPT_SUBMITTED:
        raise DepositError(refusal, code="receipt_not_submitted")
    return deposit


def confirm_deposit(reviewer: User, deposit_id: int, *, now: datetime) -> Deposit:
    """A reviewer found the transfer on the bank statement: the deposit is held (flushes)."""
    require_reviewer(reviewer)
    deposit = _submitted_receipt(deposit_id, N_("Only a submitted receipt can be confirmed."))
    before = snapshot(deposit)
    deposit.status = DepositStatus.HELD
    deposit.held_at = now
    deposit.confirmed_by_id = reviewer.id
    audit_deposit(deposit, "confirm", reviewer.id, now, before=before)
    deposit_ledger.held(deposit, now=now, actor_id=reviewer.id, source=Account.BANK)
    _tell_held(deposit, now=now)
    telling.deposit_confirmed(deposit, now=now)
    return deposit


def hold_by_card(
    deposit_id: int,
    *,
    captured: bool,
    now: datetime,
    payment_id: int | None = None,
    external_ref: str | None = None,
) -> Deposit:
    """Stripe reported the card authorised (or charged): the deposit is held (flushes; idempotent).

    Called by the payments webhook in its transaction. A deposit already held by card
    stays as it is; one that has moved on (applied, released) is not touched.
    """
    deposit = _lock(deposit_id)
    if deposit.status in (DepositStatus.REQUIRED, DepositStatus.RECEIPT_SUBMITTED):
        before = snapshot(deposit)
        deposit.status = DepositStatus.HELD
        deposit.channel = "stripe"
        deposit.held_at = now
        audit_deposit(deposit, "hold_by_card", None, now, before=before, captured=captured)
        _tell_held(deposit, now=now)
    if deposit.channel == "stripe":
        deposit_ledger.held(
            deposit,
            now=now,
            source=Account.STRIPE_BALANCE if captured else Account.CARD_HOLDS,
            payment_id=payment_id,
            external_ref=external_ref,
        )
    db.session.flush()
    return deposit


def _tell_held(deposit: Deposit, *, now: datetime) -> None:
    """Tell the deposit's context (its owner answers `deposit_held`) that it is held."""
    deposit_held.send(
        deposit.context_type, context_id=deposit.context_id, org_id=deposit.org_id, now=now
    )


def reject_receipt(reviewer: User, deposit_id: int, reason: str, *, now: datetime) -> Deposit:
    """A reviewer refuses a receipt with the reason; the bidder may upload another (flushes)."""
    require_reviewer(reviewer)
    reason = decision_reason(reason)
    deposit = _submitted_receipt(deposit_id, N_("Only a submitted receipt can be rejected."))
    before = snapshot(deposit)
    deposit.status = DepositStatus.REQUIRED
    audit_deposit(deposit, "reject_receipt", reviewer.id, now, before=before, reason=reason)
    telling.deposit_rejected(deposit, reason, now=now)
    return deposit
