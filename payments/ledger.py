"""Posting to the deal ledger and reading it back; checking that every deal balances.

`post()` is idempotent by key: the second posting with the same key (a webhook
replayed, a retry after a crash, two receivers of one signal) returns the first and
writes nothing. Postings flush and leave the commit to the caller's use case.

Deposits exist before their deal: a deposit's postings (held, captured, released)
carry `deposit_id`; the posting that applies it to the price carries both the deal
and the deposit. A deal's ledger is therefore its own postings plus every posting of
the deposits applied to it, and it balances as a whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from core.extensions import db
from core.row_lists import all_of
from deals.models import Deal
from payments import rules
from payments.models import Deposit, LedgerLeg, LedgerTransaction
from payments.rules import Account, EntryKind, Leg, PaymentChannel


def find(key: str) -> LedgerTransaction | None:
    """The posting with this key, if it was made."""
    return db.session.scalar(select(LedgerTransaction).where(LedgerTransaction.key == key))


def post(
    key: str,
    kind: EntryKind,
    legs: Sequence[Leg],
    *,
    now: datetime,
    deal_id: int | None = None,
    deposit_id: int | None = None,
    payment_id: int | None = None,
    payout_id: int | None = None,
    channel: PaymentChannel | None = None,
    memo: str = "",
    external_ref: str | None = None,
    actor_id: int | None = None,
) -> LedgerTransaction:
    """Write one balanced posting once (flushes); a posting with the same key is returned as is."""
    rules.check_balanced(legs)
    existing = find(key)
    if existing is not None:
        return existing
    entry = LedgerTransaction(
        key=key,
        kind=kind,
        deal_id=deal_id,
        deposit_id=deposit_id,
        payment_id=payment_id,
        payout_id=payout_id,
        channel=channel,
        memo=memo[:300],
        external_ref=external_ref,
        actor_id=actor_id,
        created_at=now,
        legs=[
            LedgerLeg(
                account=leg.account,
                org_id=leg.org_id,
                amount_minor=leg.amount_minor,
                currency=leg.currency,
            )
            for leg in legs
        ],
    )
    try:
        with db.session.begin_nested():
            db.session.add(entry)
    except IntegrityError:  # a concurrent transaction posted the same key first
        again = find(key)
        if again is None:
            raise
        return again
    return entry


def _as_leg(leg: LedgerLeg) -> Leg:
    return Leg(leg.account, leg.amount_minor, leg.currency, leg.org_id)


def deal_transactions(deal_id: int) -> list[LedgerTransaction]:
    """The deal's postings and those of the deposits applied to it, in order."""
    deposit_ids = select(Deposit.id).where(Deposit.deal_id == deal_id)
    return all_of(
        select(LedgerTransaction)
        .where(
            or_(
                LedgerTransaction.deal_id == deal_id,
                LedgerTransaction.deposit_id.in_(deposit_ids),
            )
        )
        .order_by(LedgerTransaction.created_at, LedgerTransaction.id)
    )


def deposit_transactions(deposit_id: int) -> list[LedgerTransaction]:
    """A deposit's postings, in order."""
    return all_of(
        select(LedgerTransaction)
        .where(LedgerTransaction.deposit_id == deposit_id)
        .order_by(LedgerTransaction.created_at, LedgerTransaction.id)
    )


def legs_of(transactions: Sequence[LedgerTransaction]) -> list[Leg]:
    """The legs of the postings as pure values."""
    return [_as_leg(leg) for entry in transactions for leg in entry.legs]


def deal_legs(deal_id: int) -> list[Leg]:
    """Every leg of the deal's ledger."""
    return legs_of(deal_transactions(deal_id))


def amount_due(deal: Deal) -> int:
    """What the buyer still owes on the deal."""
    return rules.amount_due(deal_legs(deal.id), deal.buyer_org_id)


def deposit_source(deposit_id: int) -> Account | None:
    """Where a held deposit's money sits now (bank, Stripe balance or card hold)."""
    sums: dict[Account, int] = defaultdict(int)
    for leg in legs_of(deposit_transactions(deposit_id)):
        if leg.account in (Account.BANK, Account.STRIPE_BALANCE, Account.CARD_HOLDS):
            sums[leg.account] += leg.amount_minor
    for account in (Account.CARD_HOLDS, Account.STRIPE_BALANCE, Account.BANK):
        if sums.get(account, 0) > 0:
            return account
    return None


# --- the check -----------------------------------------------------------------------------


@dataclass
class LedgerProblem:
    """A deal (or a deposit before its deal) whose ledger is wrong, and why."""

    scope: str  # "deal" or "deposit"
    object_id: int
    problems: list[str] = field(default_factory=list)


def check_deal(deal: Deal) -> list[str]:
    """What is wrong with one deal's ledger (empty when it balances and is complete)."""
    problems: list[str] = []
    transactions = deal_transactions(deal.id)
    for entry in transactions:
        if not rules.is_balanced([_as_leg(leg) for leg in entry.legs]):
            problems.append(f"posting {entry.key} does not balance")
    totals = rules.totals_by_currency(legs_of(transactions))
    for currency, total in sorted(totals.items()):
        if total != 0:
            problems.append(f"the deal's legs sum to {total} {currency}, not 0")
    accruals = [t for t in transactions if t.kind == EntryKind.ACCRUAL and t.deal_id == deal.id]
    if not accruals:
        problems.append("no accrual was posted")
    for accrual in accruals:
        legs = [_as_leg(leg) for leg in accrual.legs]
        owed = rules.balance(legs, Account.BUYER_RECEIVABLE)
        price_side = -sum(
            leg.amount_minor
            for leg in legs
            if leg.account in (Account.SELLER_PAYABLE, Account.PLATFORM_FEE, Account.BROKER_PAYABLE)
        )
        if owed < deal.price_minor or price_side != owed:
            problems.append(f"the accrual ({owed}) does not match the price ({deal.price_minor})")
    return problems


def check_all() -> list[LedgerProblem]:
    """Every deal, and every deposit posting outside a deal, checked; the faulty ones returned."""
    found: list[LedgerProblem] = []
    for deal in db.session.scalars(select(Deal).order_by(Deal.id)):
        problems = check_deal(deal)
        if problems:
            found.append(LedgerProblem("deal", deal.id, problems))
    loose = db.session.scalars(
        select(LedgerTransaction)
        .where(LedgerTransaction.deal_id.is_(None))
        .order_by(LedgerTransaction.id)
    )
    by_deposit: dict[int, list[LedgerTransaction]] = defaultdict(list)
    for entry in loose:
        by_deposit[entry.deposit_id or 0].append(entry)
    for deposit_id, entries in sorted(by_deposit.items()):
        problems = [
            f"posting {entry.key} does not balance"
            for entry in entries
            if not rules.is_balanced([_as_leg(leg) for leg in entry.legs])
        ]
        if problems:
            found.append(LedgerProblem("deposit", deposit_id, problems))
    return found
