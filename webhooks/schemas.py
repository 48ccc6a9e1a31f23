"""Webhook endpoints and deliveries in the API, and the payload a receiver gets (OpenAPI)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.marshmallow_messages import REQUIRED
from core.schema_kit import InputSchema
from core.schema_out import out_fields, page_of
from webhooks.rules import EVENT_TYPES, MAX_URL_LENGTH


class EndpointInSchema(InputSchema):
    """An endpoint to register: its https URL and the event types it wants."""

    url = fields.String(
        required=True,
        error_messages=REQUIRED,
        validate=validate.Length(max=MAX_URL_LENGTH),
        metadata={"description": "https:// (http://localhost or 127.0.0.1 in development)"},
    )
    events = fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)),
        required=True,
        error_messages=REQUIRED,
        validate=validate.Length(min=1, max=len(EVENT_TYPES)),
        metadata={"description": "Event types, see the `webhooks` section"},
    )


@out_fields(integers="id", strings="url", datetimes="created_at secret_rotated_at?")
class EndpointOutSchema(Schema):
    """An endpoint as its organisation sees it (never its secret, but when issued)."""

    events = fields.List(fields.String())


class EndpointIssuedSchema(EndpointOutSchema):
    """An endpoint with its signing secret: shown when registered or rotated, never again."""

    secret = fields.String(metadata={"description": "whsec_...: verify X-Market-Signature"})


EndpointPageSchema = page_of(
    EndpointOutSchema, "The organisation's endpoints.", name="EndpointPageSchema"
)


@out_fields(integers="duration_ms", strings="error?", datetimes="at")
class AttemptOutSchema(Schema):
    """One POST of a delivery."""

    status_code = fields.Integer(allow_none=True, metadata={"description": "None: no answer"})


@out_fields(integers="id endpoint_id attempts", strings="event_type", datetimes="event_created_at next_at? delivered_at?")  # fmt: skip
class DeliveryOutSchema(Schema):
    """One event to one endpoint: its state and every attempt."""

    event_id = fields.String(metadata={"description": "The payload's `id`: the same on resends"})
    state = fields.String(metadata={"description": "pending, delivered or failed"})
    log = fields.List(fields.Nested(AttemptOutSchema))


DeliveryPageSchema = page_of(
    DeliveryOutSchema,
    "The organisation's delivery log, newest first (the last 100).",
    name="DeliveryPageSchema",
)


class DeliveryArgsSchema(InputSchema):
    """Only one endpoint's deliveries."""

    endpoint_id = fields.Integer(load_default=None)


class EventObjectSchema(Schema):
    """What the event is about: a kind of object and its id (its page is `link`)."""

    type = fields.String(metadata={"example": "auction"})
    id = fields.Integer(metadata={"example": 42})


class EventDataSchema(Schema):
    """The event's details: the organisation, the object, and the event's own parameters
    (e.g. `title`, `title_en`, `price_minor`, `amount_minor`, `currency`, `reason`)."""

    organisation_id = fields.Integer()
    link = fields.String(metadata={"description": "Path of the object's page on the market"})
    object = fields.Nested(EventObjectSchema)


class WebhookEventSchema(Schema):
    """The body POSTed to an endpoint; signed in the X-Market-Signature header."""

    id = fields.String(metadata={"description": "Stable across retries: deduplicate on it"})
    type = fields.String(validate=validate.OneOf(EVENT_TYPES))
    created_at = fields.DateTime()
    data = fields.Nested(EventDataSchema)
