"""REST endpoints of webhooks (`/api/v1/webhooks`): an organisation's endpoints and delivery log.

Reads take a token or the browser session; writes a write-scoped token. Members of the
organisation read; its administrator registers, deletes, rotates and sends again.
The payloads themselves are in the document's `webhooks` (`x-webhooks` in 3.0).
"""

from __future__ import annotations

from typing import Any

from flask import after_this_request, current_app
from werkzeug.wrappers import Response

from accounts.auth import api_reader, api_writer, token_api
from core.clock import now
from core.uow import unit_of_work
from webhooks import endpoints, presenting
from webhooks.schemas import (
    DeliveryArgsSchema,
    DeliveryOutSchema,
    DeliveryPageSchema,
    EndpointInSchema,
    EndpointIssuedSchema,
    EndpointOutSchema,
    EndpointPageSchema,
)

blp = token_api(
    "webhooks_api",
    __name__,
    "Outbound webhooks: endpoints (the secret is shown once), the delivery log",
)


def _not_stored(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"  # the secret stays in no cache
    return response


@blp.read("/", EndpointPageSchema, 401, 403)
def index() -> dict[str, Any]:
    """The caller's organisation's endpoints."""
    return {"items": [presenting.endpoint(e) for e in endpoints.endpoints_of(api_reader())]}


@blp.write("/", 201, EndpointIssuedSchema, 401, 403, 422, args=EndpointInSchema)
def register(data: dict[str, Any]) -> dict[str, Any]:
    """Register an endpoint; the response holds its signing secret, shown this once."""
    new = endpoints.NewEndpoint(data["url"], data["events"])
    with unit_of_work():
        issued = endpoints.register(
            api_writer(), new, now=now(), allow_local_http=_local_http_allowed()
        )
        shown = presenting.endpoint(issued.endpoint, issued.secret)
    after_this_request(_not_stored)
    return shown


def _local_http_allowed() -> bool:
    return bool(current_app.config.get("WEBHOOKS_ALLOW_LOCAL_HTTP"))


@blp.write("/<int:endpoint_id>", 200, EndpointOutSchema, 401, 403, 404, method="DELETE")
def delete(endpoint_id: int) -> dict[str, Any]:
    """Delete an endpoint: nothing more is sent to it; its log stays."""
    with unit_of_work():
        return presenting.endpoint(endpoints.delete(api_writer(), endpoint_id, now=now()))


@blp.write("/<int:endpoint_id>/secret", 200, EndpointIssuedSchema, 401, 403, 404)
def rotate(endpoint_id: int) -> dict[str, Any]:
    """A new signing secret (shown this once); the old one stops signing at once."""
    with unit_of_work():
        issued = endpoints.rotate_secret(api_writer(), endpoint_id, now=now())
        shown = presenting.endpoint(issued.endpoint, issued.secret)
    after_this_request(_not_stored)
    return shown


@blp.read("/deliveries", DeliveryPageSchema, 401, 403, args=DeliveryArgsSchema)
def deliveries(args: dict[str, Any]) -> dict[str, Any]:
    """The delivery log, newest first: each event's state and attempts (status, duration)."""
    rows = endpoints.deliveries_of(api_reader(), endpoint_id=args["endpoint_id"])
    return {"items": presenting.log(rows, endpoints.attempts_of([r.id for r in rows]))}


@blp.write("/deliveries/<int:delivery_id>/resend", 200, DeliveryOutSchema, 401, 403, 404)
def resend(delivery_id: int) -> dict[str, Any]:
    """Send an event to its endpoint again, under the same event id."""
    with unit_of_work():
        row = endpoints.send_again(api_writer(), delivery_id, now=now())
        shown = presenting.delivery(row, endpoints.attempts_of([row.id])[row.id])
    return shown
