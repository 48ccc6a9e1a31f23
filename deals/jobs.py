"""Deals' jobs: the rules cancel a sale whose winner has not signed within the working days."""

from __future__ import annotations

from flask import current_app

from core.clock import now
from core.jobs import EVERY_MINUTE, job
from core.uow import unit_of_work
from core.workdays import market_calendar
from deals import cancellation


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
