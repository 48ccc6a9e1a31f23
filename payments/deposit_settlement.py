"""Settling deposits (保证金) when their sale ends or its deal is cancelled; moving them.

Other use cases compose these in their transactions: an auction or listed sale that
closes (`settle`, `release_all`), a listed sale carried into its auction (`move_context`),
a cancelled deal (`forfeit_for_deal`, `release_for_deal`). Every function locks the
deposits it changes, posts the money's moves to the ledger (`payments.deposit_ledger`),
audits, and flushes; the caller's unit of work commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.domain import N_
from core.extensions import db
from core.row_lists import all_of
from deals.models import Deal
from payments import deposit_ledger, payouts, telling
from payments.deposits import (
    DepositError,
    audit_deposit,
    check_context,
    deposits_of_context,
    snapshot,
)
from payments.models import Deposit, DepositStatus

_REFUNDABLE = (DepositStatus.HELD, DepositStatus.RECEIPT_SUBMITTED)


def _release(
    deposit: Deposit, *, now: datetime, release_due_at: datetime, actor_id: int | None
) -> None:
    before = snapshot(deposit)
    deposit.status = DepositStatus.RELEASED
    deposit.settled_at = now
    deposit.release_due_at = release_due_at
    audit_deposit(
        deposit, "release", actor_id, now, before=before, release_due_at=release_due_at.isoformat()
    )
    deposit_ledger.released(deposit, now=now, actor_id=actor_id)
    telling.deposit_settled(deposit, "deposit.released", now=now)


def settle(
    context_type: str,
    context_id: int,
    *,
    winner_org_id: int,
    deal_id: int,
    now: datetime,
    release_due_at: datetime,
    actor_id: int | None = None,
) -> list[Deposit]:
    """A sale concluded: the winner's deposit is applied to the price, the others released.

    Receipts still waiting for a reviewer are released too (whatever arrived goes back).
    Flushes; the caller commits with the sale.
    """
    check_context(context_type)
    changed: list[Deposit] = []
    winner_found = False
    for deposit in deposits_of_context(context_type, context_id, lock=True):
        if deposit.org_id == winner_org_id:
            if deposit.status != DepositStatus.HELD:
                raise DepositError(N_("The buyer's deposit is not held."), code="deposit_not_held")
            before = snapshot(deposit)
            deposit.status = DepositStatus.APPLIED
            deposit.deal_id = deal_id
            deposit.settled_at = now
            audit_deposit(deposit, "apply", actor_id, now, before=before, deal_id=deal_id)
            deposit_ledger.applied(deposit, now=now, actor_id=actor_id)
            winner_found = True
            changed.append(deposit)
        elif deposit.status in _REFUNDABLE:
            _release(deposit, now=now, release_due_at=release_due_at, actor_id=actor_id)
            changed.append(deposit)
    if not winner_found:
        raise DepositError(N_("The buyer's deposit is not held."), code="deposit_not_held")
    db.session.flush()
    return changed


def release_all(
    context_type: str,
    context_id: int,
    *,
    now: datetime,
    release_due_at: datetime,
    actor_id: int | None = None,
    except_org_ids: frozenset[int] = frozenset(),
) -> list[Deposit]:
    """No sale (or the context ended): every held or submitted deposit is released (flushes)."""
    check_context(context_type)
    changed = []
    for deposit in deposits_of_context(context_type, context_id, lock=True):
        if deposit.status in _REFUNDABLE and deposit.org_id not in except_org_ids:
            _release(deposit, now=now, release_due_at=release_due_at, actor_id=actor_id)
            changed.append(deposit)
    db.session.flush()
    return changed


def move_context(
    from_type: str,
    from_id: int,
    to_type: str,
    to_id: int,
    *,
    now: datetime,
    org_ids: set[int] | frozenset[int] | None = None,
    actor_id: int | None = None,
) -> list[Deposit]:
    """Carry deposits into another context (a listed sale's parties into its auction; flushes).

    Settled deposits stay where they are; `org_ids` limits the move to those parties.
    """
    check_context(from_type)
    check_context(to_type)
    moved = []
    for deposit in deposits_of_context(from_type, from_id, lock=True):
        if org_ids is not None and deposit.org_id not in org_ids:
            continue
        if deposit.status not in (*_REFUNDABLE, DepositStatus.REQUIRED):
            continue
        before = {**snapshot(deposit), "context": f"{from_type}:{from_id}"}
        deposit.context_type = to_type
        deposit.context_id = to_id
        audit_deposit(deposit, "move", actor_id, now, before=before)
        moved.append(deposit)
    db.session.flush()
    return moved


def _deal_deposits(deal: Deal) -> list[Deposit]:
    return all_of(
        select(Deposit)
        .where(Deposit.deal_id == deal.id, Deposit.status == DepositStatus.APPLIED)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def forfeit_for_deal(
    deal: Deal, *, fee_bps: int, now: datetime, org_id: int, actor_id: int | None = None
) -> list[Deposit]:
    """The party at fault (`org_id`) forfeits its deposit applied to the deal (idempotent; flushes).

    A winner who does not sign, or a party a reviewer found at fault. The seller is
    compensated with it, less the market's fee (`fee_bps`): posted as owed to the seller,
    and a payout the seller is owed.
    """
    changed = []
    for deposit in _deal_deposits(deal):
        if deposit.org_id != org_id:
            continue
        before = snapshot(deposit)
        deposit.status = DepositStatus.FORFEITED
        deposit.settled_at = now
        audit_deposit(deposit, "forfeit", actor_id, now, before=before, deal_id=deal.id)
        owed = deposit_ledger.forfeited(
            deposit, seller_org_id=deal.seller_org_id, fee_bps=fee_bps, now=now, actor_id=actor_id
        )
        payouts.owe_forfeit_to_seller(
            deal, owed, by_card=deposit.channel == "stripe", now=now, actor_id=actor_id
        )
        telling.deposit_settled(deposit, "deposit.forfeited", now=now)
        changed.append(deposit)
    db.session.flush()
    return changed


def release_for_deal(
    deal: Deal, *, now: datetime, release_due_at: datetime, actor_id: int | None = None
) -> list[Deposit]:
    """A deal cancelled: the deposits still applied to it (no party at fault) go back (flushes)."""
    changed = []
    for deposit in _deal_deposits(deal):
        _release(deposit, now=now, release_due_at=release_due_at, actor_id=actor_id)
        changed.append(deposit)
    db.session.flush()
    return changed
