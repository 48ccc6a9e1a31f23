"""Valuation's panel of the home: the seller's valuation reports due (core.home)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _

from accounts.models import User
from core.home import SELLER, HomeItem, HomePanel, count_by, home_panels, role_panels
from valuation.models import ValuationRequest
from valuation.rules import RequestStatus


def reports_panel(org_id: int) -> HomePanel:
    """Valuation reports the organisation asked for that are not issued yet."""
    by_status = count_by(
        ValuationRequest.status,
        ValuationRequest.requester_org_id == org_id,
        ValuationRequest.status.in_((RequestStatus.REQUESTED, RequestStatus.IN_PROGRESS)),
    )
    page = url_for("valuation.mine")
    items = [
        HomeItem(
            _("Valuation reports requested, not yet taken"),
            page,
            by_status.get(RequestStatus.REQUESTED, 0),
        ),
        HomeItem(
            _("Valuation reports in progress"), page, by_status.get(RequestStatus.IN_PROGRESS, 0)
        ),
    ]
    return HomePanel(
        key="valuation",
        role=SELLER,
        title=_("Valuation reports due"),
        items=[item for item in items if item.count],
        empty=_(
            "No report due: ask an accredited valuer for a formal report from a result's page."
        ),
        empty_url=page,
        empty_action=_("Your valuations"),
        order=55,
    )


def on_home(user: User, *, roles: frozenset[str], **_kw: Any) -> list[HomePanel] | None:
    return role_panels(user.acting_org_id, roles, seller=reports_panel)


def connect() -> None:
    home_panels.connect(on_home, weak=False)
