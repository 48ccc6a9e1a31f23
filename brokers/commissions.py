"""Commissions on deals, read-only: the deal page's panel and a broker's statement."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import select

from accounts.models import User
from brokers.broker_access import own_broker
from brokers.models import DealCommission
from core.domain import N_
from core.extensions import db
from core.row_lists import all_of
from deals.models import Deal, DealStatus
from payments import ledger
from payments.rules import Account

log = logging.getLogger(__name__)


def commissions_on_deal(deal_id: int) -> list[DealCommission]:
    """The commissions attributed to a deal (read-only: the settlement records them)."""
    return all_of(
        select(DealCommission).where(DealCommission.deal_id == deal_id).order_by(DealCommission.id)
    )


@dataclass
class StatementLine:
    """One deal on a broker's statement."""

    commission: DealCommission
    deal: Deal
    paid: bool | None  # None: the payments ledger does not say


@dataclass
class Statement:
    """A broker's commissions, deal by deal, with totals per currency."""

    lines: list[StatementLine] = field(default_factory=list)
    earned: dict[str, int] = field(default_factory=dict)
    paid: dict[str, int] = field(default_factory=dict)
    outstanding: dict[str, int] = field(default_factory=dict)


def _paid_state(commission: DealCommission) -> bool | None:
    """Whether the payments ledger shows the commission paid out (None: nothing posted yet).

    Read-only: the deal's legs on the broker organisation's payable account. The accrual
    credits it, the payout debits it; settled when the payouts cover the accrual.
    """
    try:
        legs = [
            leg
            for leg in ledger.deal_legs(commission.deal_id)
            if leg.account == Account.BROKER_PAYABLE and leg.org_id == commission.broker_org_id
        ]
    except Exception:  # a reader of another domain's ledger must never break the statement
        log.exception("commission %s: the payments ledger could not be read", commission.id)
        return None
    accrued = -sum(leg.amount_minor for leg in legs if leg.amount_minor < 0)
    paid_out = sum(leg.amount_minor for leg in legs if leg.amount_minor > 0)
    if accrued <= 0:
        return None
    return paid_out >= accrued


def statement(actor: User) -> Statement:
    """The signed-in broker's statement: every deal that carries their commission."""
    broker = own_broker(actor, N_("No such broker."))
    result = Statement()
    rows = db.session.execute(
        select(DealCommission, Deal)
        .join(Deal, Deal.id == DealCommission.deal_id)
        .where(DealCommission.broker_id == broker.id)
        .order_by(Deal.created_at.desc(), DealCommission.id.desc())
    ).all()
    for commission, deal in rows:
        cancelled = deal.status == DealStatus.CANCELLED
        paid = None if cancelled else _paid_state(commission)
        result.lines.append(StatementLine(commission, deal, paid))
        if cancelled:
            continue
        currency = commission.currency
        result.earned[currency] = result.earned.get(currency, 0) + commission.amount_minor
        if paid:
            result.paid[currency] = result.paid.get(currency, 0) + commission.amount_minor
        else:
            result.outstanding[currency] = (
                result.outstanding.get(currency, 0) + commission.amount_minor
            )
    return result
