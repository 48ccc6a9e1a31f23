"""Event pages (`/events`): the list with its search, an event, its calendar file and feed;
registration, interest in a pitched listing, materials; the organiser's form."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, cast

from flask import (
    Blueprint,
    Response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from core.clock import now
from core.dates import as_utc
from core.domain import N_
from core.forms import attempt, document_upload, parse_form
from core.i18n import current_locale, market_zone
from core.storage import area_folder
from core.views_kit import PostAction, add_actions, form_page, posted, send_stored
from events import ics_file, interest, services
from events.models import Event
from events.rules import EventFormat, InterestKind
from events.schemas import EventArgsSchema, EventFormSchema

bp = Blueprint("events", __name__, url_prefix="/events")

FEED_ENTRIES = 50


def _materials_folder() -> Path:
    return area_folder("events")


def _args() -> dict[str, str]:
    raw = {k: request.args.get(k, "") for k in ("q", "when", "format")}
    errors = EventArgsSchema().validate(raw)
    return {k: ("" if k in errors else v) for k, v in raw.items()}


def _find(args: dict[str, str], moment: datetime) -> list[Event]:
    return services.find_events(
        text=args["q"], when=args["when"], format=args["format"], now=moment
    )


@bp.get("/")
def index() -> str:
    """Events by words, upcoming or past, online or at the market."""
    args = _args()
    moment = now()
    events = _find(args, moment)
    return render_template(
        "events/index.html", events=events, args=args, formats=list(EventFormat),
        past={e.id for e in events if as_utc(e.ends_at) < as_utc(moment)},
    )  # fmt: skip


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    """The market's administrators and accredited brokers schedule an event."""
    services.check_may_schedule(current_user, now=now())
    return form_page(
        lambda: parse_form(EventFormSchema(market_zone())),
        lambda data: services.schedule(current_user, cast(services.NewEvent, data), now=now()),
        lambda errors: render_template(
            "events/new.html", errors=errors, form=request.form, formats=list(EventFormat),
            zone=market_zone(),
        ),
        saved=_("The event is scheduled."),
        then=lambda event: url_for("events.detail", event_id=event.id),
    )  # fmt: skip


@bp.get("/<int:event_id>")
def detail(event_id: int) -> str:
    """An event: when (market's and reader's zone), where, the agenda, materials, registration."""
    event = services.get_event(event_id)
    manager = services.may_manage(current_user, event)
    return render_template(
        "events/detail.html",
        event=event,
        listings=services.pitched_listings(event),
        taken=services.taken(event.id),
        registration=services.registration_of(current_user, event.id),
        stream_url=services.stream_for(current_user, event),
        manager=manager,
        counts=interest.interest_counts(event.id),
        asked=interest.interests_of(current_user, event.id),
        now=as_utc(now()),
        starts_at=as_utc(event.starts_at),
        ends_at=as_utc(event.ends_at),
    )


add_actions(
    bp,
    PostAction("/<int:event_id>/register", "register", "Take a place at the event.", services.register, N_("You are registered. Download the calendar file to keep the date."), "events.detail", not_found=True),
    PostAction("/<int:event_id>/unregister", "unregister", "Give one's place back.", services.cancel_registration, N_("Your registration is cancelled."), "events.detail", not_found=True),
    PostAction("/<int:event_id>/cancel", "cancel", "The organiser calls the event off.", services.cancel_event, N_("The event is cancelled."), "events.detail", not_found=True),
)  # fmt: skip


@bp.post("/<int:event_id>/interest")
@login_required
def show_interest(event_id: int) -> WerkzeugResponse:
    """Ask for contact with, or an introduction to, a pitched listing's holder."""
    raw_kind = request.form.get("kind", "")
    kind = InterestKind(raw_kind) if raw_kind in InterestKind._value2member_map_ else None
    listing_id = request.form.get("listing_id", "")
    success = (
        _("Your request for an introduction is sent to the holder and its brokers.")
        if kind == InterestKind.INTRODUCTION
        else _("Your request for contact is sent to the holder.")
    )
    attempt(
        lambda: interest.record_interest(
            current_user, event_id,
            int(listing_id) if listing_id.isdigit() and len(listing_id) < 10 else 0,
            kind or InterestKind.CONTACT, (request.form.get("note") or "")[:2001], now=now(),
        ),
        success=success,
    )  # fmt: skip
    return redirect(url_for("events.detail", event_id=event_id) + "#agenda")


add_actions(
    bp,
    PostAction("/<int:event_id>/materials", "add_material", "The organiser keeps a document with the event.", interest.add_material, N_("The document is kept with the event."), "events.detail", (posted("title", 200),), not_found=True, anchor="#materials", options=lambda: document_upload(_materials_folder(), packed=True)),
)  # fmt: skip


@bp.get("/materials/<int:material_id>")
def material_file(material_id: int) -> WerkzeugResponse:
    """An event's document, for anyone (never as active content)."""
    return send_stored(_materials_folder(), interest.material(material_id))


@bp.get("/<int:event_id>.ics")
def ics(event_id: int) -> Response:
    """The event as an iCalendar file (UTC times); with the stream's link for participants."""
    return ics_file.ics_response(services.get_event(event_id), current_user)


@bp.get("/feed.atom")
def feed() -> Response:
    """The events found by the same arguments as the list, as an Atom feed."""
    args = _args()
    events: list[Event] = _find(args, now())[:FEED_ENTRIES]
    body = render_template(
        "events/feed.atom",
        events=events,
        locale=current_locale(),
        self_url=request.url,
        page_url=url_for("events.index", _external=True, **{k: v for k, v in args.items() if v}),
        updated=max((as_utc(e.created_at) for e in events), default=as_utc(now())),
    )
    return Response(body, mimetype="application/atom+xml")
