"""Reactions of payments to the deals' signals (connected in `init_app`).

They run inside the deal's transaction and never commit: the deal and its
accrual are saved together or not at all.
"""

from __future__ import annotations

from typing import Any

from deals import signals
from deals.models import Deal
from payments import services

_connected = False


def on_deal_created(deal: Deal, *, now: Any, actor_id: int | None = None, **_: Any) -> None:
    """Post the new deal's accrual (price, fee, commissions)."""
    services.accrue(deal, now=now, actor_id=actor_id)


def on_deal_cancelled(deal: Deal, *, now: Any, actor_id: int | None = None, **_: Any) -> None:
    """Reverse the cancelled deal's accrual and refund what the buyer paid of the price."""
    services.reverse(deal, now=now, actor_id=actor_id)


def connect() -> None:
    """Connect the receivers (idempotent)."""
    global _connected
    if _connected:
        return
    signals.deal_created.connect(on_deal_created, weak=False)
    signals.deal_cancelled.connect(on_deal_cancelled, weak=False)
    _connected = True
