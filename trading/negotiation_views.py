"""Negotiations (协议定价): the pages, attached to the `sales` blueprint of `trading.views`.

The shell imports this module before it registers the blueprint, so the endpoints
keep their names (`sales.negotiation`, `sales.offer`, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from core.clock import now
from core.forms import FieldErrors, parse_form
from core.i18n import when
from core.views_kit import Page, act_on_page, form_on_page, form_page
from listings import services as listings
from trading import configured, negotiations, notice_queries, notices, queries
from trading.models import NegotiationStatus
from trading.schemas import (
    MessageInputSchema,
    OfferFormSchema,
    OpenNegotiationFormSchema,
    WithdrawInputSchema,
)
from trading.views import bp


@bp.route("/listings/<int:listing_id>/negotiate", methods=["GET", "POST"])
@login_required
def start_negotiation(listing_id: int) -> str | Response | tuple[str, int]:
    """A buyer opens a negotiation (or the seller, naming the buyer: ?buyer_org_id=)."""
    listing = listings.visible_listing(current_user, listing_id)
    existing = queries.negotiation_of(current_user, listing_id)
    if existing is not None and request.method == "GET":
        return redirect(url_for("sales.negotiation", negotiation_id=existing.id))
    buyer_org_id = request.values.get("buyer_org_id", type=int)
    return form_page(
        lambda: parse_form(OpenNegotiationFormSchema()),
        lambda data: negotiations.open_negotiation(
            current_user,
            listing_id,
            amount_minor=data.get("amount_minor"),
            message=data.get("message", ""),
            buyer_org_id=data.get("buyer_org_id"),
            now=now(),
        ),
        lambda errors: render_template(
            "sales/negotiate.html",
            listing=listing,
            form=request.form,
            errors=errors,
            buyer_org_id=buyer_org_id,
            owner=listings.is_owner(current_user, listing),
        ),
        saved=_("Negotiation opened. The other side has been told."),
        then=lambda negotiation: url_for("sales.negotiation", negotiation_id=negotiation.id),
    )


def _negotiation_page(
    negotiation_id: int,
    *,
    errors: FieldErrors | None = None,
    status: int = 200,
    form: Any = None,
) -> tuple[str, int]:
    negotiation = queries.visible_negotiation(current_user, negotiation_id)
    notice = notice_queries.notice_for_negotiation(negotiation.id)
    if notice is not None:
        notices.request_if_due([notice], now=now())
        negotiation = queries.visible_negotiation(current_user, negotiation_id)
    listing = listings.get_listing(negotiation.listing_id)
    return render_template(
        "sales/negotiation.html",
        negotiation=negotiation,
        listing=listing,
        side=queries.side_of(current_user, negotiation),
        can_accept=queries.can_accept(current_user, negotiation),
        is_open=negotiation.status == NegotiationStatus.OPEN,
        offers=queries.offers_of(negotiation),
        notice=notice,
        errors=errors or {},
        form=form or {},
    ), status


@bp.route("/negotiations/<int:negotiation_id>")
@login_required
def negotiation(negotiation_id: int) -> tuple[str, int]:
    """The thread of a negotiation: messages, offers, counter-offers and the actions."""
    return _negotiation_page(negotiation_id)


def _thread_page(negotiation_id: int, *, with_form: bool = True) -> Page:
    """The thread again with a refusal (and the form as it was sent)."""
    form = request.form if with_form else None
    return lambda errors, status: _negotiation_page(
        negotiation_id, errors=errors, status=status, form=form
    )


def _thread_end(negotiation_id: int) -> Callable[[object], str]:
    return lambda _result: (
        url_for("sales.negotiation", negotiation_id=negotiation_id) + "#thread-end"
    )


@bp.post("/negotiations/<int:negotiation_id>/offer")
@login_required
def offer(negotiation_id: int) -> Response | tuple[str, int]:
    """Make an offer or a counter-offer."""
    return form_on_page(
        OfferFormSchema(),
        _thread_page(negotiation_id),
        lambda data: negotiations.make_offer(
            current_user, negotiation_id, data["amount_minor"], message=data.get("message", ""), now=now()
        ),
        back=_thread_end(negotiation_id),
        success=_("Your offer is on the table."),
    )  # fmt: skip


@bp.post("/negotiations/<int:negotiation_id>/message")
@login_required
def message(negotiation_id: int) -> Response | tuple[str, int]:
    """Write in the thread."""
    return form_on_page(
        MessageInputSchema(),
        _thread_page(negotiation_id),
        lambda data: negotiations.post_message(current_user, negotiation_id, data["body"], now=now()),
        back=_thread_end(negotiation_id),
    )  # fmt: skip


@bp.post("/negotiations/<int:negotiation_id>/accept")
@login_required
def accept(negotiation_id: int) -> Response | tuple[str, int]:
    """Accept the other side's offer: the price is agreed and published for objections."""
    return act_on_page(
        lambda: configured.accept_offer(current_user, negotiation_id),
        _thread_page(negotiation_id, with_form=False),
        back=lambda notice: url_for("publicity.notice", notice_id=notice.id),
        success=lambda notice: _(
            "Price agreed. The public notice runs until %(end)s; the deal concludes if it stays clean.",
            end=when(notice.ends_at),
        ),
    )  # fmt: skip


@bp.post("/negotiations/<int:negotiation_id>/withdraw")
@login_required
def withdraw(negotiation_id: int) -> Response | tuple[str, int]:
    """Walk away from the negotiation before a price is agreed."""
    return form_on_page(
        WithdrawInputSchema(),
        _thread_page(negotiation_id, with_form=False),
        lambda data: negotiations.withdraw(
            current_user, negotiation_id, now=now(), message=data.get("message", "")
        ),
        back=lambda _result: url_for("sales.negotiation", negotiation_id=negotiation_id),
        success=_("You have withdrawn from this negotiation."),
        category="info",
    )


@bp.route("/my/negotiations")
@login_required
def my_negotiations() -> str:
    """The organisation's negotiations, as seller and as buyer."""
    items = queries.negotiations_of(current_user)
    org_id = current_user.acting_org_id
    return render_template(
        "sales/mine.html",
        selling=[n for n in items if n.seller_org_id == org_id],
        buying=[n for n in items if n.buyer_org_id == org_id],
    )
