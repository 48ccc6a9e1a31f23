"""An event as an iCalendar file, as its page and the API give it."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response, request, url_for

from accounts.models import User
from core.clock import now
from core.i18n import current_locale
from events import services
from events.models import Event


def ics_response(event: Event, reader: User | None) -> Response:
    """The event's .ics (UTC times); the stream's link only when `reader` takes part in it."""
    from events import calendar  # icalendar: loaded by the first .ics, not by every start

    body = calendar.ics(
        event,
        url=url_for("events.detail", event_id=event.id, _external=True),
        host=urlsplit(request.host_url).hostname or "market",
        now=now(),
        locale=current_locale(),
        stream_url=services.stream_for(reader, event),
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="event-{event.id}.ics"',
            "Cache-Control": "private, no-store",
        },
    )
