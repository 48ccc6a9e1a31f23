"""Publishing an event: the outbox rows of webhooks, written in the transaction of the change.

Whatever tells an organisation something (`notifications.services.notify_org`, and the
shell's answers to the domains' signals) calls `publish` inside its use case. The
event and one pending delivery per subscribed endpoint are part of that transaction,
so a refused action sends nothing and a committed one is never lost; the delivery
job is queued after the commit and the rows say what is still to send.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from core.extensions import db
from core.jobs import enqueue_after_commit
from webhooks.models import DeliveryState, WebhookDelivery, WebhookEndpoint, WebhookEvent
from webhooks.rules import EVENT_TYPES

DELIVER_JOB = "webhooks.deliver"
_LINK = re.compile(r"^/([a-z_]+?)s?/(\d+)(?:/|$)")


def publish(
    org_id: int | None,
    event_type: str,
    *,
    data: Mapping[str, Any],
    now: datetime,
    link: str | None = None,
) -> WebhookEvent | None:
    """Write `event_type` for the organisation's endpoints that chose it (flushes).

    Nothing is written when no endpoint of the organisation wants it: an endpoint
    receives the events from its registration on.
    """
    if org_id is None or event_type not in EVENT_TYPES:
        return None
    endpoints = [
        endpoint.id
        for endpoint in db.session.scalars(
            select(WebhookEndpoint).where(
                WebhookEndpoint.org_id == org_id, WebhookEndpoint.deleted_at.is_(None)
            )
        )
        if event_type in endpoint.events
    ]
    if not endpoints:
        return None
    event = WebhookEvent(
        uid=f"evt_{uuid.uuid4().hex}",
        org_id=org_id,
        type=event_type,
        data={"organisation_id": org_id, **_subject(link), **dict(data)},
        created_at=now,
    )
    db.session.add(event)
    db.session.flush()
    db.session.add_all(
        WebhookDelivery(
            event_id=event.id, endpoint_id=endpoint_id, state=DeliveryState.PENDING, attempts=0
        )
        for endpoint_id in endpoints
    )
    db.session.flush()
    enqueue_after_commit(DELIVER_JOB)
    return event


def _subject(link: str | None) -> dict[str, Any]:
    """What the event is about, from the page a notification links to ("/auctions/7")."""
    if not link:
        return {}
    found = _LINK.match(link)
    if found is None:
        return {"link": link}
    return {"link": link, "object": {"type": found.group(1), "id": int(found.group(2))}}
