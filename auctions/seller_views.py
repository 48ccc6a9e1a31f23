"""The seller's auction form: the draft announcement (拍卖公告) of an auction.

The route belongs to the `auctions` blueprint (endpoint `auctions.create`);
`auctions.views` imports this module to attach it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from auctions import services, term_rules
from auctions.blueprint import bp
from auctions.schemas import AuctionFormSchema, utc_to_local_input
from auctions.settings import AuctionSettings, settings_from_config
from core.clock import now
from core.domain import ValidationFailed
from core.forms import FieldErrors, domain_errors, flatten_errors
from core.i18n import market_zone
from core.money import Money, to_yuan_text
from core.view_steps import own_or_404
from core.views_kit import form_page
from listings import services as listings
from listings.models import Listing


def _settings() -> AuctionSettings:
    return settings_from_config(current_app.config)


@bp.route("/listings/<int:listing_id>/auction/new", methods=["GET", "POST"])
@login_required
def create(listing_id: int) -> str | Response | tuple[str, int]:
    """The seller puts a published listing up for auction."""
    listing = own_or_404(listings.get_listing(listing_id), listings.is_owner)
    zone = market_zone()
    return form_page(
        lambda: _parse_form(listing, zone),
        lambda data: services.create_auction(
            current_user, listing_id, services.AuctionInput(**data), now=now(), settings=_settings()
        ),
        lambda errors: _form_page(listing, zone, errors),
        saved=_("The announcement is submitted. A reviewer will publish it."),
        then=lambda auction: url_for("auctions.room", auction_id=auction.id),
    )


def _parse_form(listing: Listing, zone: str) -> tuple[dict[str, Any] | None, FieldErrors]:
    """The posted announcement, or the errors of its fields."""
    try:
        return AuctionFormSchema(timezone=zone, currency=listing.currency).load(
            dict(request.form)
        ), {}
    except ValidationError as error:
        return None, flatten_errors(error.messages)
    except ValidationFailed as error:
        return None, domain_errors(error)


def _form_page(listing: Listing, zone: str, errors: FieldErrors) -> str:
    """The announcement's form: as posted, or first with terms drawn from the listing."""
    form = dict(request.form) if request.method == "POST" else _first_terms(listing, zone)
    return render_template(
        "auctions/new.html",
        listing=listing,
        form=form,
        errors=errors,
        timezone=zone,
        announcement_days=_settings().announcement_period.days,
        limits=_settings().limits,
    )


def _first_terms(listing: Listing, zone: str) -> dict[str, str]:
    """A new announcement's terms: the asking price, the default increment and deposit,
    three days of bidding from the first hour after the announcement period."""
    start = listing.asking_price_minor or 0
    opens = (now() + _settings().announcement_period + timedelta(days=1)).replace(
        minute=0, second=0, microsecond=0
    )
    return {
        "starting_price": to_yuan_text(Money(start, listing.currency)) if start else "",
        "increment": (
            to_yuan_text(Money(term_rules.default_increment(start), listing.currency))
            if start
            else ""
        ),
        "reserve_price": "",
        "starts_at": utc_to_local_input(opens, zone),
        "ends_at": utc_to_local_input(opens + timedelta(days=3), zone),
        "deposit_deadline": "",
        "deposit_percent": str(_settings().default_deposit_bps // 100),
    }
