"""The audit trail for the market's reviewers (`/api/v1/audit`): filtered, a page at a time
by cursor, or whole as the CSV the audit page exports (`audit_export.audit_csv`)."""

from __future__ import annotations

from typing import Any

from flask import Response
from marshmallow import Schema, fields, validate

from accounts.auth import BEARER_TOKEN, api_reader, require_token_for_writes
from core import cursor
from core.api_kit import ApiBlueprint
from core.audit_labels import action_label
from core.bounds import MAX_ROW_ID
from core.clock import now
from core.i18n import market_tz
from core.schema_kit import InputSchema
from core.uow import unit_of_work
from core.views_kit import download
from marketplace.review import audit_export, audit_labels, audit_trail

blp = ApiBlueprint(
    "audit_api",
    __name__,
    description="The audit trail (审计日志) of every state change, for the market's reviewers",
    write_doc=BEARER_TOKEN,
)
blp.before_request(require_token_for_writes)

AUDIT = "audit"  # the cursor kind of the trail
_REVIEWERS = (403, "Only the market's reviewers read the audit trail.")


def _text(longest: int, description: str, **options: Any) -> fields.String:
    return fields.String(load_default=None, validate=validate.Length(max=longest), metadata={"description": description}, **options)  # fmt: skip


class AuditArgsSchema(InputSchema):
    """The audit page's filters; an empty one does not narrow the trail."""

    object_type = _text(32, "The object's type, e.g. listing, deal, auction", data_key="type")
    object_id = fields.Integer(load_default=None, data_key="object", validate=validate.Range(1, MAX_ROW_ID), metadata={"description": "The object's id (with `type`)"})  # fmt: skip
    actor = _text(100, "Part of the acting person's name or email")
    action = _text(64, "An action code, e.g. listing.publish")
    start = fields.Date(load_default=None, data_key="from", metadata={"description": "The first day (market time)"})  # fmt: skip
    end = fields.Date(load_default=None, data_key="to", metadata={"description": "The last day (market time)"})  # fmt: skip


class AuditPageArgsSchema(AuditArgsSchema, cursor.PageArgsSchema):
    """The filters and the page."""


class AuditEntryOutSchema(Schema):
    """One state change: who, what, on which object, the state before and after."""

    id = fields.Integer()
    at = fields.DateTime()
    actor_name = fields.String(allow_none=True)
    actor_email = fields.String(allow_none=True)
    action = fields.String(metadata={"description": "The stable action code"})
    action_label = fields.String(metadata={"description": "The action in the request's language"})
    object_type = fields.String()
    object_label = fields.String(metadata={"description": "The object's type in the request's language"})  # fmt: skip
    object_id = fields.Integer()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    reason = fields.String(allow_none=True)
    chain_seq = fields.Integer(allow_none=True, metadata={"description": "Its place in the ownership chain, if it is part of it"})  # fmt: skip


class AuditPageSchema(Schema):
    """A page of the trail, newest first; `next_cursor` is None on the last page."""

    items = fields.List(fields.Nested(AuditEntryOutSchema))
    next_cursor = fields.String(allow_none=True)


def _wanted(args: dict[str, Any]) -> audit_trail.AuditFilter:
    zone = market_tz()
    texts = {name: (args[name] or "").strip() or None for name in ("object_type", "actor", "action")}  # fmt: skip
    return audit_trail.AuditFilter(
        object_id=args["object_id"], start=args["start"], end=args["end"], zone=zone, **texts
    )


def _shown(entry: Any, person: Any) -> dict[str, Any]:
    return {
        "id": entry.id, "at": entry.at, "action": entry.action,
        "actor_name": person.name if person else None, "actor_email": person.email if person else None,
        "action_label": action_label(entry.action), "object_type": entry.object_type,
        "object_label": audit_labels.object_type_label(entry.object_type), "object_id": entry.object_id,
        "before": entry.before, "after": entry.after, "reason": entry.reason, "chain_seq": entry.chain_seq,
    }  # fmt: skip


@blp.read("/", AuditPageSchema, _REVIEWERS, args=AuditPageArgsSchema)
def audit_entries(args: dict[str, Any]) -> dict[str, Any]:
    """The trail, filtered as the audit page filters it, newest first, a page at a time."""
    page = cursor.page_of(AUDIT, args)
    with unit_of_work():
        found = audit_trail.audit_page(api_reader(), _wanted(args), before=page.before, size=page.limit)  # fmt: skip
        items = [_shown(e, found.actors.get(e.actor_id) if e.actor_id else None) for e in found.entries]  # fmt: skip
    last = found.older_than
    return {"items": items, "next_cursor": None if last is None else cursor.encode(AUDIT, last)}


@blp.download("/export.csv", ("text/csv",), "The filtered trail as the audit page exports it: newest first, at most 100,000 entries (a last line says when more matched), UTF-8 with a BOM", _REVIEWERS, args=AuditArgsSchema)  # fmt: skip
def audit_file(args: dict[str, Any]) -> Response:
    """The filtered audit trail as CSV, the same as the audit page's export."""
    with unit_of_work():
        body, name = audit_export.audit_csv(api_reader(), _wanted(args), now=now())
    return download(body, audit_export.CSV_TYPE, name)
