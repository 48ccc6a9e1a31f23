"""Payments' job: make the Stripe calls still queued (each keyed, so safe to repeat).

The request that queues a call makes it on its way out; this sweep retries, with
the queue's own back-off, every call a failure or an outage left pending.
"""

from __future__ import annotations

from core.clock import now
from core.jobs import EVERY_MINUTE, job
from payments import stripe_queue


@job("payments.stripe_retry", every=EVERY_MINUTE)
def retry_stripe_calls() -> None:
    """Make every queued Stripe call that is due (nothing when Stripe is off)."""
    stripe_queue.run_pending(now=now())
