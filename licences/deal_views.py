"""The deal page's licence panel (scope, royalty terms, history, late periods) and the
licensee's royalty report form; attached to the open licences' blueprint."""

from __future__ import annotations

from typing import Any

from flask import redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from core.clock import now
from core.domain import N_, PermissionDenied
from core.forms import attempt
from core.money import from_yuan_text
from deals.models import Deal
from licences import licence_deals, royalties
from licences.rules import LicenceKind
from licences.views import bp
from listings.need_rules import market_today

KIND_LABELS = {
    LicenceKind.EXCLUSIVE: lazy_gettext("exclusive (独占)"),
    LicenceKind.SOLE: lazy_gettext("sole (排他)"),
    LicenceKind.ORDINARY: lazy_gettext("ordinary (普通)"),
}


@bp.app_template_global()
def deal_licence(deal: Deal) -> dict[str, Any] | None:
    """The licence a deal grants and its royalties, for the deal page (None: not a licence)."""
    licence = licence_deals.licence_of(deal.id)
    if licence is None:
        return None
    return {
        "licence": licence,
        "kind_label": KIND_LABELS[licence.kind],
        "next": royalties.next_unreported(licence),
        "late": royalties.late_periods(licence, market_today(now())),
        "may_report": current_user.is_authenticated
        and current_user.acting_org_id == deal.buyer_org_id
        and deal.status in royalties.IN_FORCE,
    }


def _net_sales() -> int:
    return from_yuan_text(request.form.get("net_sales_yuan", "")[:24], field="net_sales").minor


@bp.post("/deals/<int:deal_id>/royalties")
@login_required
def report_royalty(deal_id: int) -> Response:
    """The licensee reports the next period's net sales."""
    licence = licence_deals.visible_licence(current_user, deal_id)
    if current_user.acting_org_id != licence.deal.buyer_org_id:
        raise PermissionDenied(N_("Only the licensee reports its net sales."))
    period = request.form.get("period", "")
    index = int(period) if period.isdigit() and len(period) < 5 else -1
    attempt(
        lambda: royalties.report(current_user, deal_id, index, _net_sales(), now=now()),
        success=_("The royalty is computed and posted on the deal's ledger."),
    )
    return redirect(url_for("deals.detail", deal_id=deal_id) + "#royalties")
