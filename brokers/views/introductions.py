"""Introduction pages: a broker introduces parties, the parties answer."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from accounts.services import get_organisation
from brokers import broker_access as shared
from brokers import introductions
from brokers.rules import IntroductionStatus
from brokers.views.blueprint import bp
from core.audit import history
from core.clock import now
from core.forms import FieldErrors, attempt
from core.views_kit import act_on_page, row_id
from listings import needs as needs_service
from listings import services as listings


def _render_introduction_form(
    form: dict[str, Any], errors: FieldErrors | None = None, status: int = 200
) -> tuple[str, int]:
    listing = buyer = need = None
    if form.get("listing_id"):
        listing = listings.visible_listing(current_user, row_id(form["listing_id"]))
    if form.get("need_id"):
        need = needs_service.visible_need(current_user, row_id(form["need_id"]))
        buyer = need.organisation
    elif form.get("buyer_org_id"):
        buyer = get_organisation(row_id(form["buyer_org_id"]))
    if listing is None or buyer is None:
        abort(404)
    moment = now()
    acting = shared.acts_for(current_user, listing_id=listing.id, now=moment) or (
        need is not None and shared.acts_for(current_user, need_id=need.id, now=moment)
    )
    return render_template(
        "brokers/introduction_form.html",
        form=form,
        errors=errors or {},
        listing=listing,
        buyer=buyer,
        need=need,
        acting=acting,
    ), status


@bp.route("/introductions/new", methods=["GET", "POST"])
@login_required
def new_introduction() -> Any:
    """A broker introduces a buyer to a listing (listing_id + buyer_org_id) or a seller to a
    need (need_id + listing_id)."""
    if request.method == "GET":
        form = {k: request.args.get(k, "") for k in ("listing_id", "buyer_org_id", "need_id")}
        form["note"] = ""
        return _render_introduction_form(form)
    form = request.form.to_dict()
    listing_id = row_id(form.get("listing_id"))
    buyer_org_id = row_id(form["buyer_org_id"]) if form.get("buyer_org_id") else None
    need_id = row_id(form["need_id"]) if form.get("need_id") else None
    return act_on_page(
        lambda: introductions.introduce(
            current_user,
            listing_id=listing_id,
            buyer_org_id=buyer_org_id,
            need_id=need_id,
            note=form.get("note", ""),
            now=now(),
        ),
        lambda errors, status: _render_introduction_form(form, errors, status),
        lambda introduction: url_for("brokers.introduction", introduction_id=introduction.id),
        _("Introduction sent. Both parties are asked to accept it."),
    )


@bp.route("/introductions/<int:introduction_id>")
@login_required
def introduction(introduction_id: int) -> str:
    """An introduction: the parties, the broker, who accepted, and the negotiation thread."""
    item = introductions.visible_introduction(current_user, introduction_id)
    side = introductions.side_in(current_user, item)
    stamp = {"seller": item.seller_accepted_at, "buyer": item.buyer_accepted_at}.get(side or "")
    return render_template(
        "brokers/introduction.html",
        introduction=item,
        listing=listings.get_listing(item.listing_id),
        need=needs_service.get_need(item.need_id) if item.need_id else None,
        side=side,
        can_answer=side in ("seller", "buyer")
        and item.status == IntroductionStatus.PROPOSED
        and stamp is None,
        history=history("introduction", item.id),
    )


@bp.post("/introductions/<int:introduction_id>/<any(accept, decline):answer>")
@login_required
def answer_introduction(introduction_id: int, answer: str) -> Response:
    """A party accepts or declines an introduction; both accepting opens the thread."""
    item = attempt(
        lambda: introductions.respond_to_introduction(
            current_user, introduction_id, accept=answer == "accept", now=now()
        )
    )
    if item is None:
        return redirect(url_for("brokers.introduction", introduction_id=introduction_id))
    if item.status == IntroductionStatus.ACCEPTED and item.negotiation_id:
        flash(_("Both parties accepted. The negotiation is open: agree a price here."), "success")
        return redirect(url_for("sales.negotiation", negotiation_id=item.negotiation_id))
    if item.status == IntroductionStatus.ACCEPTED:
        flash(
            _(
                "Both parties accepted. The result cannot be negotiated now (it is in a listed "
                "sale or an auction, or under offer), so no negotiation opened."
            ),
            "success",
        )
    elif item.status == IntroductionStatus.DECLINED:
        flash(
            _(
                "Introduction declined. A deal between these parties within the mandate's "
                "term still carries the broker's commission."
            ),
            "info",
        )
    else:
        flash(_("Accepted. Waiting for the other party."), "info")
    return redirect(url_for("brokers.introduction", introduction_id=introduction_id))
