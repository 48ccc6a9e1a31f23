"""Listings' jobs: a portfolio import makes its draft listings, batch by batch."""

from __future__ import annotations

from core.clock import now
from core.jobs import EVERY_MINUTE, job
from core.uow import unit_of_work
from listings import portfolio


@job(portfolio.IMPORT_JOB, every=EVERY_MINUTE)
def import_portfolios(import_id: int | None = None) -> int:
    """Finish import `import_id` (or every unfinished one, as a sweep); one commit per batch,
    so the progress bar moves and a job that died resumes at its last batch."""
    if import_id is None:
        with unit_of_work():
            pending = portfolio.pending_imports()
    else:
        pending = [import_id]
    for item in pending:
        done = False
        while not done:
            with unit_of_work(writer=True):
                done = portfolio.import_batch(item, now=now())
    return len(pending)
