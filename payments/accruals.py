"""The deal's accruals: its settlement posted when it is created, reversed when it is cancelled.

Both run in the deal's transaction (from `handlers`) and flush; the caller commits.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from sqlalchemy import select

from core.extensions import db
from core.signals import values_from_signal
from deals.models import Deal
from payments import ledger, rules, signals
from payments.models import LedgerTransaction, Payment
from payments.payment_state import refund
from payments.rules import EntryKind, PaymentStatus


def fee_bps() -> int:
    """The platform's fee in basis points (PLATFORM_FEE_BPS)."""
    return int(current_app.config.get("PLATFORM_FEE_BPS", rules.DEFAULT_PLATFORM_FEE_BPS))


# --- accruals (deal created / cancelled) --------------------------------------------------


def _commissions(deal: Deal) -> list[rules.Commission]:
    """The commissions the deal owes, as its brokers' domain answers `deal_commissions`."""
    return values_from_signal(signals.deal_commissions, deal, flatten=True)


def accrue(deal: Deal, *, now: datetime, actor_id: int | None = None) -> LedgerTransaction:
    """Post the deal's settlement: buyer owes; seller, platform and brokers are owed (flushes)."""
    settlement = rules.settlement(deal.price_minor, fee_bps(), _commissions(deal))
    return ledger.post(
        f"deal-{deal.id}-accrual",
        EntryKind.ACCRUAL,
        rules.accrual_legs(
            settlement,
            currency=deal.currency,
            buyer_org_id=deal.buyer_org_id,
            seller_org_id=deal.seller_org_id,
        ),
        now=now,
        deal_id=deal.id,
        memo=f"settlement of deal {deal.id} (fee {fee_bps()} bps)",
        actor_id=actor_id,
    )


def reverse(deal: Deal, *, now: datetime, actor_id: int | None = None) -> None:
    """A cancelled deal: the accrual is reversed, card payments of the price refunded (flushes)."""
    accrual = ledger.find(f"deal-{deal.id}-accrual")
    if accrual is None:
        return
    ledger.post(
        f"deal-{deal.id}-reversal",
        EntryKind.ACCRUAL_REVERSAL,
        rules.reversed_legs(ledger.legs_of([accrual])),
        now=now,
        deal_id=deal.id,
        memo="the deal was cancelled",
        actor_id=actor_id,
    )
    for payment in db.session.scalars(
        select(Payment).where(
            Payment.deal_id == deal.id,
            Payment.purpose == "price",
            Payment.status == PaymentStatus.SUCCEEDED,
        )
    ):
        refund(payment, now=now, actor_id=actor_id)
