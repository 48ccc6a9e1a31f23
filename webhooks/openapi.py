"""The payloads receivers get, in the OpenAPI document: `webhooks` (3.1) or `x-webhooks` (3.0)."""

from __future__ import annotations

from typing import Any

from apispec import APISpec

from webhooks.rules import EVENT_TYPES, SIGNATURE_HEADER
from webhooks.schemas import WebhookEventSchema

_SIGNED = (
    f'Signed: `{SIGNATURE_HEADER}: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" '
    "with the endpoint's secret>`. Answer 2xx within 5 s; anything else is retried with "
    "back-off (8 attempts over about a day). `id` is the same on every retry and resend."
)


def describe(spec: APISpec) -> None:
    """Add the event payload schema and one webhook per event type to `spec`."""
    spec.components.schema("WebhookEvent", schema=WebhookEventSchema)
    section = "webhooks" if str(spec.openapi_version).startswith("3.1") else "x-webhooks"
    spec.options[section] = {event: _operation(event) for event in EVENT_TYPES}


def _operation(event: str) -> dict[str, Any]:
    return {
        "post": {
            "summary": f"{event}",
            "description": _SIGNED,
            "parameters": [
                {
                    "name": SIGNATURE_HEADER,
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string"},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/WebhookEvent"}}
                },
            },
            "responses": {"2XX": {"description": "Received; not sent again"}},
        }
    }
