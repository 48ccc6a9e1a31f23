"""Reactions of brokers to the deal ledger's signals (connected in create_app)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from brokers import settlement
from deals import signals
from deals.models import Deal

_connected = False


def on_deal_created(deal: Deal, *, now: datetime, actor_id: int | None = None, **_: Any) -> None:
    """A deal between parties a broker introduced carries the broker's commission.

    Runs in the creating transaction (online sale or offline registration); the
    attribution is recorded there, so no later step can drop the broker.
    """
    settlement.record_attribution(deal, now=now, actor_id=actor_id)


def connect() -> None:
    """Connect the signal handlers (idempotent)."""
    global _connected
    if _connected:
        return
    signals.deal_created.connect(on_deal_created, weak=False)
    _connected = True
