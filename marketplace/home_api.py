"""The signed-in person's home as the API gives it (`GET /api/v1/home/`): the same panels as
the home page (`marketplace.home_page.panels_for`), what waits for the caller's action first
counted, each line with the page where it is done."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from accounts.auth import api_reader, token_api
from core.clock import now
from core.home import ADMIN, BROKER, BUYER, REVIEWER, SELLER
from core.schema_kit import InputSchema
from core.schema_out import out_fields
from marketplace.home_page import panels_for, roles_of

blp = token_api("home_api", __name__, "The caller's home: what waits for them and what is in flight")  # fmt: skip

_ROLES = [SELLER, BUYER, BROKER, REVIEWER, ADMIN]


class HomeArgsSchema(InputSchema):
    """When the caller last looked (the page keeps it in the browser session)."""

    since = fields.AwareDateTime(load_default=None, metadata={"description": "The caller's last look, e.g. 2026-05-11T02:00:00Z: a broker's new results and needs are counted after it (absent: all in their fields)"})  # fmt: skip


@out_fields(strings="label url note currency", integers="count? amount_minor?", booleans="urgent", datetimes="oldest?")  # fmt: skip
class HomeItemOutSchema(Schema):
    """A line of a panel: what, how many, the oldest one's time, and the page to act on it
    (`urgent`: it waits for the caller's action)."""


@out_fields(strings="key title empty empty_url? empty_action", integers="waiting")
class HomePanelOutSchema(Schema):
    """A card of the home: its lines, or (none) what to do next and where."""

    role = fields.String(validate=validate.OneOf(_ROLES), metadata={"description": "The role it serves: seller, buyer, broker, reviewer or admin"})  # fmt: skip
    items = fields.List(fields.Nested(HomeItemOutSchema))


class HomeOutSchema(Schema):
    """The caller's home: roles, how many things wait for them, and the panels in order."""

    roles = fields.List(fields.String(validate=validate.OneOf(_ROLES)))
    waiting = fields.Integer(metadata={"description": "Lines waiting for the caller's action, summed (the page's badge)"})  # fmt: skip
    panels = fields.List(fields.Nested(HomePanelOutSchema))


@blp.read("/", HomeOutSchema, args=HomeArgsSchema)
def home(args: dict[str, Any]) -> dict[str, Any]:
    """The caller's home, as the home page shows it: each domain's panel for the caller's
    roles (their own role's first), the lines waiting for them counted and dated."""
    caller = api_reader()
    panels = panels_for(caller, at=now(), since=args["since"])
    brokering = {BROKER} if any(panel.role == BROKER for panel in panels) else set()
    return {
        "roles": sorted(roles_of(caller) | brokering),
        "waiting": sum(panel.waiting for panel in panels),
        "panels": panels,
    }
