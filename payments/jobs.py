"""Payments' jobs: make the Stripe calls still queued (each keyed, so safe to repeat), and
keep card holds from lapsing (`payments.card_holds`).

The request that queues a call makes it on its way out; this sweep retries, with
the queue's own back-off, every call a failure or an outage left pending.
"""

from __future__ import annotations

from core.clock import now
from core.jobs import EVERY_MINUTE, job
from payments import card_holds, stripe_queue


@job("payments.stripe_retry", every=EVERY_MINUTE)
def retry_stripe_calls() -> None:
    """Make every queued Stripe call that is due (nothing when Stripe is off)."""
    stripe_queue.run_pending(now=now())


@job("payments.card_holds", every=EVERY_MINUTE)
def keep_card_holds() -> None:
    """Read new card holds' deadlines from Stripe; capture the holds about to lapse."""
    card_holds.keep_holds(now=now())
