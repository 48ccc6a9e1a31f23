"""Sharing a formal valuation report with a partner bank (知识产权质押融资), and the bank's list
of the reports shared with it. Attached to the valuation blueprint (imported by the shell)."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user, login_required

from core.domain import N_
from core.views_kit import PostAction, add_actions, form_id
from valuation import sharing
from valuation.labels import PURPOSE, purpose_label
from valuation.views import bp

bp.add_app_template_global(purpose_label, "valuation_purpose")
bp.record_once(lambda state: state.app.jinja_env.globals.update(VALUATION_PURPOSES=PURPOSE))


add_actions(
    bp,
    PostAction("/valuations/<int:valuation_id>/shares", "share_report", "The owner shares the report with the chosen bank.", sharing.share, N_("The report is shared with the bank."), "valuation.detail", (lambda: form_id("bank_org_id"),), not_found=True, anchor="#sharing"),
    PostAction("/valuations/<int:valuation_id>/shares/<int:bank_org_id>/revoke", "unshare_report", "The owner takes the report back from the bank.", sharing.unshare, N_("The bank can no longer read the report."), "valuation.detail", not_found=True, anchor="#sharing"),
)  # fmt: skip


@bp.get("/bank/valuations")
@login_required
def shared_with_bank() -> str:
    """A partner bank's members: the reports shared with the bank."""
    if not sharing.is_bank_member(current_user):
        abort(403)
    return render_template(
        "valuation/shared.html", reports=sharing.reports_shared_with(current_user)
    )
