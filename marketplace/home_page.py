"""Each signed-in person's home: what needs doing now and the state of what is in flight.

The panels come from the domains (core.home.home_panels, answered by each domain's
`home.py`); the shell only works out the person's roles and lays the panels out.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from accounts.models import OrganisationKind, User
from core.clock import as_utc, now
from core.home import ADMIN, BUYER, REVIEWER, SELLER, HomeItem, HomePanel, home_panels
from core.signals import values_from_signal

bp = Blueprint("home", __name__)

SEEN_KEY = "home_seen_at"
_SELLERS = (OrganisationKind.UNIVERSITY, OrganisationKind.INSTITUTE)


def roles_of(user: User) -> frozenset[str]:
    """seller (a university or institute), buyer (an enterprise), reviewer, admin.

    A broker is recognised by brokers' own panel (a broker record), not here.
    """
    roles = set()
    organisation = user.organisation if user.acting_org_id is not None else None
    if organisation is not None and organisation.is_verified:
        if organisation.kind in _SELLERS:
            roles.add(SELLER)
        elif organisation.kind == OrganisationKind.ENTERPRISE:
            roles.add(BUYER)
    if user.can_review:
        roles.add(REVIEWER)
    if user.is_admin:
        roles.add(ADMIN)
    return frozenset(roles)


def panels_for(user: User, *, at: datetime, since: datetime | None) -> list[HomePanel]:
    """The person's panels from every domain, their own role's first, in each domain's order."""
    roles = roles_of(user)
    panels: list[HomePanel] = values_from_signal(
        home_panels, user, flatten=True, roles=roles, now=at, since=since
    )
    if ADMIN in roles:
        panels.append(statistics_panel())
    return sorted(panels, key=lambda panel: (panel.role == REVIEWER, panel.order, panel.key))


def statistics_panel() -> HomePanel:
    """The city administrator's way to the market's statistics (built at /statistics)."""
    return HomePanel(
        key="statistics",
        role=ADMIN,
        title=_("The market in figures"),
        items=[
            HomeItem(
                _("City statistics: deals, value, fields and regions"),
                "/statistics",
                note=_("charts, tables and exports"),
            ),
            HomeItem(_("Deal ledger and registration records"), url_for("deals.ledger")),
            HomeItem(_("Audit trail"), url_for("review.audit")),
        ],
        order=1,
    )


def _last_visit() -> datetime | None:
    """When this person last opened the home (kept in their session)."""
    seen = session.get(SEEN_KEY)
    try:
        return as_utc(datetime.fromisoformat(seen)) if seen else None
    except (TypeError, ValueError):
        return None


@bp.route("/home")
@login_required
def index() -> str:
    """The signed-in person's home."""
    at = now()
    panels = panels_for(current_user, at=at, since=_last_visit())
    session[SEEN_KEY] = at.isoformat()
    waiting = sum(panel.waiting for panel in panels)
    organisation = current_user.organisation if current_user.acting_org_id else None
    return render_template(
        "home/index.html",
        panels=panels,
        waiting=waiting,
        organisation=organisation,
        verified=bool(organisation and organisation.is_verified),
        now=at,
    )


@bp.app_template_filter("waiting_for")
def waiting_for(oldest: datetime | None, at: datetime) -> str:
    """How long the oldest item of a queue has waited, in days or hours."""
    if oldest is None:
        return ""
    hours = int((at - as_utc(oldest)).total_seconds() // 3600)
    if hours >= 48:
        return _("oldest waiting %(days)s days", days=hours // 24)
    return _("oldest waiting %(hours)s h", hours=max(hours, 0))
