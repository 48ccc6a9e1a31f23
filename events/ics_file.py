"""An event as an iCalendar file, as its page and the API give it."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, request, url_for

from accounts.models import User
from core.clock import now
from core.i18n import current_locale
from core.views_kit import download
from events import calendar, services
from events.models import Event


def ics_response(event: Event, reader: User | None) -> Response:
    """The event's .ics (UTC times); the stream's link only when `reader` takes part in it."""

    body = calendar.ics(
        event,
        url=url_for("events.detail", event_id=event.id, _external=True),
        host=urlsplit(request.host_url).hostname or "market",
        now=now(),
        locale=current_locale(),
        stream_url=services.stream_for(reader, event),
    )
    return download(body, "text/calendar", f"event-{event.id}.ics")
