"""Deals' jobs: the rules cancel a sale unsigned within the working days; late milestones are told."""

from __future__ import annotations

from flask import current_app

from core.clock import now
from core.jobs import EVERY_MINUTE, job
from core.uow import unit_of_work
from core.workdays import market_calendar
from deals import cancellation, telling


@job(cancellation.LAPSE_JOB, every=EVERY_MINUTE)
def lapse_unsigned() -> int:
    """Cancel every online sale still unsigned past its deadline, the winner at fault."""
    config = current_app.config
    with unit_of_work(writer=True):
        return cancellation.lapse_unsigned(
            now=now(),
            calendar=market_calendar(config),
            working_days=int(config.get("SIGNING_WORKING_DAYS", 5)),
        )


@job("deals.overdue", every=EVERY_MINUTE)
def tell_overdue() -> int:
    """Tell the parties of each deal late for its next milestone, once per milestone."""
    days = int(current_app.config.get("DEAL_STEP_DAYS", telling.STEP_DAYS))
    with unit_of_work(writer=True):
        return telling.tell_overdue(now=now(), days=days)
