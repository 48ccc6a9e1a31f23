"""REST endpoints of support policies (`/api/v1/policies`).

A member reads their own organisation's eligibility; administrators of the market define
and list the policies, compute a period, read it, lower a line and approve it. Reads take a token or the
browser session; writes a write-scoped token.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import Response

from accounts.auth import api_reader, api_writer, token_api
from core import cursor
from core.clock import now
from core.i18n import current_locale, market_zone
from core.uow import unit_of_work
from core.views_kit import download
from policies import export, services
from policies.models import Policy
from policies.schemas import (
    LineAdjustInSchema,
    LineOutSchema,
    LinePageSchema,
    PeriodInSchema,
    PolicyDetailOutSchema,
    PolicyInSchema,
    PolicyOutSchema,
    PolicyPageSchema,
    RunLinePageSchema,
    RunOutSchema,
    policy_input,
)

blp = token_api(
    "policies_api",
    __name__,
    "Technology-transfer support policies (技术转移扶持政策): eligibility and approval",
)


def market_tz() -> ZoneInfo:
    """The market's time zone, whose days the periods count."""
    return ZoneInfo(market_zone())


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


_POLICY_EXAMPLE = {"name_zh": "技术合同登记奖补", "name_en": "Registered technology contracts grant", "beneficiary": "buyer", "rate_bp": 300, "cap_per_deal_minor": 50_000_000, "cap_per_org_year_minor": 200_000_000, "min_basis_minor": 10_000_000, "contract_types": ["transfer", "licence"], "fields": ["energy"], "region": "上海市", "evidence": "技术合同登记证明", "valid_from": "2026-01-01", "valid_to": "2026-12-31"}  # fmt: skip


@blp.write("/", 201, PolicyOutSchema, 401, 403, 422, args=PolicyInSchema, example=_POLICY_EXAMPLE)
def define(data: dict[str, Any]) -> Policy:
    """Define a policy: who benefits, the rate or fixed sum, the caps, which deals count."""
    with unit_of_work():
        return services.define(api_writer(), policy_input(data), now=now())


_TERMS = PolicyOutSchema().fields


@blp.read("/<int:policy_id>", PolicyDetailOutSchema, 401, 403)
def policy(policy_id: int) -> dict[str, Any]:
    """A policy's terms and its computed periods (administrators)."""
    caller, locale = api_reader(), str(current_locale())
    found = services.policy_for(caller, policy_id)
    terms = {f.attribute or n: getattr(found, f.attribute or n) for n, f in _TERMS.items()}
    runs = [export.run_view(run, locale) for run in services.runs_of(caller, policy_id)]
    return {**terms, "runs": runs}


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


LINES = "policy-lines"  # the cursor kind of a period's lines


@blp.read("/runs/<int:run_id>/lines", RunLinePageSchema, 401, 403, args=cursor.PageArgsSchema)
def run_lines(args: dict[str, Any], run_id: int) -> dict[str, Any]:
    """A computed period's lines (who is owed what, the deals behind it), highest id first, a
    page at a time (`?cursor=…&limit=…`)."""
    page = cursor.page_of(LINES, args)
    lines = services.lines_of_run(api_reader(), run_id, before=page.before, limit=page.limit + 1)
    orgs, locale = export.organisations(x.org_id for x in lines), str(current_locale())
    return {
        "items": [export.line_view(x, orgs.get(x.org_id), locale) for x in lines[: page.limit]],
        "next_cursor": cursor.next_cursor(LINES, [x.id for x in lines], page.limit),
    }


@blp.download("/runs/<int:run_id>.csv", ("text/csv",), "The period's lines as the page exports them: one row per organisation (UTF-8 with a BOM), its deals as `id:award` in yuan", 403)  # fmt: skip
def run_file(run_id: int) -> Response:
    """A computed period as CSV (administrators)."""
    found = services.run_for(api_reader(), run_id)
    return download(export.run_csv(found), export.CSV_TYPE, export.file_name(found))


@blp.write("/runs/<int:run_id>/approve", 200, RunOutSchema, 401, 403, 404, 409, 422)
def approve(run_id: int) -> dict[str, Any]:
    """Approve a period's lines as they stand."""
    with unit_of_work():
        approved = services.approve(api_writer(), run_id, now=now())
        return export.run_view(approved, str(current_locale()))


@blp.write("/lines/<int:line_id>/adjust", 200, LineOutSchema, 401, 403, 404, (422, "A field is not valid, or the period is approved: its lines are final."), args=LineAdjustInSchema, example={"amount_minor": 800_000, "reason": "一笔合同已获其他财政资助，按规定扣减。"})  # fmt: skip
def adjust(data: dict[str, Any], line_id: int) -> dict[str, Any]:
    """Lower a line before its period is approved, saying why."""
    with unit_of_work():
        line = services.adjust(api_writer(), line_id, data["amount_minor"], data["reason"], now=now())  # fmt: skip
        org = export.organisations([line.org_id]).get(line.org_id)
        return export.line_view(line, org, str(current_locale()))
