"""Commissions and ratings: the deal page's broker panel, the statement, rating a broker."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from brokers import broker_access as shared
from brokers import commissions, ratings
from brokers.commissions import commissions_on_deal
from brokers.rules import above_statutory_cap, share_bps
from brokers.schemas import RatingFormSchema
from brokers.views.blueprint import bp
from core.clock import now
from core.forms import attempt, parse_form
from deals.models import Deal


@bp.app_template_global()
def deal_brokers(deal: Deal) -> dict[str, Any]:
    """The deal page's broker panel: commissions on the deal and what the reader may rate."""
    commissions = commissions_on_deal(deal.id)
    return {
        "commissions": commissions,
        "rateable": ratings.rateable(current_user, deal) if commissions else [],
        "above_cap": {
            c.id: above_statutory_cap(c.amount_minor, c.basis_minor) for c in commissions
        },
    }


@bp.route("/statement")
@login_required
def statement() -> str:
    """The broker's statement: deals with their commission, paid or not as the ledger says."""
    result = commissions.statement(current_user)
    return render_template(
        "brokers/statement.html",
        statement=result,
        broker=shared.broker_of(current_user),
        shares={
            line.commission.id: share_bps(line.commission.amount_minor, line.commission.basis_minor)
            for line in result.lines
        },
    )


@bp.post("/deals/<int:deal_id>/ratings")
@login_required
def rate(deal_id: int) -> Response:
    """A party rates the broker of a completed deal."""
    data, errors = parse_form(RatingFormSchema())
    if data is None:
        for messages in errors.values():
            for message in messages:
                flash(message, "danger")
        return redirect(url_for("deals.detail", deal_id=deal_id) + "#brokers")
    attempt(
        lambda: ratings.rate_broker(
            current_user,
            deal_id,
            data["broker_id"],
            data["score"],
            data.get("comment", ""),
            now=now(),
        ),
        success=_("Thank you: your rating is on the broker's profile."),
    )
    return redirect(url_for("deals.detail", deal_id=deal_id) + "#brokers")
