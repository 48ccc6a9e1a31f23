"""REST endpoints of the inbox (`/api/v1/notifications`): read, mark read, preferences, watches.

The services are those of the inbox pages. Every endpoint is the caller's own: reads
take a token or the browser session, writes a token only (the API is exempt from CSRF).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from accounts.auth import api_reader, api_writer, token_api
from accounts.models import User
from core import cursor
from core.clock import now
from core.domain import N_, NotFound
from core.i18n import current_locale
from core.uow import unit_of_work
from notifications import mail, rules, services, watches
from notifications.models import Notification, Watch
from notifications.rules import EmailMode
from notifications.schemas import (
    InboxPageSchema,
    MarkedOutSchema,
    NotificationOutSchema,
    PreferencesInSchema,
    PreferencesOutSchema,
    UnreadOutSchema,
    WatchInSchema,
    WatchListSchema,
    WatchOutSchema,
)

blp = token_api(
    "notifications_api",
    __name__,
    "The inbox: notifications, preferences, watched listings, auctions, needs and brokers",
)

INBOX = "inbox"  # the cursor kind of the inbox


def _notification_out(notification: Notification, locale: str) -> dict[str, Any]:
    return {
        "id": notification.id,
        "event": notification.event,
        "label": gettext(rules.event_type(notification.event).label),
        "message": mail.message_of(notification, locale),
        "link": notification.link,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


def _watch_out(watch: Watch) -> dict[str, Any]:
    return {
        "object_type": watch.object_type,
        "object_id": watch.object_id,
        "link": watches.PAGES[watch.object_type].format(watch.object_id),
        "created_at": watch.created_at,
    }


def _preferences_out(user: User) -> dict[str, Any]:
    return {
        "items": [
            {
                "event": event,
                "label": gettext(rules.EVENTS[event].label),
                "in_app": in_app,
                "email": email.value,
            }
            for event, (in_app, email) in services.preferences(user).items()
        ],
        "language": user.locale,
    }


# --- the inbox ----------------------------------------------------------------------------


@blp.read("/", InboxPageSchema, 401, 422, args=cursor.PageArgsSchema)
def inbox(args: dict[str, Any]) -> dict[str, Any]:
    """What the market told the caller, newest first, a page at a time (`?cursor=…&limit=…`).

    Follow `next_cursor` to older notifications; new ones never shift the pages.
    """
    user = api_reader()
    page = cursor.page_of(INBOX, args)
    rows = services.inbox_page(user, before=page.before, limit=page.limit + 1)
    locale = current_locale()
    return {
        "items": [_notification_out(n, locale) for n in rows[: page.limit]],
        "next_cursor": cursor.next_cursor(INBOX, [n.id for n in rows], page.limit),
        "unread": services.unread_count(user),
    }


@blp.read("/unread", UnreadOutSchema, 401)
def unread() -> dict[str, int]:
    """How many notifications the caller has not read (the badge of the navigation bar)."""
    return {"unread": services.unread_count(api_reader())}


@blp.write("/<int:notification_id>/read", 200, NotificationOutSchema, (404, "Not the caller's"))
def mark_read(notification_id: int) -> dict[str, Any]:
    """Mark one of the caller's notifications read."""
    with unit_of_work():
        notification = services.open_notification(api_writer(), notification_id, now=now())
    if notification is None:
        raise NotFound(N_("No such notification."))
    return _notification_out(notification, current_locale())


@blp.write("/read-all", 200, MarkedOutSchema)
def mark_all_read() -> dict[str, int]:
    """Mark every unread notification of the caller read; how many."""
    with unit_of_work():
        return {"marked": services.mark_all_read(api_writer(), now=now())}


# --- preferences ---------------------------------------------------------------------------


@blp.read("/preferences", PreferencesOutSchema, 401)
def preferences() -> dict[str, Any]:
    """Per event type: in the inbox or not, and email at once, daily or never; the language."""
    return _preferences_out(api_reader())


@blp.write("/preferences", 200, PreferencesOutSchema, 422, args=PreferencesInSchema, method="PUT")
def set_preferences(data: dict[str, Any]) -> dict[str, Any]:
    """Change the choices of the event types named (the others stay) and the emails' language."""
    user = api_writer()
    with unit_of_work():
        moment = now()
        for item in data["items"]:
            services.set_preference(
                user,
                item["event"],
                in_app=item["in_app"],
                email=EmailMode(item["email"]),
                now=moment,
            )
        if data["language"] is not None:
            user.locale = data["language"]  # as the preferences page does
    return _preferences_out(user)


# --- watches -------------------------------------------------------------------------------


@blp.read("/watches", WatchListSchema, 401)
def watching() -> dict[str, Any]:
    """What the caller watches, newest first."""
    return {"items": [_watch_out(w) for w in watches.watched_by(api_reader())]}


@blp.write("/watches", 201, WatchOutSchema, 422, args=WatchInSchema)
def watch(data: dict[str, Any]) -> dict[str, Any]:
    """Watch a listing or an auction: its changes reach the inbox (idempotent)."""
    user = api_writer()
    with unit_of_work():
        watches.watch(user, data["object_type"], data["object_id"], now=now())
    return next(
        _watch_out(w)
        for w in watches.watched_by(user)
        if (w.object_type, w.object_id) == (data["object_type"], data["object_id"])
    )


@blp.write(
    "/watches/<object_type>/<int:object_id>",
    200,
    WatchListSchema,
    422,
    method="DELETE",
)
def unwatch(object_type: str, object_id: int) -> dict[str, Any]:
    """Stop watching; the answer is what the caller still watches."""
    user = api_writer()
    with unit_of_work():
        watches.unwatch(user, object_type, object_id)
    return {"items": [_watch_out(w) for w in watches.watched_by(user)]}
