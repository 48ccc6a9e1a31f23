"""Read models of payments for pages and the API: a deal's money flow, deposits, payouts.

Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import or_, select

from accounts.models import Organisation, User
from core.domain import N_, DomainError, NotFound, PermissionDenied
from core.extensions import db
from core.row_lists import all_of
from core.signals import values_from_signal
from deals.models import Deal, DealStatus
from payments import ledger, rules, signals
from payments.models import ConnectedAccount, Deposit, LedgerLeg, LedgerTransaction, Payment, Payout
from payments.rules import Account, Leg


def acting_org_id(actor: User | None) -> int | None:
    """The organisation the signed-in actor acts for, if any."""
    return actor.acting_org_id if actor is not None and actor.is_authenticated else None


def broker_org_ids(deal_id: int) -> set[int]:
    """Broker organisations with a commission on the deal's ledger."""
    return {
        leg.org_id
        for leg in ledger.deal_legs(deal_id)
        if leg.account == Account.BROKER_PAYABLE and leg.org_id is not None
    }


def visible_deal(actor: User | None, deal_id: int) -> Deal:
    """A deal's money for its parties, its brokers and the reviewers."""
    deal = db.session.get(Deal, deal_id)
    org = acting_org_id(actor)
    if deal is None or actor is None or not actor.is_authenticated:
        raise NotFound(N_("No such deal."))
    if actor.can_review or (
        org is not None
        and (org in (deal.seller_org_id, deal.buyer_org_id) or org in broker_org_ids(deal.id))
    ):
        return deal
    raise NotFound(N_("No such deal."))


@dataclass(frozen=True)
class PartyLine:
    """One party's line of the money flow: what it paid in and what it received."""

    label: str
    org_id: int | None
    paid_in: int
    received: int
    owed: int  # still owed to the party (+) or by the party (−)


@dataclass
class MoneyFlow:
    """A deal's ledger made readable: postings, who paid and got what, what is due."""

    deal: Deal
    transactions: list[LedgerTransaction]
    legs: list[Leg]
    due: int
    seller_payable: int
    broker_payables: dict[int, int]
    platform_fee: int
    forfeited: int
    payments: list[Payment]
    payouts: list[Payout]
    balanced: bool
    names: dict[int, str] = field(default_factory=dict)


def money_flow(actor: User | None, deal_id: int) -> MoneyFlow:
    """The deal's money flow for someone allowed to see it."""
    deal = visible_deal(actor, deal_id)
    transactions = ledger.deal_transactions(deal.id)
    legs = ledger.legs_of(transactions)
    brokers: dict[int, int] = defaultdict(int)
    for leg in legs:
        if leg.account == Account.BROKER_PAYABLE and leg.org_id is not None:
            brokers[leg.org_id] -= leg.amount_minor
    org_ids = {leg.org_id for leg in legs if leg.org_id is not None}
    org_ids |= {deal.seller_org_id} | ({deal.buyer_org_id} if deal.buyer_org_id else set())
    names = {
        org.id: org.name
        for org in db.session.scalars(select(Organisation).where(Organisation.id.in_(org_ids)))
    }
    return MoneyFlow(
        deal=deal,
        transactions=transactions,
        legs=legs,
        due=rules.amount_due(legs, deal.buyer_org_id),
        seller_payable=rules.payable_to(legs, Account.SELLER_PAYABLE, deal.seller_org_id),
        broker_payables=dict(brokers),
        platform_fee=-rules.balance(legs, Account.PLATFORM_FEE),
        forfeited=-rules.balance(legs, Account.FORFEITED_DEPOSITS),
        payments=all_of(select(Payment).where(Payment.deal_id == deal.id).order_by(Payment.id)),
        payouts=all_of(select(Payout).where(Payout.deal_id == deal.id).order_by(Payout.id)),
        balanced=rules.is_balanced(legs),
        names=names,
    )


OrgRow = TypeVar("OrgRow", Deposit, Payout)


def _of_acting_org(model: type[OrgRow], actor: User) -> list[OrgRow]:
    """The rows of `model` that belong to the actor's organisation, newest first."""
    org = acting_org_id(actor)
    if org is None:
        return []
    return all_of(select(model).where(model.org_id == org).order_by(model.id.desc()))


def my_deposits(actor: User) -> list[Deposit]:
    """The deposits the actor's organisation owes or has paid, newest first."""
    return _of_acting_org(Deposit, actor)


def own_deposit(actor: User | None, deposit_id: int) -> Deposit:
    """A deposit of the actor's organisation (NotFound for anyone else)."""
    deposit = db.session.get(Deposit, deposit_id)
    if deposit is None or acting_org_id(actor) != deposit.org_id:
        raise NotFound(N_("No such deposit."))
    return deposit


def visible_deposit(actor: User | None, deposit_id: int) -> Deposit:
    """A deposit for its organisation and the reviewers who confirm it (NotFound for others)."""
    deposit = db.session.get(Deposit, deposit_id)
    if deposit is not None and actor is not None and actor.is_authenticated and actor.can_review:
        return deposit
    return own_deposit(actor, deposit_id)


def period_end_of(deposit: Deposit) -> datetime | None:
    """When the auction or listed sale of a deposit ends (its owner answers the signal)."""
    ends = values_from_signal(
        signals.deposit_period_end, deposit.context_type, context_id=deposit.context_id
    )
    return ends[0] if ends else None


def buyer_deal(actor: User, deal_id: int) -> Deal:
    """An open deal whose buyer the actor acts for, to pay its price (NotFound, PermissionDenied)."""
    deal = db.session.get(Deal, deal_id)
    if deal is None or acting_org_id(actor) is None:
        raise NotFound(N_("No such deal."))
    if acting_org_id(actor) != deal.buyer_org_id:
        if acting_org_id(actor) == deal.seller_org_id:
            raise PermissionDenied(N_("Only the buyer pays the price."))
        raise NotFound(N_("No such deal."))
    if deal.status == DealStatus.CANCELLED:
        raise DomainError(N_("This deal is closed."), code="deal_closed")
    return deal


def connected_account_of(org_id: int | None) -> ConnectedAccount | None:
    """The organisation's connected account, if it started onboarding."""
    if org_id is None:
        return None
    return db.session.scalar(select(ConnectedAccount).where(ConnectedAccount.org_id == org_id))


def payouts_of(actor: User) -> list[Payout]:
    """The payouts to the actor's organisation, newest first."""
    return _of_acting_org(Payout, actor)


def deals_with_money(actor: User) -> list[Deal]:
    """Deals where the actor's organisation pays or is paid (party or broker), newest first."""
    org = acting_org_id(actor)
    if org is None:
        return []
    broker_ids = (
        select(LedgerTransaction.deal_id)
        .join(LedgerLeg, LedgerLeg.transaction_id == LedgerTransaction.id)
        .where(LedgerLeg.account == Account.BROKER_PAYABLE, LedgerLeg.org_id == org)
    )
    return all_of(
        select(Deal)
        .where(
            or_(
                Deal.seller_org_id == org,
                Deal.buyer_org_id == org,
                Deal.id.in_(broker_ids),
            )
        )
        .order_by(Deal.created_at.desc(), Deal.id.desc())
    )
