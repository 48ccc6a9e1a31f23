"""Mandate pages: proposing one, reading it, and each side's answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from brokers import broker_access as shared
from brokers import introductions, mandates, profiles
from brokers.mandates import MandateInput
from brokers.models import Mandate
from brokers.rules import CommissionKind, MandateStatus, last_day
from brokers.schemas import MandateFormSchema
from brokers.views.blueprint import bp, matches_url
from core.audit import history
from core.clock import as_utc, now
from core.domain import DomainError
from core.forms import FieldErrors, attempt, domain_errors, parse_form
from core.i18n import current_locale, market_zone
from core.i18n import day as day_text
from core.views_kit import act_on_page, row_id
from listings import needs as needs_service
from listings import services as listings
from listings.need_rules import NeedStatus
from listings.rules import ListingStatus


def _scope_choices() -> dict[str, Any]:
    """What the principal may put under a mandate: its listings and its open needs."""
    if current_user.acting_org_id is None:
        return {"my_listings": [], "my_needs": []}
    return {
        "my_listings": [
            item
            for item in listings.listings_of(current_user)
            if item.status == ListingStatus.PUBLISHED
        ],
        "my_needs": needs_service.needs_of(current_user, NeedStatus.OPEN),
    }


def _render_mandate_form(
    form: dict[str, Any], errors: FieldErrors | None = None, status: int = 200
) -> tuple[str, int]:
    moment = now()
    own = shared.broker_of(current_user)
    listing = need = None
    if form.get("listing_id"):
        try:
            listing = listings.visible_listing(current_user, row_id(form["listing_id"]))
        except (DomainError, ValueError):
            listing = None
    if form.get("need_id"):
        try:
            need = needs_service.visible_need(current_user, row_id(form["need_id"]))
        except (DomainError, ValueError):
            need = None
    return render_template(
        "brokers/mandate_form.html",
        form=form,
        errors=errors or {},
        brokers=[b for b in profiles.directory(now=moment) if own is None or b.id != own.id],
        own=own,
        listing=listing,
        need=need,
        kinds=list(CommissionKind),
        **_scope_choices(),
    ), status


@bp.route("/mandates/new", methods=["GET", "POST"])
@login_required
def new_mandate() -> Any:
    """Propose a mandate: the principal names a broker, or a broker names the listing / need."""
    if request.method == "GET":
        today = shared.today_in_market(now())
        args = request.args
        own = shared.broker_of(current_user)
        side = args.get("side") or ("buyer" if args.get("need_id") else "seller")
        form = {
            "broker_id": args.get("broker_id") or (str(own.id) if own else ""),
            "side": side,
            "listing_id": args.get("listing_id", ""),
            "need_id": args.get("need_id", ""),
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=180)).isoformat(),
            "notice_days": "30",
            "commission_kind": "percentage",
            "rate": "2",
            "minimum": "",
            "maximum": "",
            "fixed_fee": "",
            "payer": side,
        }
        return _render_mandate_form(form)
    form = request.form.to_dict()
    try:
        data, errors = parse_form(MandateFormSchema(timezone=market_zone()))
    except DomainError as error:  # an amount that is not money
        data, errors = None, domain_errors(error)
    if data is None:
        return _render_mandate_form(form, errors, 422)
    return act_on_page(
        lambda: mandates.propose_mandate(current_user, cast(MandateInput, data), now=now()),
        lambda errors, status: _render_mandate_form(form, _field_on_form(errors), status),
        lambda mandate: url_for("brokers.mandate", mandate_id=mandate.id),
        _("Mandate proposed. It binds when the other side accepts."),
    )


def _field_on_form(errors: FieldErrors) -> FieldErrors:
    """Service field names onto the form's: the term's end is typed as a date."""
    renamed = {"rate_bps": "rate", "fixed_minor": "fixed_fee"}
    return {renamed.get(k, k): v for k, v in errors.items()}


@bp.route("/mandates/<int:mandate_id>")
@login_required
def mandate(mandate_id: int) -> str:
    """A mandate: its terms, who accepted, the buttons of each side, its history."""
    item = mandates.visible_mandate(current_user, mandate_id)
    return _render_mandate(item)


def _render_mandate(item: Mandate) -> str:
    moment = now()
    as_broker = item.broker.user_id == current_user.id
    as_principal = current_user.acting_org_id == item.principal_org_id
    mine_accepted = (as_broker and item.broker_accepted_at) or (
        as_principal and item.principal_accepted_at
    )
    scope_title = None
    if item.listing_id:
        scope_title = listings.get_listing(item.listing_id).title(current_locale())
    elif item.need_id:
        scope_title = needs_service.get_need(item.need_id).title
    return render_template(
        "brokers/mandate.html",
        mandate=item,
        scope_title=scope_title,
        in_force=item.in_force(moment),
        as_broker=as_broker,
        as_principal=as_principal,
        can_accept=(as_broker or as_principal)
        and item.status == MandateStatus.PROPOSED
        and not mine_accepted,
        can_withdraw=(as_broker or as_principal)
        and item.status == MandateStatus.PROPOSED
        and bool(mine_accepted),
        can_terminate=(as_broker or as_principal)
        and item.status == MandateStatus.ACTIVE
        and item.in_force(moment),
        history=history("mandate", item.id),
        introductions=[
            i for i in introductions.introductions_of_broker(item.broker) if i.mandate_id == item.id
        ]
        if (as_broker or as_principal or current_user.can_review)
        else [],
        matches_url=matches_url,
        last_day=lambda m: last_day(m, market_zone()),
    )


def _mandate_done(action: str, item: Mandate) -> tuple[str, str]:
    """What a step on a mandate says once taken, and the flash's category."""
    if action == "decline":
        return _("The proposal is closed."), "info"
    if action == "terminate":
        until = item.terminates_at
        day = day_text(last_day(as_utc(until), market_zone())) if until else ""
        return _("Notice given: the mandate stays in force until %(day)s.", day=day), "info"
    if item.status == MandateStatus.ACTIVE:
        return _("Mandate accepted: it is now in force."), "success"
    return _("Accepted. The mandate binds when the other side accepts."), "info"


@bp.post("/mandates/<int:mandate_id>/<any(accept, decline, terminate):action>")
@login_required
def mandate_action(mandate_id: int, action: str) -> Response:
    """Accept, decline (or withdraw) a proposal, or end a mandate by notice."""
    reason = request.form.get("reason", "")
    steps: dict[str, Callable[[], Mandate]] = {
        "accept": lambda: mandates.accept_mandate(current_user, mandate_id, now=now()),
        "decline": lambda: mandates.decline_mandate(current_user, mandate_id, now=now(), reason=reason),
        "terminate": lambda: mandates.terminate_mandate(current_user, mandate_id, reason, now=now()),
    }  # fmt: skip
    item = attempt(steps[action])
    if item is not None:
        flash(*_mandate_done(action, item))
    return redirect(url_for("brokers.mandate", mandate_id=mandate_id))
