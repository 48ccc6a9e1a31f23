"""Reactions of auctions to other domains' signals (connected in create_app)."""

from __future__ import annotations

from typing import Any

from flask import current_app

from core.workdays import WorkCalendar
from deals import signals
from deals.models import Deal
from payments import deposits

_connected = False


def on_deal_cancelled(
    deal: Deal, *, now: Any, forfeit_deposits: bool = False, actor_id: int | None = None, **_: Any
) -> None:
    """The deposit applied to a cancelled deal is forfeited (winner did not sign) or released.

    Runs in the cancelling transaction; the deals service commits. Works for every
    deal a deposit was applied to (auctions and listed sales alike) and is idempotent.
    """
    if forfeit_deposits:
        deposits.forfeit_for_deal(deal, now=now, actor_id=actor_id)
        return
    config = current_app.config
    calendar = WorkCalendar.from_text(
        config.get("MARKET_HOLIDAYS", ""), config.get("MARKET_WORKDAYS", "")
    )
    release_due_at = calendar.add_working_days(
        now, int(config.get("DEPOSIT_RELEASE_WORKING_DAYS", 5))
    )
    deposits.release_for_deal(deal, now=now, release_due_at=release_due_at, actor_id=actor_id)


def connect() -> None:
    """Connect the signal handlers (idempotent)."""
    global _connected
    if _connected:
        return
    # weak=False: the module-level function lives as long as the process anyway.
    signals.deal_cancelled.connect(on_deal_cancelled, weak=False)
    _connected = True
