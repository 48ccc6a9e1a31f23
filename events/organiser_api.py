"""REST endpoints of an event's organiser, attached to the events API blueprint: the market's
administrators and accredited brokers schedule an event with its agenda, call it off, and
keep documents with it (multipart)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask_smorest.fields import Upload as UploadField
from marshmallow import Schema, fields, validate
from werkzeug.wrappers import Response

from accounts.auth import api_writer
from core.api_documents import document_args
from core.clock import now
from core.marshmallow_messages import REQUIRED
from core.schema_kit import REQUIRED_NOT_NULL, InputSchema
from core.storage import ALLOWED_TYPES, area_folder
from core.uow import unit_of_work
from core.views_kit import send_stored
from events import interest, services
from events.api import blp
from events.models import Event, EventMaterial
from events.rules import MAX_AGENDA, MAX_CAPACITY, EventFormat, Schedule
from events.schemas import FORMATS, EventOutSchema, MaterialOutSchema

_EXAMPLE = {"title": "新能源专场路演", "title_en": "New energy roadshow", "description": "十项固态电池成果现场推介。", "format": "hybrid", "venue": "上海技术交易所路演厅", "stream_url": "https://live.example.org/roadshow", "starts_at": "2027-01-10T02:00:00Z", "ends_at": "2027-01-10T06:00:00Z", "capacity": 200, "listing_ids": [12, 15]}  # fmt: skip


class EventInSchema(InputSchema):
    """An event as its organiser describes it: times in UTC, the listings pitched in order."""

    title = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, 200))
    title_en = fields.String(load_default="", validate=validate.Length(max=200))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    format = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf(FORMATS))
    venue = fields.String(load_default="", validate=validate.Length(max=300), metadata={"description": "At the market; required unless online"})  # fmt: skip
    stream_url = fields.String(load_default="", validate=validate.Length(max=500), metadata={"description": "https://…; required unless offline"})  # fmt: skip
    starts_at = fields.DateTime(required=True, error_messages=REQUIRED)
    ends_at = fields.DateTime(required=True, error_messages=REQUIRED)
    capacity = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(1, MAX_CAPACITY))  # fmt: skip
    listing_ids = fields.List(fields.Integer(), load_default=list, validate=validate.Length(max=MAX_AGENDA), metadata={"description": "Published listings pitched, in order"})  # fmt: skip


class MaterialInSchema(InputSchema):
    """The document's title (multipart form field; the file's name when empty)."""

    title = fields.String(load_default="", validate=validate.Length(max=200))


class MaterialFileSchema(Schema):
    """The document (multipart): PDF, PNG, JPEG or WebP."""

    file = UploadField(required=True, error_messages=REQUIRED_NOT_NULL)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@blp.write("/", 201, EventOutSchema, 401, 403, 422, args=EventInSchema, example=_EXAMPLE)
def schedule(data: dict[str, Any]) -> Event:
    """Schedule an event with its agenda (administrators, or an accredited broker for its
    agency)."""
    plan = Schedule(
        EventFormat(data["format"]), _utc(data["starts_at"]), _utc(data["ends_at"]),
        data["capacity"], data["venue"], data["stream_url"],
    )  # fmt: skip
    new = services.NewEvent(data["title"], data["title_en"], data["description"], plan, tuple(data["listing_ids"]))  # fmt: skip
    with unit_of_work():
        return services.schedule(api_writer(), new, now=now())


@blp.write("/<int:event_id>/cancel", 200, EventOutSchema, 401, 403, 404, (409, "Only an upcoming event is called off (`not_upcoming`)."))  # fmt: skip
def cancel_event(event_id: int) -> Event:
    """The organiser calls an upcoming event off (registrations stay, for the record)."""
    with unit_of_work():
        return services.cancel_event(api_writer(), event_id, now=now())


@blp.write("/<int:event_id>/materials", 201, MaterialOutSchema, 401, 403, 404, 413, 422, args=MaterialInSchema, files=MaterialFileSchema, example={"title": "路演资料"})  # fmt: skip
def add_material(form: dict[str, Any], files: dict[str, Any], event_id: int) -> EventMaterial:
    """The organiser keeps a document with the event (before, during or after it)."""
    with unit_of_work():
        return interest.add_material(
            api_writer(),
            event_id,
            form["title"],
            now=now(),
            **document_args(files, area_folder("events"), packed=True),
        )


@blp.download("/materials/<int:material_id>", ALLOWED_TYPES, "The document as kept with the event (never served as active content), as its page gives")  # fmt: skip
def material_file(material_id: int) -> Response:
    """An event's document, for anyone (every event's materials are public)."""
    return send_stored(area_folder("events"), interest.material(material_id))
