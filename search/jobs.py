"""Search's job: drain the outbox of every document kind into the index.

Queued after each commit that emits an index event (`core.outbox.consumed_by`),
and swept every minute for events a failed or unreachable run left pending.
"""

from __future__ import annotations

from core import outbox
from core.jobs import EVERY_MINUTE, job
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
