"""An endpoint and a delivery as the page and the API show them."""

from __future__ import annotations

from typing import Any

from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def endpoint(row: WebhookEndpoint, secret: str | None = None) -> dict[str, Any]:
    """An endpoint; with `secret` only when it was just issued."""
    shown = {
        "id": row.id,
        "url": row.url,
        "events": list(row.events),
        "created_at": row.created_at,
        "secret_rotated_at": row.secret_rotated_at,
    }
    return shown if secret is None else {**shown, "secret": secret}


def delivery(row: WebhookDelivery, attempts: list[WebhookAttempt]) -> dict[str, Any]:
    """A delivery with its event and its attempts, oldest first."""
    return {
        "id": row.id,
        "endpoint_id": row.endpoint_id,
        "event_id": row.event.uid,
        "event_type": row.event.type,
        "event_created_at": row.event.created_at,
        "state": row.state.value,
        "attempts": row.attempts,
        "next_at": row.next_at,
        "delivered_at": row.delivered_at,
        "last_status": row.last_status,
        "last_error": row.last_error,
        "log": [
            {
                "at": a.at,
                "status_code": a.status_code,
                "duration_ms": a.duration_ms,
                "error": a.error,
            }
            for a in attempts
        ],
    }


def log(rows: list[WebhookDelivery], attempts: dict[int, list[WebhookAttempt]]) -> list[dict]:
    """The delivery log."""
    return [delivery(row, attempts.get(row.id, [])) for row in rows]
