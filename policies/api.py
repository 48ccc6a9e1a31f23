"""REST endpoints of support policies (`/api/v1/policies`).

A member reads their own organisation's eligibility; administrators of the market list
the policies, compute a period, read it and approve it. Reads take a token or the
browser session; writes a write-scoped token.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from accounts.auth import BEARER_TOKEN, api_reader, api_writer, require_token_for_writes
from core.api_kit import ApiBlueprint
from core.clock import now
from core.i18n import current_locale
from core.uow import unit_of_work
from policies import export, services
from policies.schemas import (
    LinePageSchema,
    PeriodInSchema,
    PolicyPageSchema,
    RunOutSchema,
)

blp = ApiBlueprint(
    "policies_api",
    __name__,
    description="Technology-transfer support policies (技术转移扶持政策): eligibility and approval",
    write_doc=BEARER_TOKEN,
)
blp.before_request(require_token_for_writes)


def market_tz() -> ZoneInfo:
    """The market's time zone, whose days the periods count."""
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai"))


@blp.read("/eligibility", LinePageSchema, 401, 403)
def eligibility() -> dict[str, Any]:
    """The caller's organisation's lines under every policy, latest period first."""
    lines = services.lines_of_my_organisation(api_reader())
    orgs = export.organisations(line.org_id for line in lines)
    locale = str(current_locale())
    return {"items": [export.line_view(x, orgs.get(x.org_id), locale) for x in lines]}


@blp.read("/", PolicyPageSchema, 401, 403)
def index() -> dict[str, Any]:
    """Every policy, newest first (administrators of the market)."""
    return {"items": services.policies_for(api_reader())}


@blp.write("/<int:policy_id>/runs", 201, RunOutSchema, 401, 403, 404, 409, 422, args=PeriodInSchema)  # fmt: skip
def compute(data: dict[str, Any], policy_id: int) -> dict[str, Any]:
    """Compute who is owed what for a period (again, until it is approved)."""
    with unit_of_work():
        run = services.compute(
            api_writer(), policy_id, data["period_start"], data["period_end"],
            now=now(), tz=market_tz(),
        )  # fmt: skip
        return export.run_view(run, str(current_locale()))


@blp.read("/runs/<int:run_id>", RunOutSchema, 401, 403)
def run(run_id: int) -> dict[str, Any]:
    """A computed period: its lines and the deals behind each."""
    return export.run_view(services.run_for(api_reader(), run_id), str(current_locale()))


@blp.write("/runs/<int:run_id>/approve", 200, RunOutSchema, 401, 403, 404, 409, 422)
def approve(run_id: int) -> dict[str, Any]:
    """Approve a period's lines as they stand."""
    with unit_of_work():
        approved = services.approve(api_writer(), run_id, now=now())
        return export.run_view(approved, str(current_locale()))
