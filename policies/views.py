"""Support policies' pages: administrators define, compute, adjust, approve and export;
an organisation's members see their own eligibility."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from core.clock import now
from core.forms import parse_form
from core.i18n import current_locale
from core.view_steps import done
from core.views_kit import download, form_page, save_form
from deals.models import ContractType
from policies import export, services
from policies.api import market_tz
from policies.models import Policy, PolicyRun
from policies.policy_rules import Beneficiary
from policies.schemas import AdjustInSchema, PeriodInSchema, PolicyFormSchema, policy_input

bp = Blueprint("policies", __name__)

Page = tuple[str, int]


@bp.route("/policies/", methods=["GET", "POST"])
@login_required
def index() -> Page | Response:
    """The policies; an administrator defines a new one here."""
    return form_page(
        lambda: parse_form(PolicyFormSchema()),
        _define,
        lambda errors: render_template(
            "policies/index.html",
            policies=services.policies_for(current_user),
            errors=errors,
            form=request.form if errors else {},
            beneficiaries=list(Beneficiary),
            contract_types=list(ContractType),
        ),
        saved=lambda policy: _("The policy %(name)s is defined.", name=policy.name_zh),
    )


def _define(data: dict[str, Any]) -> Policy:
    return services.define(current_user, policy_input(data), now=now())


@bp.route("/policies/<int:policy_id>", methods=["GET", "POST"])
@login_required
def policy(policy_id: int) -> Page | Response:
    """A policy's computed periods; an administrator computes a period here."""
    return form_page(
        lambda: parse_form(PeriodInSchema()),
        lambda d: _compute(policy_id, d),
        lambda errors: render_template(
            "policies/policy.html",
            policy=services.policy_for(current_user, policy_id),
            runs=services.runs_of(current_user, policy_id), errors=errors, form=request.form if errors else {},
            today=now().astimezone(market_tz()).date(),
        ),
        then=lambda run: url_for("policies.run", run_id=run.id),
    )  # fmt: skip


def _compute(policy_id: int, data: dict[str, date]) -> PolicyRun:
    return services.compute(
        current_user, policy_id, data["period_start"], data["period_end"],
        now=now(), tz=market_tz(),
    )  # fmt: skip


@bp.get("/policies/runs/<int:run_id>")
@login_required
def run(run_id: int) -> str:
    """A computed period: each organisation's line, the deals behind it, adjust and approve."""
    found = services.run_for(current_user, run_id)
    return render_template(
        "policies/run.html", run=export.run_view(found, current_locale()), policy=found.policy
    )


@bp.post("/policies/lines/<int:line_id>/adjust")
@login_required
def adjust(line_id: int) -> Response:
    """Lower a line, saying why."""
    data, errors = parse_form(AdjustInSchema())
    line, errors = save_form(
        (data, errors),
        lambda d: services.adjust(current_user, line_id, d["amount_minor"], d["reason"], now=now()),
    )
    if line is None:
        flash(" ".join(m for messages in errors.values() for m in messages), "danger")
        run_id = services.line_for(current_user, line_id).run_id
    else:
        flash(_("The amount is adjusted."), "success")
        run_id = line.run_id
    return redirect(url_for("policies.run", run_id=run_id))


@bp.post("/policies/runs/<int:run_id>/approve")
@login_required
def approve(run_id: int) -> Response:
    """Approve the period's lines as they stand."""
    return done(
        lambda: services.approve(current_user, run_id, now=now()),
        lambda approved: _("The period is approved."),
        url_for("policies.run", run_id=run_id),
    )


@bp.get("/policies/runs/<int:run_id>.csv")
@login_required
def export_csv(run_id: int) -> Response:
    """The period's lines as CSV."""
    found = services.run_for(current_user, run_id)
    return download(export.run_csv(found), export.CSV_TYPE, export.file_name(found))


@bp.get("/organisation/eligibility")
@login_required
def mine() -> str:
    """My organisation's eligibility under the market's support policies."""
    lines = services.lines_of_my_organisation(current_user)
    orgs = export.organisations(line.org_id for line in lines)
    views = [export.line_view(x, orgs.get(x.org_id), current_locale()) for x in lines]
    return render_template("policies/mine.html", lines=views)
