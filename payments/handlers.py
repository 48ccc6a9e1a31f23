"""Reactions of payments to the deals' signals (connected in `init_app`).

They run inside the deal's transaction and never commit: the deal and its
accrual are saved together or not at all.
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from core.workdays import market_calendar
from deals import signals
from deals.models import Deal
from payments import accruals, deposit_settlement, proceeds
from payments.payment_state import mark_paid_if_settled


def on_deal_created(deal: Deal, *, now: Any, actor_id: int | None = None, **_: Any) -> None:
    """Post the new deal's accrual (price, fee, commissions)."""
    accruals.accrue(deal, now=now, actor_id=actor_id)


def on_deal_cancelled_deposits(
    deal: Deal,
    *,
    now: Any,
    at_fault_org_id: int | None = None,
    actor_id: int | None = None,
    **_: Any,
) -> None:
    """The party at fault forfeits the deposit applied to a cancelled deal; the rest is released.

    Works for every deal a deposit was applied to (auctions and listed sales alike)
    and is idempotent.
    """
    config = current_app.config
    if at_fault_org_id is not None:
        fee_bps = int(config.get("FORFEIT_FEE_BPS", accruals.fee_bps()))
        deposit_settlement.forfeit_for_deal(
            deal, fee_bps=fee_bps, now=now, org_id=at_fault_org_id, actor_id=actor_id
        )
    release_due_at = market_calendar(config).add_working_days(
        now, int(config.get("DEPOSIT_RELEASE_WORKING_DAYS", 5))
    )
    deposit_settlement.release_for_deal(
        deal, now=now, release_due_at=release_due_at, actor_id=actor_id
    )


def on_deal_cancelled(deal: Deal, *, now: Any, actor_id: int | None = None, **_: Any) -> None:
    """Reverse the cancelled deal's accrual and refund what the buyer paid of the price."""
    proceeds.reverse_splits(deal, now=now, actor_id=actor_id)
    accruals.reverse(deal, now=now, actor_id=actor_id)


def on_deal_signed(deal: Deal, *, now: Any, actor_id: int | None = None, **_: Any) -> None:
    """A deal signed when nothing is due any more (paid before signing) is paid at once."""
    mark_paid_if_settled(deal, now=now, actor_id=actor_id)


def on_deal_signed_split(deal: Deal, *, now: Any, actor_id: int | None = None, **_: Any) -> None:
    """A co-owned listing's proceeds are shared by the co-owners once the deal binds."""
    proceeds.split_proceeds(deal, f"deal-{deal.id}-accrual", now=now, actor_id=actor_id)


def connect() -> None:
    """Connect the receivers (blinker ignores a receiver connected twice)."""
    # weak=False: the module-level functions live as long as the process anyway.
    signals.deal_created.connect(on_deal_created, weak=False)
    # Deposits first, then the accrual's reversal: the order the ledger has always seen.
    signals.deal_cancelled.connect(on_deal_cancelled_deposits, weak=False)
    signals.deal_cancelled.connect(on_deal_cancelled, weak=False)
    signals.deal_signed.connect(on_deal_signed, weak=False)
    signals.deal_signed.connect(on_deal_signed_split, weak=False)
