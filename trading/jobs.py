"""Trading's jobs: close listed sales and public notices whose period is over.

The cron commands (`flask listings close-sales`, `flask deals close-notices`) and
the job runner's sweeps run the same functions. Each run is one unit of work; a
closing that fails is undone alone (a savepoint) and retried next run.
"""

from __future__ import annotations

from flask import current_app

from core.clock import now
from core.jobs import EVERY_MINUTE, job
from core.uow import unit_of_work
from core.workdays import market_calendar
from trading import closing, notices


@job(closing.CLOSE_SALES_JOB, every=EVERY_MINUTE)
def close_sales() -> int:
    """Close every listed sale whose listing period is over; how many closed."""
    config = current_app.config
    with unit_of_work(writer=True):
        return closing.close_due_sales(
            now=now(),
            calendar=market_calendar(config),
            release_working_days=config.get("DEPOSIT_RELEASE_WORKING_DAYS", 5),
        )


@job(notices.CLOSE_NOTICES_JOB, every=EVERY_MINUTE)
def close_notices() -> int:
    """Conclude every public notice whose period ended clean; how many closed."""
    with unit_of_work(writer=True):
        return notices.close_due_notices(now=now())
