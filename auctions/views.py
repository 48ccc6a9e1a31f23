"""Auction pages: the list and results, the live auction room, the seller's form, deposits.

Live updates use Server-Sent Events at /auctions/<id>/events (`auctions.live`): an
accepted bid is published after its commit (Redis pub/sub between nodes when REDIS_URL is
set, else in process) and each open room renders it without reading the database; a room
reads the database when it opens (once: the browser reconnects with Last-Event-ID), at
the auction's start and end, and while it waits for the close. A stream ends after
AUCTION_SSE_MAX_SECONDS (5 minutes) and the browser's EventSource reconnects by itself,
so no worker is held for long; run gunicorn with threads (``-k gthread --threads 32``)
so open streams do not starve other requests.
"""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.routing import BuildError
from werkzeug.wrappers import Response

from auctions import bidders, bidding, closing, live_room, queries, services, term_rules
from auctions.blueprint import bp, receipts_folder
from auctions.queries import CLOSING, CONTEXT
from auctions.schemas import BidFormSchema, ReceiptFormSchema
from auctions.settings import AuctionSettings, settings_from_config
from core import page_cache
from core.clock import as_utc, now
from core.domain import N_, DomainError, ValidationFailed
from core.forms import FieldErrors, document_upload, domain_errors, parse_form
from core.i18n import current_locale
from core.money import Money, to_yuan_text
from core.uow import unit_of_work
from core.views_kit import PostAction, act_on_page, add_actions
from listings import services as listings
from payments import deposits
from payments.models import DepositStatus

LIST_KINDS = ("running", "upcoming", "closed")


def _settings() -> AuctionSettings:
    return settings_from_config(current_app.config)


def negotiation_url(listing_id: int, buyer_org_id: int | None) -> str | None:
    """The link to open a negotiation with the highest bidder, when that page exists."""
    if buyer_org_id is None:
        return None
    try:
        return url_for("sales.start_negotiation", listing_id=listing_id, buyer_org_id=buyer_org_id)
    except BuildError:
        return None


@bp.app_template_global()
def auction_status_label(status: str) -> str:
    """A reader's label of an auction's phase."""
    labels = {
        "upcoming": _("Upcoming"),
        "scheduled": _("Upcoming"),
        "running": _("Bidding open"),
        CLOSING: _("Ended, closing"),
        "closed": _("Sold"),
        "failed": _("No sale"),
        "cancelled": _("Cancelled"),
        "pending_review": _("Announcement awaiting review"),
        "refused": _("Announcement refused"),
    }
    return labels.get(status, status)


@bp.app_template_global()
def bidder_label(number: int | None, *, mine: bool = False, name: str | None = None) -> str:
    """How a page names a bidder: its name where the reader may see it, else "you" for the
    reader's own organisation, else its bidder number (竞买号)."""
    shown = _("No. %(number)s", number=number) if number is not None else ""
    if name:
        return f"{name} ({shown})" if shown else name
    if mine:
        return f"{_('you')} ({shown})" if shown else _("you")
    return _("Bidder %(number)s", number=number if number is not None else "—")


# --- lists and the room ------------------------------------------------------------------


@bp.route("/auctions")
def index() -> str:
    """Running and upcoming auctions, and the published results of closed ones."""
    kind = request.args.get("status", "running")
    if kind not in LIST_KINDS:
        kind = "running"
    moment = now()
    settings = _settings()
    locale = current_locale()
    auctions = queries.list_auctions(kind, now=moment)
    snapshots = closing.list_snapshots(auctions, now=moment, locale=locale, settings=settings)
    rows = list(zip(auctions, snapshots, strict=True))
    return render_template("auctions/index.html", kind=kind, kinds=LIST_KINDS, rows=rows)


def _room(
    auction_id: int,
    *,
    errors: FieldErrors | None = None,
    form: dict[str, Any] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    moment = now()
    settings = _settings()
    locale = current_locale()
    auction = queries.visible_auction(current_user, auction_id)
    viewer = bidders.viewer_of(current_user, auction)
    listing = listings.get_listing(auction.listing_id)  # held: the snapshot finds it loaded
    numbers = bidders.numbers_of(auction.id)  # read once for the snapshot and the caller's
    snapshot = closing.auction_snapshot(
        auction_id,
        now=moment,
        locale=locale,
        bids_limit=0,
        settings=settings,
        viewer=viewer,
        numbers=numbers,
    )
    history = queries.bid_rows(auction, viewer, locale=locale, limit=50)
    snapshot["bids"] = queries.feed_bids(history[:1])  # the feed's last bid, as the feed has it
    org_id = current_user.acting_org_id if current_user.is_authenticated else None
    deposit = queries.deposit_for(current_user, auction)
    is_seller = org_id is not None and org_id == auction.seller_org_id
    restricted = auction.restricted_to_org_ids
    is_party = restricted is None or (org_id is not None and org_id in restricted)
    open_ = snapshot["status"] in ("running", "upcoming")
    series = [{"t": at.isoformat(), "p": price} for at, price in queries.price_series(auction.id)]
    minimum = snapshot["minimum_next_bid_minor"]
    context = {
        "auction": auction,
        "listing": listing,
        "snap": snapshot,
        "deposit": deposit,
        "deposit_minor": queries.deposit_amount_of(auction),
        "rejection_reason": deposits.last_rejection_reason(deposit) if deposit else None,
        "my_max": queries.my_maximum(current_user, auction),
        "is_seller": is_seller,
        "is_party": is_party,
        "is_open": open_,
        "unpublished": auction.status in queries.UNPUBLISHED_STATUSES,
        "deposits_open": term_rules.deposits_open(
            published_at=as_utc(auction.announced_at) if auction.announced_at else None,
            deadline=as_utc(auction.deposit_deadline) if auction.deposit_deadline else None,
            ends_at=as_utc(auction.ends_at),
            now=moment,
        ),
        "can_bid": bool(
            open_
            and snapshot["status"] == "running"
            and deposit is not None
            and deposit.status == DepositStatus.HELD
            and not is_seller
            and is_party
        ),
        "series_json": json.dumps(series),
        "history": history,
        "my_number": numbers.get(org_id) if org_id else None,
        "snapshot_json": json.dumps(snapshot),
        "errors": errors or {},
        "form": form or {"amount": to_yuan_text(Money(minimum, auction.currency)), "max": ""},
        "negotiation_url": (
            negotiation_url(auction.listing_id, snapshot["highest_bidder_org_id"])
            if is_seller
            else None
        ),
        "highest_bidder_name": (
            queries.org_name(snapshot["highest_bidder_org_id"], locale)
            if snapshot["highest_bidder_org_id"]
            else None
        ),
        "DepositStatus": DepositStatus,
    }
    return render_template("auctions/room.html", **context), status


@bp.route("/auctions/<int:auction_id>")
@page_cache.for_visitors
def room(auction_id: int) -> tuple[str, int]:
    """The auction room: price, time left (server time), your deposit, the bid form, the history."""
    return _room(auction_id)


@bp.post("/auctions/<int:auction_id>/bids")
@login_required
def bid(auction_id: int) -> Response | tuple[str, int]:
    """Place a bid (optionally with a maximum); a refused bid shows the form again with why."""
    try:
        currency = queries.get_auction(auction_id).currency
        data, errors = parse_form(BidFormSchema(currency=currency))
    except ValidationFailed as error:  # an amount that is not money
        data, errors = None, domain_errors(error)
    form = {"amount": request.form.get("amount", ""), "max": request.form.get("max", "")}
    if data is None:
        return _room(auction_id, errors=errors, form=form, status=422)
    try:
        with unit_of_work(writer=True):
            result = bidding.place_bid(
                current_user,
                auction_id,
                data["amount_minor"],
                max_minor=data["max_minor"],
                now=now(),
                settings=_settings(),
            )
    except DomainError as error:  # `_room` closes the auction if the bid came after its end
        return _room(auction_id, errors=domain_errors(error), form=form, status=int(error.status))
    if result.raised_max:
        flash(_("Your maximum is raised. You still hold the highest bid."), "success")
    elif result.leading:
        flash(_("Your bid is accepted. You hold the highest bid."), "success")
    else:
        flash(
            _("Your bid is accepted, but an earlier maximum outbid it. You may bid again."),
            "warning",
        )
    if result.extended:
        flash(_("The bid came in the last minutes: the end was extended."), "info")
    return redirect(url_for("auctions.room", auction_id=auction_id))


add_actions(
    bp,
    PostAction("/auctions/<int:auction_id>/join", "join", "Take part: the deposit this organisation owes is put on the ledger.", services.join_auction, N_("Transfer the deposit and upload the bank receipt below."), "auctions.room", category="info", anchor="#deposit"),
)  # fmt: skip


@bp.post("/auctions/<int:auction_id>/deposit")
@login_required
def upload_receipt(auction_id: int) -> Response | tuple[str, int]:
    """Upload the bank-transfer receipt of the deposit; a reviewer confirms it."""
    data, errors = parse_form(ReceiptFormSchema())
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        errors["file"] = [_("Choose a file to upload.")]
    if errors or data is None or upload is None or not upload.filename:
        return _room(auction_id, errors=errors, status=422)
    return act_on_page(
        lambda: deposits.lodge_receipt(
            current_user, CONTEXT, auction_id, bank_reference=data["bank_reference"], now=now(),
            **document_upload(receipts_folder()),
        ),
        lambda errors, status: _room(auction_id, errors=errors, status=status),
        lambda _receipt: url_for("auctions.room", auction_id=auction_id) + "#deposit",
        _("Receipt received. A reviewer will confirm the deposit."),
        writer=None,
    )  # fmt: skip


@bp.route("/auctions/<int:auction_id>/events")
def events(auction_id: int) -> Response:
    """Server-Sent Events: a snapshot whenever price, status or end change (see module docs)."""
    # 404 before the stream starts; who watches decides which names it carries
    viewer = bidders.viewer_of(current_user, queries.visible_auction(current_user, auction_id))
    events = live_room.room_events(
        auction_id,
        viewer,
        locale=current_locale(),
        settings=_settings(),
        last_event_id=request.headers.get("Last-Event-ID"),
    )
    return Response(
        events,
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


# The seller's form and the deposit reviewers' routes are on this blueprint too
# (imported last: they need `bp`).
from auctions import deposit_views, seller_views  # noqa: E402, F401
