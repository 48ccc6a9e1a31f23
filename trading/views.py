"""Listed sales (挂牌): the pages, and the `sales` blueprint the negotiation pages join.

The negotiation pages are in `trading.negotiation_views`, attached to this blueprint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from accounts.services import get_organisation
from auctions.queries import auctions_of_listing
from core.clock import now
from core.domain import N_, NotFound
from core.forms import FieldErrors, document_upload, parse_form
from core.i18n import current_locale
from core.money import Money, to_yuan_text
from core.view_steps import own_or_404
from core.views_kit import Page, act_on_page, form_page
from listings import services as listings
from listings.models import Listing
from payments import deposits
from trading import closing, configured, listed_sales, queries
from trading.models import ListedSaleStatus
from trading.schemas import ListedSaleFormSchema

bp = Blueprint("sales", __name__)


@bp.app_template_global()
def endpoint_exists(name: str) -> bool:
    """Whether a page exists (links to pages other packages may not have yet)."""
    return name in current_app.view_functions


@bp.app_template_global()
def org_name(org_id: int | None) -> str:
    """An organisation's name in the reader's language."""
    if org_id is None:
        return ""
    try:
        return get_organisation(org_id).display_name(current_locale())
    except NotFound:
        return ""


_SALE_STATUS = {
    "open": (N_("Listing period running"), "primary"),
    "no_buyer": (N_("Ended without a buyer"), "secondary"),
    "sold": (N_("Sold at the asking price"), "success"),
    "auctioned": (N_("Several buyers: auction opened"), "warning"),
    "withdrawn": (N_("Withdrawn"), "dark"),
}
_NEGOTIATION_STATUS = {
    "open": (N_("Negotiating"), "primary"),
    "agreed": (N_("Agreed: in public notice"), "warning"),
    "concluded": (N_("Concluded"), "success"),
    "fallen": (N_("Fallen on objection"), "danger"),
    "withdrawn": (N_("Withdrawn"), "secondary"),
}
_SALE_STATE = {
    "available": (N_("Available"), "success"),
    "listed_sale": (N_("In a listed sale"), "primary"),
    "under_offer": (N_("Under offer (public notice)"), "warning"),
    "in_auction": (N_("In auction"), "info"),
    "sold": (N_("Sold"), "dark"),
}


def _label(table: dict[str, tuple[str, str]], value: Any) -> tuple[str, str]:
    key = getattr(value, "value", value)
    text, colour = table.get(key, (key, "secondary"))
    return _(text), colour


@bp.app_template_global()
def sale_status_label(status: Any) -> tuple[str, str]:
    """(label, colour) of a listed sale's status."""
    return _label(_SALE_STATUS, status)


@bp.app_template_global()
def negotiation_status_label(status: Any) -> tuple[str, str]:
    """(label, colour) of a negotiation's status."""
    return _label(_NEGOTIATION_STATUS, status)


@bp.app_template_global()
def sale_state_label(state: Any) -> tuple[str, str]:
    """(label, colour) of where a listing is in its sale."""
    return _label(_SALE_STATE, state)


# --- listed sales ----------------------------------------------------------------------


@bp.route("/sales")
def index() -> str:
    """Listed sales in their listing period, ending soonest first."""
    items = closing.request_if_due(queries.sales(status=ListedSaleStatus.OPEN), now=now())
    return render_template(
        "sales/index.html", sales=[s for s in items if s.status == ListedSaleStatus.OPEN]
    )


@bp.route("/listings/<int:listing_id>/sale/new", methods=["GET", "POST"])
@login_required
def new_sale(listing_id: int) -> str | Response | tuple[str, int]:
    """The seller puts a listing up for a listed sale at an asking price."""
    listing = own_or_404(listings.get_listing(listing_id), listings.is_owner)
    return form_page(
        lambda: parse_form(ListedSaleFormSchema()),
        lambda data: configured.start_listed_sale(current_user, listing_id, data),
        lambda errors: _new_sale_page(listing, errors),
        saved=_("The listed sale is open: buyers may now register their intent."),
        then=lambda sale: url_for("sales.sale", sale_id=sale.id),
        writer=True,
    )


def _new_sale_page(listing: Listing, errors: FieldErrors) -> str:
    """The listed sale's form: as posted, or first the listing's asking price and the
    market's listing period."""
    config = current_app.config
    form = (
        request.form
        if request.method == "POST"
        else {
            "asking_price": to_yuan_text(Money(listing.asking_price_minor))
            if listing.asking_price_minor
            else "",
            "working_days": config["LISTING_PERIOD_WORKING_DAYS"],
            "deposit": "",
        }
    )
    return render_template(
        "sales/new.html",
        listing=listing,
        form=form,
        errors=errors,
        deposit_percent=config["DEFAULT_DEPOSIT_BPS"] / 100,
    )


def _sale_page(
    sale_id: int, *, errors: FieldErrors | None = None, status: int = 200
) -> tuple[str, int]:
    [sale] = closing.request_if_due([queries.get_sale(sale_id)], now=now())
    listing = listings.get_listing(sale.listing_id)
    owner = listings.is_owner(current_user, listing)
    intent = queries.intent_of(current_user, sale)
    deposit = queries.deposit_of(current_user, sale)
    auction_id = None
    if sale.status == ListedSaleStatus.AUCTIONED:
        auction_id = next(
            (a.id for a in auctions_of_listing(listing.id) if a.listed_sale_id == sale.id),
            None,
        )
    return render_template(
        "sales/sale.html",
        sale=sale,
        listing=listing,
        owner=owner,
        intent=intent if intent and intent.withdrawn_at is None else None,
        deposit=deposit,
        intents=queries.active_intents(sale),
        auction_id=auction_id,
        errors=errors or {},
        is_open=sale.status == ListedSaleStatus.OPEN,
    ), status


@bp.route("/sales/<int:sale_id>")
def sale(sale_id: int) -> tuple[str, int]:
    """A listed sale: price, end of the period, intents, and the buyer's deposit."""
    return _sale_page(sale_id)


def _sale_action(
    sale_id: int,
    use_case: Callable[[], object],
    success: str,
    category: str = "success",
    *,
    anchor: str = "",
    writer: bool = True,
) -> Response | tuple[str, int]:
    """Run an action on the sale and go back to it (see `act_on_page`)."""
    return act_on_page(
        use_case,
        _refused_on(sale_id),
        lambda _result: url_for("sales.sale", sale_id=sale_id) + anchor,
        success,
        category,
        writer=writer,
    )


def _refused_on(sale_id: int) -> Page:
    return lambda errors, status: _sale_page(sale_id, errors=errors, status=status)


@bp.post("/sales/<int:sale_id>/intent")
@login_required
def register_intent(sale_id: int) -> Response | tuple[str, int]:
    """A buyer registers intent (意向受让); the deposit is then due."""
    return _sale_action(
        sale_id,
        lambda: listed_sales.register_intent(current_user, sale_id, now=now()),
        _("Intent registered. Transfer the deposit and upload the bank receipt."),
        anchor="#deposit",
    )


@bp.post("/sales/<int:sale_id>/intent/withdraw")
@login_required
def withdraw_intent(sale_id: int) -> Response | tuple[str, int]:
    """A buyer withdraws its intent; the deposit goes back after the period."""
    return _sale_action(
        sale_id,
        lambda: listed_sales.withdraw_intent(current_user, sale_id, now=now()),
        _("Your intent is withdrawn. A paid deposit is released after the period."),
        "info",
    )


@bp.post("/sales/<int:sale_id>/deposit")
@login_required
def upload_receipt(sale_id: int) -> Response | tuple[str, int]:
    """Upload the bank-transfer receipt of the deposit; a reviewer confirms it."""
    deposit = queries.deposit_of(current_user, queries.get_sale(sale_id))

    def submit() -> None:
        if deposit is None:
            raise NotFound(N_("Register your intent first."))
        folder = deposits.receipt_folder(current_app.config["UPLOAD_FOLDER"])
        deposits.submit_receipt(
            current_user, deposit.id, bank_reference=request.form.get("bank_reference", ""),
            now=now(), **document_upload(folder),
        )  # fmt: skip

    return _sale_action(
        sale_id,
        submit,
        _("Receipt received. A reviewer will confirm the deposit."),
        anchor="#deposit",
        writer=False,
    )


@bp.post("/sales/<int:sale_id>/withdraw")
@login_required
def cancel(sale_id: int) -> Response | tuple[str, int]:
    """The seller withdraws a listed sale nobody has registered intent in."""
    return _sale_action(
        sale_id,
        lambda: configured.cancel_sale(current_user, sale_id),
        _("The listed sale is withdrawn."),
        "info",
    )


@bp.post("/sales/<int:sale_id>/relist")
@login_required
def relist(sale_id: int) -> Response | tuple[str, int]:
    """After a sale without buyer, list again on the same terms."""
    return act_on_page(
        lambda: configured.relist(current_user, sale_id),
        _refused_on(sale_id),
        lambda new: url_for("sales.sale", sale_id=new.id),
        _("Listed again: a new listing period has started."),
    )
