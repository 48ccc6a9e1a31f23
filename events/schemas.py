"""Events' input (the organiser's form, query arguments, interest) and their API output."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import url_for
from marshmallow import Schema, ValidationError, fields, post_load, validate

from accounts.models import User
from auctions.schemas import local_to_utc
from core.api_actions import AllowedActions, current_caller
from core.domain import N_
from core.marshmallow_messages import REQUIRED
from core.schema_kit import EnumValue, InputSchema
from core.schema_out import out_fields, page_of
from events import services
from events.models import Event
from events.rules import MAX_CAPACITY, EventFormat, InterestKind, Schedule

FORMATS = [f.value for f in EventFormat]
KINDS = [k.value for k in InterestKind]


class EventFormSchema(InputSchema):
    """The organiser's form: times in the market's zone, listing numbers separated by commas."""

    title = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, 200))
    title_en = fields.String(load_default="", validate=validate.Length(max=200))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    format = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf(FORMATS))
    venue = fields.String(load_default="", validate=validate.Length(max=300))
    stream_url = fields.String(load_default="", validate=validate.Length(max=500))
    starts_at = fields.String(
        required=True, error_messages=REQUIRED, validate=validate.Length(max=40)
    )
    ends_at = fields.String(
        required=True, error_messages=REQUIRED, validate=validate.Length(max=40)
    )
    capacity = fields.Integer(
        required=True, error_messages=REQUIRED, validate=validate.Range(1, MAX_CAPACITY)
    )
    listing_ids = fields.String(load_default="", validate=validate.Length(max=400))

    def __init__(self, timezone: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.timezone = timezone

    @post_load
    def _to_input(self, data: dict[str, Any], **_: Any) -> services.NewEvent:
        moments: dict[str, datetime] = {}
        for name in ("starts_at", "ends_at"):
            try:
                moments[name] = local_to_utc(data[name], self.timezone)
            except (ValueError, OverflowError):
                raise ValidationError(
                    {name: [N_("Give a date and time, like 2026-03-02 09:30.")]}
                ) from None
        return services.NewEvent(
            title=data["title"], title_en=data["title_en"], description=data["description"],
            schedule=Schedule(
                EventFormat(data["format"]), moments["starts_at"], moments["ends_at"],
                data["capacity"], data["venue"], data["stream_url"],
            ),
            listing_ids=_ids(data["listing_ids"]),
        )  # fmt: skip


def _ids(text: str) -> tuple[int, ...]:
    parts = [p.strip() for p in text.replace("，", ",").split(",") if p.strip()]
    if not all(p.isascii() and p.isdigit() and len(p) <= 10 for p in parts):
        raise ValidationError({"listing_ids": [N_("Give listing numbers separated by commas.")]})
    return tuple(int(p) for p in parts)


class EventArgsSchema(InputSchema):
    """Words, upcoming or past, and the format."""

    q = fields.String(load_default="", validate=validate.Length(max=200))
    when = fields.String(load_default="", validate=validate.OneOf(["", "upcoming", "past"]))
    format = fields.String(load_default="", validate=validate.OneOf(["", *FORMATS]))


class EventInterestInSchema(InputSchema):
    """A request for contact or for an introduction about a pitched listing."""

    listing_id = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(1))
    kind = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf(KINDS))
    note = fields.String(load_default="", validate=validate.Length(max=2000))


def _may_register(caller: User, event: Event, now: datetime) -> None:
    services.check_registrable(caller, event, now)


def _may_cancel(caller: User, event: Event, now: datetime) -> bool:
    return now < event.starts_at and services.registration_of(caller, event.id) is not None


def _may_call_off(caller: User, event: Event, now: datetime) -> bool:
    return services.may_manage(caller, event) and event.cancelled_at is None and now < event.starts_at  # fmt: skip


def _may_add_material(caller: User, event: Event, now: datetime) -> bool:
    return services.may_manage(caller, event)


class EventAgendaOutSchema(Schema):
    """A listing pitched at the event."""

    position = fields.Integer()
    listing_id = fields.Integer()


@out_fields(integers="id event_id size", strings="title original_name sha256", datetimes="uploaded_at")  # fmt: skip
class MaterialOutSchema(Schema):
    """A document kept with the event; anyone downloads it at its `file_url`."""

    file_url = fields.Function(
        lambda material: url_for("events_api.material_file", material_id=material.id)
    )


@out_fields(integers="id capacity organiser_org_id?", strings="title title_en? description venue?", datetimes="starts_at ends_at cancelled_at?")  # fmt: skip
class EventOutSchema(Schema):
    """An event: time (UTC), place, agenda; the stream's link for its participants only."""

    format = EnumValue(metadata={"description": "online, offline (at the market) or hybrid"})
    taken = fields.Function(lambda e: services.taken(e.id))
    agenda = fields.List(fields.Nested(EventAgendaOutSchema))
    materials = fields.List(fields.Nested(MaterialOutSchema))
    stream_url = fields.Method("_stream", allow_none=True)
    allowed_actions = AllowedActions(
        {
            "register": _may_register,
            "cancel": _may_cancel,  # the caller's registration
            "cancel_event": _may_call_off,  # the organiser's
            "add_material": _may_add_material,
        }
    )

    def _stream(self, event: Event) -> str | None:
        return services.stream_for(current_caller(), event)


EventPageSchema = page_of(
    EventOutSchema,
    "Events found, newest first (or soonest first when upcoming).",
    name="EventPageSchema",
)


@out_fields(integers="event_id", datetimes="registered_at cancelled_at?")
class EventRegistrationOutSchema(Schema):
    """A registration for an event."""


@out_fields(integers="id event_id listing_id", datetimes="created_at", enums="kind")
class EventInterestOutSchema(Schema):
    """Interest recorded for a pitched listing."""
