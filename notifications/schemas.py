"""Shapes of the notifications API: the inbox, preferences and watches."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.i18n import SUPPORTED
from core.schema_kit import REQUIRED_NOT_NULL, InputSchema
from core.schema_out import out_fields, page_of
from notifications import rules
from notifications.rules import EmailMode
from notifications.watches import WATCHABLE


@out_fields(integers="id", datetimes="created_at read_at?")
class NotificationOutSchema(Schema):
    """One thing the market told the caller, in the request's language."""

    event = fields.String(metadata={"description": "The event type, e.g. auction.outbid"})
    label = fields.String(metadata={"description": "The event type's name"})
    message = fields.String(metadata={"description": "The sentence, in the request's language"})
    link = fields.String(allow_none=True, metadata={"description": "A path on this site"})


class InboxPageSchema(Schema):
    """A page of the inbox, newest first; `next_cursor` is None on the last page."""

    items = fields.List(fields.Nested(NotificationOutSchema))
    next_cursor = fields.String(allow_none=True)
    unread = fields.Integer(metadata={"description": "Unread notifications in all"})


class UnreadOutSchema(Schema):
    """How many notifications the caller has not read."""

    unread = fields.Integer()


class MarkedOutSchema(Schema):
    """How many notifications were marked read."""

    marked = fields.Integer()


class PreferenceSchema(Schema):
    """One event type: shown in the inbox or not, and by email at once, daily or never."""

    event = fields.String(
        required=True,
        validate=validate.OneOf(sorted(rules.EVENTS)),
        error_messages=REQUIRED_NOT_NULL,
    )
    label = fields.String(dump_only=True)
    in_app = fields.Boolean(required=True, error_messages=REQUIRED_NOT_NULL)
    email = fields.String(
        required=True,
        validate=validate.OneOf([mode.value for mode in EmailMode]),
        error_messages=REQUIRED_NOT_NULL,
    )


class PreferencesOutSchema(Schema):
    """Every event type with the caller's choice, and the language of its emails."""

    items = fields.List(fields.Nested(PreferenceSchema))
    language = fields.String(allow_none=True)


class PreferencesInSchema(InputSchema):
    """Choices to change (event types not named stay as they are), and the language."""

    items = fields.List(fields.Nested(PreferenceSchema), load_default=list)
    language = fields.String(load_default=None, validate=validate.OneOf(SUPPORTED))


class WatchInSchema(InputSchema):
    """A listing, an auction, a need or a broker to watch."""

    object_type = fields.String(
        required=True, validate=validate.OneOf(WATCHABLE), error_messages=REQUIRED_NOT_NULL
    )
    object_id = fields.Integer(
        required=True,
        strict=True,
        validate=validate.Range(min=1),
        error_messages=REQUIRED_NOT_NULL,
    )


@out_fields(integers="object_id", strings="object_type link", datetimes="created_at")
class WatchOutSchema(Schema):
    """Something the caller watches: its changes reach the inbox."""


WatchListSchema = page_of(
    WatchOutSchema, "What the caller watches, newest first.", name="WatchListSchema"
)
