"""Valuation's panel of the home: the seller's valuation reports due (core.home)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from core.domain import N_
from core.home import SELLER, Card, HomeItem, HomePanel, count_by, panels_of_roles
from valuation.models import ValuationRequest
from valuation.rules import RequestStatus

CARD = Card("valuation", SELLER, N_("Valuation reports due"), 55, N_("No report due: ask an accredited valuer for a formal report from a result's page."), "valuation.mine", N_("Your valuations"))  # fmt: skip


def reports_panel(org_id: int) -> HomePanel:
    """Valuation reports the organisation asked for that are not issued yet."""
    by_status = count_by(
        ValuationRequest.status,
        ValuationRequest.requester_org_id == org_id,
        ValuationRequest.status.in_((RequestStatus.REQUESTED, RequestStatus.IN_PROGRESS)),
    )
    page = url_for("valuation.mine")
    requested = by_status.get(RequestStatus.REQUESTED, 0)
    in_progress = by_status.get(RequestStatus.IN_PROGRESS, 0)
    items = [
        HomeItem(_("Valuation reports requested, not yet taken"), page, requested),
        HomeItem(_("Valuation reports in progress"), page, in_progress),
    ]
    return CARD.panel([item for item in items if item.count])


connect = panels_of_roles(seller=reports_panel)
