"""REST endpoints of roadshows and events (`/api/v1/events`): anyone reads; members of
verified organisations register, cancel and show interest in a pitched listing."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from accounts.auth import api_actor, api_writer, token_api
from core.clock import now
from core.uow import unit_of_work
from events import ics_file, interest, services
from events.models import Event, Interest, Registration
from events.rules import InterestKind
from events.schemas import (
    EventArgsSchema,
    EventInterestInSchema,
    EventInterestOutSchema,
    EventOutSchema,
    EventPageSchema,
    EventRegistrationOutSchema,
)

blp = token_api(
    "events_api",
    __name__,
    "Roadshows and events (路演): agenda, registration, interest in pitched listings",
)


@blp.read("/", EventPageSchema, args=EventArgsSchema)
def index(args: dict[str, Any]) -> dict[str, Any]:
    """Events by words (`q`), upcoming or past (`when`) and format."""
    return {"items": services.find_events(text=args["q"], when=args["when"], format=args["format"], now=now())}  # fmt: skip


@blp.read("/<int:event_id>", EventOutSchema)
def event(event_id: int) -> Event:
    """An event; its stream's link only for its participants and organisers."""
    return services.get_event(event_id)


@blp.download("/<int:event_id>.ics", ("text/calendar",), "The event as an iCalendar file (UTC times), as its page gives; the stream's link only for its participants")  # fmt: skip
def ics(event_id: int) -> Response:
    """The event for one's calendar; anyone may have it, a token adds the stream's link."""
    return ics_file.ics_response(services.get_event(event_id), api_actor())


@blp.write("/<int:event_id>/registration", 201, EventRegistrationOutSchema, 401, 403, 404, 409)
def register(event_id: int) -> Registration:
    """Take a place at the event."""
    with unit_of_work():
        return services.register(api_writer(), event_id, now=now())


@blp.write(
    "/<int:event_id>/registration/cancel", 200, EventRegistrationOutSchema, 401, 403, 404, 409
)
def cancel_registration(event_id: int) -> Registration:
    """Give one's place back before the event starts."""
    with unit_of_work():
        return services.cancel_registration(api_writer(), event_id, now=now())


@blp.write("/<int:event_id>/interest", 201, EventInterestOutSchema, 401, 403, 404, 409, 422, args=EventInterestInSchema, example={"listing_id": 1, "kind": "introduction", "note": ""})  # fmt: skip
def show_interest(data: dict[str, Any], event_id: int) -> Interest:
    """Ask for contact with, or an introduction to, a pitched listing's holder."""
    with unit_of_work():
        return interest.record_interest(
            api_writer(), event_id, data["listing_id"], InterestKind(data["kind"]),
            data["note"], now=now(),
        )  # fmt: skip
