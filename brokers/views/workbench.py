"""The broker's workbench and an organisation's view of its brokers."""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, url_for
from flask_login import current_user, login_required

from brokers import accreditation, commissions, introductions
from brokers import broker_access as shared
from brokers.mandates import mandates_of_broker, mandates_of_org
from brokers.models import Mandate
from brokers.rules import last_day
from brokers.views.blueprint import bp, expiry_warning_days, matches_url
from core.clock import now
from core.i18n import current_locale, market_zone
from listings import needs as needs_service
from listings import services as listings


@bp.route("/workbench")
@login_required
def dashboard() -> Any:
    """The broker's workbench: accreditation and expiry, mandates, introductions, matches."""
    broker = shared.broker_of(current_user)
    if broker is None:
        return redirect(url_for("brokers.mine"))
    moment = now()
    standing = shared.standing_of(broker, now=moment, warning_days=expiry_warning_days())
    mandates = mandates_of_broker(broker)
    return render_template(
        "brokers/dashboard.html",
        broker=broker,
        valid=standing.valid,
        days_left=standing.days_left,
        warn=standing.warn,
        mandates=mandates,
        in_force={m.id for m in mandates if m.in_force(moment)},
        introductions=introductions.introductions_of_broker(broker),
        scope_titles=_scope_titles(mandates),
        statement=commissions.statement(current_user),
        matches_url=matches_url,
        document_kinds=accreditation.DOCUMENT_KINDS,
        last_day=lambda m: last_day(m, market_zone()),
    )


def _scope_titles(mandates: list[Mandate]) -> dict[int, str]:
    """The title of each mandate's listing or need, for the tables."""
    titles: dict[int, str] = {}
    for item in mandates:
        if item.listing_id:
            titles[item.id] = listings.get_listing(item.listing_id).title(current_locale())
        elif item.need_id:
            titles[item.id] = needs_service.get_need(item.need_id).title
    return titles


@bp.route("/mine")
@login_required
def mine() -> str:
    """An organisation's brokers: the mandates it gave and the introductions it answers."""
    moment = now()
    mandates = mandates_of_org(current_user)
    return render_template(
        "brokers/mine.html",
        mandates=mandates,
        in_force={m.id for m in mandates if m.in_force(moment)},
        introductions=introductions.introductions_of_org(current_user),
        scope_titles=_scope_titles(mandates),
        org_id=current_user.acting_org_id,
        is_broker=shared.broker_of(current_user) is not None,
        last_day=lambda m: last_day(m, market_zone()),
    )
