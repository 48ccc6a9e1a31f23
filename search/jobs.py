"""Search's jobs: drain the outbox into the index, and match new listings to saved searches.

Queued after each commit that emits an index event (`core.outbox.consumed_by`),
and swept every minute for events a failed or unreachable run left pending.
"""

from __future__ import annotations

from core import outbox
from core.jobs import EVERY_MINUTE, job
from core.outbox_consumers import consume_each
from listings.review import PUBLISHED_TOPIC
from search.alerts import alert_for_listing
from search.document_registry import KINDS
from search.indexer import drain_all

DRAIN_JOB = "search.drain"


@job(DRAIN_JOB, every=EVERY_MINUTE)
def drain() -> None:
    """Apply the pending index events of every kind (a failing backend leaves them pending)."""
    for kind in KINDS:
        drain_all(kind=kind)


for _kind in KINDS:
    outbox.consumed_by(_kind.topic, DRAIN_JOB)


ALERTS_JOB = "search.alerts"


@job(ALERTS_JOB, every=EVERY_MINUTE)
def alerts() -> int:
    """Match each newly published listing against the saved searches, once; how many listings."""
    return consume_each(PUBLISHED_TOPIC, alert_for_listing, batch=50)


outbox.consumed_by(PUBLISHED_TOPIC, ALERTS_JOB)
