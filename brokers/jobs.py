"""Brokers' jobs: warn of accreditations about to expire; tell needs of listings that answer them."""

from __future__ import annotations

from brokers import sweeps
from core import outbox
from core.clock import now
from core.jobs import EVERY_MINUTE, job
from core.outbox_consumers import consume_each
from core.uow import unit_of_work
from listings.review import NEEDS_TOPIC

NEEDS_JOB = "brokers.need_alerts"


@job("brokers.expiring", every=EVERY_MINUTE)
def warn_expiring() -> int:
    """Warn each broker once that its accreditation expires within the month."""
    with unit_of_work(writer=True):
        return sweeps.warn_expiring(now=now())


@job(NEEDS_JOB, every=EVERY_MINUTE)
def need_alerts() -> int:
    """Match each newly published listing against the open needs, once; how many listings."""
    return consume_each(NEEDS_TOPIC, sweeps.tell_needs_answered, batch=20)


outbox.consumed_by(NEEDS_TOPIC, NEEDS_JOB)
