"""Delivering webhooks (the job's side): claim what is due, POST it signed, log the attempt.

A delivery is claimed by a short writer transaction that leases it (its `next_at`
moves past the time its batch's POSTs can take), so two workers, or a job and its sweep, never POST
the same delivery at once; on PostgreSQL rows another worker holds are skipped. The
POST runs outside any transaction; its outcome is written in another. A delivery
answered 2xx is never claimed again. A worker that dies between the POST and the
record leaves the lease to expire and the delivery is sent once more, under the same
event id, which is why the payload's `id` is what receivers deduplicate on.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from core.extensions import db
from core.service_kit import audit_action
from core.uow import unit_of_work
from webhooks import rules
from webhooks.models import (
    DeliveryState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

log = logging.getLogger(__name__)

BATCH = 20
# A claimed batch is POSTed one by one: its lease outlasts every POST timing out, twice.
LEASE = timedelta(seconds=2 * BATCH * rules.TIMEOUT_SECONDS)
USER_AGENT = "TechMarket-Webhooks/1"


@dataclass(frozen=True)
class Outgoing:
    """A claimed delivery, read before the POST: where to, what, signed with which secret."""

    delivery_id: int
    url: str
    secret: str
    event_uid: str
    event_type: str
    body: bytes


@dataclass(frozen=True)
class Outcome:
    """What one POST came to: the receiver's status (None: no answer), how long, what failed."""

    status: int | None
    duration_ms: int
    error: str | None


def payload(event: WebhookEvent) -> bytes:
    """The JSON body: {id, type, created_at, data}, the same bytes on every attempt."""
    document = {
        "id": event.uid,
        "type": event.type,
        "created_at": event.created_at.isoformat().replace("+00:00", "Z"),
        "data": event.data,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True).encode()


def claim_due(*, now: datetime, lease_until: datetime, limit: int = BATCH) -> list[Outgoing]:
    """Pending deliveries whose time has come, leased until `lease_until` (flushes).

    Run in a writer unit of work: on SQLite the write lock serialises the workers.
    """
    query = (
        select(WebhookDelivery)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(
            WebhookDelivery.state == DeliveryState.PENDING,
            WebhookEndpoint.deleted_at.is_(None),
            (WebhookDelivery.next_at.is_(None)) | (WebhookDelivery.next_at <= now),
        )
        .order_by(WebhookDelivery.id)
        .limit(limit)
    )
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(of=WebhookDelivery, skip_locked=True)
    claimed = []
    for delivery in db.session.scalars(query):
        delivery.attempts += 1
        delivery.next_at = lease_until
        endpoint = db.session.get(WebhookEndpoint, delivery.endpoint_id)
        assert endpoint is not None  # joined above
        claimed.append(
            Outgoing(
                delivery.id,
                endpoint.url,
                endpoint.secret,
                delivery.event.uid,
                delivery.event.type,
                payload(delivery.event),
            )
        )
    db.session.flush()
    return claimed


def post(outgoing: Outgoing, *, timestamp: int) -> Outcome:
    """POST the event, signed at `timestamp`; never raises (the outcome says what failed)."""
    request = urllib.request.Request(
        outgoing.url,
        data=outgoing.body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Market-Event-Id": outgoing.event_uid,
            "X-Market-Event-Type": outgoing.event_type,
            rules.SIGNATURE_HEADER: rules.signature(outgoing.secret, timestamp, outgoing.body),
        },
    )
    started = time.monotonic()
    status, error = None, None
    try:
        with _OPENER.open(request, timeout=rules.TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as refused:  # the receiver answered, but not 2xx
        status, error = refused.code, f"HTTP {refused.code}"
    except Exception as failure:  # refused, unreachable, timed out, TLS
        error = f"{type(failure).__name__}: {failure}"
    duration = int((time.monotonic() - started) * 1000)
    return Outcome(status, duration, None if error is None else error[:500])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer that is not 2xx: the POST is never replayed elsewhere."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


# Straight to the receiver: no proxy from the environment, no redirects followed.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


def record(delivery_id: int, outcome: Outcome, *, now: datetime) -> DeliveryState | None:
    """Log the attempt; delivered, or due again after the back-off, or given up (flushes)."""
    delivery = db.session.get(WebhookDelivery, delivery_id, populate_existing=True)
    if delivery is None:
        return None
    db.session.add(
        WebhookAttempt(
            delivery_id=delivery_id,
            at=now,
            status_code=outcome.status,
            duration_ms=outcome.duration_ms,
            error=outcome.error,
        )
    )
    delivery.last_status, delivery.last_error = outcome.status, outcome.error
    if rules.delivered(outcome.status):
        delivery.state, delivery.delivered_at, delivery.next_at = (
            DeliveryState.DELIVERED,
            now,
            None,
        )
    else:
        delivery.next_at = rules.retry_at(delivery.attempts, now)
        if delivery.next_at is None:
            delivery.state = DeliveryState.FAILED
            after = {"attempts": delivery.attempts, "error": outcome.error}
            audit_action("webhook_delivery.failed", delivery_id, None, now, after=after)
    db.session.flush()
    return delivery.state


def deliver_due(clock: Callable[[], datetime]) -> int:
    """Deliver every delivery that is due, batch after batch; how many were delivered."""
    delivered = 0
    while True:
        moment = clock()
        with unit_of_work(writer=True):
            batch = claim_due(now=moment, lease_until=moment + LEASE)
        if not batch:
            return delivered
        for outgoing in batch:
            outcome = post(outgoing, timestamp=int(clock().timestamp()))
            if outcome.error:
                log.warning("webhook delivery %s: %s", outgoing.delivery_id, outcome.error)
            with unit_of_work(writer=True):
                state = record(outgoing.delivery_id, outcome, now=clock())
            delivered += state == DeliveryState.DELIVERED
