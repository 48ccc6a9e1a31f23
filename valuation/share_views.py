"""Sharing a formal valuation report with a partner bank (知识产权质押融资), and the bank's list
of the reports shared with it. Attached to the valuation blueprint (imported by the shell)."""

from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from core.clock import now
from core.forms import attempt
from core.views_kit import form_id
from valuation import sharing
from valuation.labels import PURPOSE, purpose_label
from valuation.views import bp

bp.add_app_template_global(purpose_label, "valuation_purpose")
bp.record_once(lambda state: state.app.jinja_env.globals.update(VALUATION_PURPOSES=PURPOSE))


@bp.post("/valuations/<int:valuation_id>/shares")
@login_required
def share_report(valuation_id: int) -> Response:
    """The owner shares the report with the chosen bank."""
    attempt(
        lambda: sharing.share(current_user, valuation_id, form_id("bank_org_id"), now=now()),
        success=_("The report is shared with the bank."),
        raise_not_found=True,
    )
    return redirect(url_for("valuation.detail", valuation_id=valuation_id) + "#sharing")


@bp.post("/valuations/<int:valuation_id>/shares/<int:bank_org_id>/revoke")
@login_required
def unshare_report(valuation_id: int, bank_org_id: int) -> Response:
    """The owner takes the report back from the bank."""
    attempt(
        lambda: sharing.unshare(current_user, valuation_id, bank_org_id, now=now()),
        success=_("The bank can no longer read the report."),
        raise_not_found=True,
    )
    return redirect(url_for("valuation.detail", valuation_id=valuation_id) + "#sharing")


@bp.get("/bank/valuations")
@login_required
def shared_with_bank() -> str:
    """A partner bank's members: the reports shared with the bank."""
    if not sharing.is_bank_member(current_user):
        abort(403)
    return render_template(
        "valuation/shared.html", reports=sharing.reports_shared_with(current_user)
    )
