"""The Stripe queue's runner: make the queued calls, each in its own unit of work.

Apart from `stripe_channel` (which queues the calls and makes one) because applying
a call's result (`card_events`) needs the payment and deposit modules, which queue
calls themselves.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from flask import g, has_app_context
from sqlalchemy import select

from core.extensions import db
from core.uow import unit_of_work
from payments import card_events
from payments.models import OperationStatus, StripeOperation
from payments.stripe_channel import call, enabled, pending_operations

log = logging.getLogger(__name__)


@dataclass
class RunReport:
    """What one pass over the queue did."""

    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    retry_later: list[str] = field(default_factory=list)


def execute(operation_id: int, *, now: datetime) -> str:
    """Make one queued call and apply its effect; 'done', 'failed' or 'pending' (flushes).

    A transient failure (network, Stripe 5xx, rate limit) leaves the row pending for the
    next pass; a refusal marks it failed for a person to look at. Either way the attempt
    is recorded: the caller's unit of work commits it (`run_pending` opens one per call).
    """
    import stripe

    operation = db.session.scalar(
        select(StripeOperation)
        .where(StripeOperation.id == operation_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if operation is None or operation.status != OperationStatus.PENDING:
        return operation.status.value if operation is not None else "missing"
    operation.attempts += 1
    try:
        result = call(operation)
    except (stripe.InvalidRequestError, stripe.CardError, stripe.PermissionError) as error:
        operation.status = OperationStatus.FAILED
        operation.last_error = str(error)[:2000]
        operation.done_at = now
        log.warning("Stripe refused %s: %s", operation.key, error)
        return "failed"
    except stripe.StripeError as error:
        operation.last_error = str(error)[:2000]
        log.warning("Stripe call %s will be retried: %s", operation.key, error)
        return "pending"
    operation.status = OperationStatus.DONE
    operation.done_at = now
    operation.stripe_object_id = getattr(result, "id", None)
    card_events.apply_operation_result(operation, result, now=now)
    return "done"


def run_pending(*, now: datetime, limit: int = 100) -> RunReport:
    """Make every queued call, each in a unit of work of its own (the queue's runner)."""
    report = RunReport()
    if not enabled():
        return report
    for operation in pending_operations(limit):
        key = operation.key
        try:
            with unit_of_work(writer=True):
                outcome = execute(operation.id, now=now)
        except Exception:  # one broken row must not stop the others
            log.exception("Stripe operation %s crashed", key)
            outcome = "pending"
        {"done": report.done, "failed": report.failed}.get(outcome, report.retry_later).append(key)
    return report


def run_after_request(now: datetime) -> None:
    """Make the calls this request committed to the queue, without ever failing the response."""
    if not (has_app_context() and g.pop("stripe_operations_pending", False)):
        return
    try:
        run_pending(now=now, limit=20)
    except Exception:  # the cron pass will make them
        log.exception("Stripe operations left for the next pass")
