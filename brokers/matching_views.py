"""Matching pages: listings for a need, enterprises for a listing, each with its reasons."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from flask import Blueprint, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from brokers import matching
from brokers.active_sales import (
    AUCTION_RUNNING,
    AUCTION_SCHEDULED,
    LISTED_SALE,
    PUBLIC_NOTICE,
    ActiveSale,
)
from core.clock import now
from core.i18n import when
from listings import needs
from listings import services as listings

bp = Blueprint("matching", __name__)
INTRODUCTION_ENDPOINT = "brokers.new_introduction"


def _introduction_url(**args: int) -> str | None:
    """The brokers' introduction form for these parties, once that page exists."""
    if INTRODUCTION_ENDPOINT not in current_app.view_functions:
        return None
    values: dict[str, Any] = dict(args)
    return url_for(INTRODUCTION_ENDPOINT, **values)


_SALE_PAGES = {
    LISTED_SALE: ("sales.sale", "sale_id"),
    PUBLIC_NOTICE: ("publicity.notice", "notice_id"),
    AUCTION_SCHEDULED: ("auctions.room", "auction_id"),
    AUCTION_RUNNING: ("auctions.room", "auction_id"),
}


def _short(moment: datetime | None) -> str:
    return when(moment)


def sale_view(sale: ActiveSale | None) -> dict[str, Any] | None:
    """What the match page and the API show of a listing's running sale: words, deadline, link."""
    if sale is None:
        return None
    endpoint, arg = _SALE_PAGES[sale.kind]
    target: dict[str, Any] = {arg: sale.sale_id}
    return {
        "kind": sale.kind,
        "sale_id": sale.sale_id,
        "deadline": sale.deadline,
        "starts_at": sale.starts_at,
        "price_minor": sale.price_minor,
        "currency": sale.currency,
        "text": sale.text(_, _short),
        "url": url_for(endpoint, **target),
    }


def _matches_page(
    template: str,
    found: Iterable[Any],
    broker: bool,
    parties: Callable[[Any], dict[str, int]],
    **context: Any,
) -> str:
    """The matches page: a card per match with why it is suggested, and for a broker
    the introduction link between the match's `parties`."""
    rows = [
        {
            "match": match,
            "reasons": [reason.text(_) for reason in match.reasons],
            "sale": sale_view(getattr(match, "sale", None)),
            "introduce": _introduction_url(**parties(match)) if broker else None,
        }
        for match in found
    ]
    return render_template(template, rows=rows, broker=broker, **context)


@bp.get("/needs/<int:need_id>/matches")
@login_required
def need_matches(need_id: int) -> str:
    """Published, available listings that could answer a need, best first, with why."""
    moment = now()
    return _matches_page(
        "brokers/matches_need.html",
        matching.matches_for_need(current_user, need_id, now=moment),
        matching.is_broker_for(current_user, need_id=need_id, now=moment),
        lambda match: {"need_id": need_id, "listing_id": match.listing.id},
        need=needs.get_need(need_id),
    )


@bp.get("/listings/<int:listing_id>/matches")
@login_required
def listing_matches(listing_id: int) -> str:
    """Enterprises that could want a listing (their needs, bids, intents, negotiations)."""
    moment = now()
    return _matches_page(
        "brokers/matches_listing.html",
        matching.matches_for_listing(current_user, listing_id, now=moment),
        matching.is_broker_for(current_user, listing_id=listing_id, now=moment),
        lambda match: {"listing_id": listing_id, "buyer_org_id": match.organisation.id},
        listing=listings.get_listing(listing_id),
    )
