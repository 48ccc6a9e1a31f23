"""Reviewers' pages of auction deposits: the queue of receipts, the decision, the receipt file.

The routes belong to the `auctions` blueprint (`auctions.blueprint`; endpoint names
`auctions.deposit_queue`, ...); `auctions.views` imports this module to attach them.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from accounts.services import get_organisation
from auctions import queries
from auctions.blueprint import bp, receipts_folder
from auctions.schemas import RejectFormSchema
from core.clock import now
from core.files import send_receipt
from core.forms import attempt, parse_form
from core.i18n import current_locale
from listings import services as listings
from payments import deposits


@bp.route("/auctions/deposits/queue")
@login_required
def deposit_queue() -> str:
    """Reviewers: receipts of deposits to check against the bank statement."""
    queue = deposits.reviewer_queue(current_user)
    titles: dict[int, tuple[str, str | None]] = {}
    locale = current_locale()
    for deposit in queue:
        if deposit.context_type == queries.CONTEXT:
            auction = queries.get_auction(deposit.context_id)
            listing = listings.get_listing(auction.listing_id)
            titles[deposit.id] = (
                listing.title(locale),
                url_for("auctions.room", auction_id=auction.id),
            )
        else:
            titles[deposit.id] = (_("Listed sale %(id)s", id=deposit.context_id), None)
    names = {
        org_id: get_organisation(org_id).display_name(locale)
        for org_id in {deposit.org_id for deposit in queue}
    }
    return render_template(
        "auctions/deposit_queue.html", queue=queue, titles=titles, deposit_org_names=names
    )


@bp.post("/auctions/deposits/<int:deposit_id>/<any(confirm, reject):decision>")
@login_required
def decide_deposit(deposit_id: int, decision: str) -> Response:
    """Confirm a deposit (held) or reject its receipt with a reason."""
    if decision == "confirm":
        attempt(
            lambda: deposits.confirm_deposit(current_user, deposit_id, now=now()),
            success=_("Deposit confirmed: the bidder may bid."),
        )
    else:
        data, errors = parse_form(RejectFormSchema())
        if data is None:
            flash(" ".join(m for ms in errors.values() for m in ms), "danger")
        else:
            attempt(
                lambda: deposits.reject_receipt(
                    current_user, deposit_id, data["reason"], now=now()
                ),
                success=_("Receipt rejected; the bidder has been told why."),
                category="info",
            )
    return redirect(url_for("auctions.deposit_queue"))


@bp.route("/auctions/deposits/<int:deposit_id>/receipt")
@login_required
def receipt(deposit_id: int) -> Response:
    """Serve a receipt to the depositing organisation and reviewers, never as active content."""
    deposit = deposits.receipt_for_download(current_user, deposit_id)
    assert deposit.receipt_stored_name is not None
    return send_receipt(receipts_folder(), deposit.receipt_stored_name, deposit.receipt_name)
