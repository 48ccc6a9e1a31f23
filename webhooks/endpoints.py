"""An organisation's webhook endpoints and their delivery log: its people's use cases.

Its members see the endpoints and the log; its administrator registers, deletes,
rotates a secret and sends an event again (the house's rule for the organisation's
settings, like approving members). They flush and audit; the caller commits.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from accounts.models import User
from core.domain import N_, NotFound, PermissionDenied
from core.extensions import db
from core.jobs import enqueue_after_commit
from core.row_lists import all_of
from core.service_kit import audit_action, flush_new
from webhooks import rules
from webhooks.events import DELIVER_JOB
from webhooks.models import (
    DeliveryState,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

SECRET_PREFIX = "whsec_"
LOG_PAGE = 100


@dataclass(frozen=True)
class NewEndpoint:
    """An endpoint to register: where, and which event types."""

    url: str
    events: list[str]


@dataclass(frozen=True)
class IssuedSecret:
    """An endpoint with its new secret: the only time its people see the secret."""

    endpoint: WebhookEndpoint
    secret: str


def _member_org(actor: User) -> int:
    if actor.acting_org_id is None:
        raise PermissionDenied(N_("Only members of an organisation have webhooks."))
    return actor.acting_org_id


def _admin_org(actor: User) -> int:
    org_id = _member_org(actor)
    if not actor.is_org_admin:
        raise PermissionDenied(N_("Only your organisation's administrator may change webhooks."))
    return org_id


def _endpoint_of(org_id: int, endpoint_id: int) -> WebhookEndpoint:
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.org_id != org_id or endpoint.deleted_at is not None:
        raise NotFound(N_("No such webhook endpoint."))
    return endpoint


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_hex(24)


def register(
    actor: User, data: NewEndpoint, *, now: datetime, allow_local_http: bool
) -> IssuedSecret:
    """Register an endpoint of the actor's organisation; its secret is returned this once."""
    org_id = _admin_org(actor)
    url = rules.check_url(data.url, allow_local_http=allow_local_http)
    events = rules.check_event_types(data.events)
    rules.check_room(endpoint_count(org_id))
    secret = _new_secret()
    endpoint = flush_new(
        WebhookEndpoint(
            org_id=org_id,
            url=url,
            events=events,
            secret=secret,
            created_by_id=actor.id,
            created_at=now,
        )
    )
    after = {"org_id": org_id, "url": url, "events": events}
    audit_action("webhook_endpoint.register", endpoint.id, actor.id, now, after=after)
    return IssuedSecret(endpoint, secret)


def delete(actor: User, endpoint_id: int, *, now: datetime) -> WebhookEndpoint:
    """Stop sending to an endpoint (its log is kept; what is pending is not sent)."""
    endpoint = _endpoint_of(_admin_org(actor), endpoint_id)
    endpoint.deleted_at = now
    db.session.flush()
    audit_action(
        "webhook_endpoint.delete", endpoint.id, actor.id, now, before={"url": endpoint.url}
    )
    return endpoint


def rotate_secret(actor: User, endpoint_id: int, *, now: datetime) -> IssuedSecret:
    """A new secret for an endpoint, shown this once; from the next attempt on it signs."""
    endpoint = _endpoint_of(_admin_org(actor), endpoint_id)
    secret = _new_secret()
    endpoint.secret, endpoint.secret_rotated_at = secret, now
    db.session.flush()
    audit_action("webhook_endpoint.rotate_secret", endpoint.id, actor.id, now)
    return IssuedSecret(endpoint, secret)


def endpoints_of(actor: User) -> list[WebhookEndpoint]:
    """The organisation's endpoints (not the deleted ones), oldest first."""
    return all_of(
        select(WebhookEndpoint)
        .where(
            WebhookEndpoint.org_id == _member_org(actor),
            WebhookEndpoint.deleted_at.is_(None),
        )
        .order_by(WebhookEndpoint.id)
    )


def deliveries_of(actor: User, *, endpoint_id: int | None = None) -> list[WebhookDelivery]:
    """The organisation's delivery log, newest first (LOG_PAGE at most)."""
    query = (
        select(WebhookDelivery)
        .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
        .where(WebhookEvent.org_id == _member_org(actor))
        .order_by(WebhookDelivery.id.desc())
        .limit(LOG_PAGE)
    )
    if endpoint_id is not None:
        query = query.where(WebhookDelivery.endpoint_id == endpoint_id)
    return all_of(query)


def attempts_of(delivery_ids: list[int]) -> dict[int, list[WebhookAttempt]]:
    """Each delivery's attempts, oldest first."""
    found: dict[int, list[WebhookAttempt]] = {d: [] for d in delivery_ids}
    for attempt in db.session.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id.in_(delivery_ids))
        .order_by(WebhookAttempt.id)
    ):
        found[attempt.delivery_id].append(attempt)
    return found


def send_again(actor: User, delivery_id: int, *, now: datetime) -> WebhookDelivery:
    """Deliver an event to its endpoint once more, under the same event id (flushes)."""
    org_id = _admin_org(actor)
    delivery = db.session.get(WebhookDelivery, delivery_id, with_for_update=True)
    if delivery is None or delivery.event.org_id != org_id:
        raise NotFound(N_("No such webhook delivery."))
    _endpoint_of(org_id, delivery.endpoint_id)
    before = {"state": delivery.state.value, "attempts": delivery.attempts}
    delivery.state, delivery.attempts, delivery.next_at = DeliveryState.PENDING, 0, None
    db.session.flush()
    audit_action("webhook_delivery.send_again", delivery.id, actor.id, now, before=before)
    enqueue_after_commit(DELIVER_JOB)
    return delivery


def endpoint_count(org_id: int) -> int:
    """How many endpoints the organisation has (at most MAX_ENDPOINTS)."""
    return int(
        db.session.scalar(
            select(func.count()).where(
                WebhookEndpoint.org_id == org_id, WebhookEndpoint.deleted_at.is_(None)
            )
        )
        or 0
    )
