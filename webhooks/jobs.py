"""The webhook delivery job: queued after each commit that publishes an event, swept every
minute for what is due again (the back-off) or what a dead worker left leased."""

from __future__ import annotations

from core.clock import now
from core.jobs import EVERY_MINUTE, job
from webhooks.delivery import deliver_due
from webhooks.events import DELIVER_JOB


@job(DELIVER_JOB, every=EVERY_MINUTE)
def deliver() -> int:
    """POST every due delivery; how many were delivered."""
    return deliver_due(now)
