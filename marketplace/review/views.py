"""Reviewers' pages: the queues, a listing's evidence side by side, the audit trail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from accounts import documents as organisation_documents
from accounts import services as accounts
from auctions import announcements as auction_announcements
from auctions.settings import settings_from_config
from core.audit import history, verify_ownership_chain
from core.bounds import query_date, query_id, query_text
from core.clock import now
from core.forms import attempt
from core.i18n import market_tz
from core.views_kit import download
from listings import review as listing_review
from listings import services as listings
from listings.rules import EVIDENCE_KINDS, FIELDS, ListingStatus
from marketplace.review import audit_export, audit_labels, audit_trail
from marketplace.review import queues as queues_of
from payments import bank_refunds

bp = Blueprint("review", __name__, url_prefix="/review")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in reviewer (the services check the role)."""


def _review_page(object_type: str, item: Any, **context: Any) -> str:
    """One item to decide on (review/<object_type>.html), with its audit history."""
    return render_template(
        f"review/{object_type}.html",
        history=history(object_type, item.id),
        fields=FIELDS,
        **{object_type: item},
        **context,
    )


@bp.route("/")
def queues() -> str:
    """The queues: organisations to verify, listings whose ownership awaits a decision, and
    bank refunds of released deposits still to make."""
    waiting = queues_of.review_queues(current_user)  # the API's counts come from it too
    organisations, refunds = waiting.organisations, waiting.refunds
    return render_template(
        "review/queues.html",
        organisations=organisations,
        licences=organisation_documents.licences_of(current_user, [o.id for o in organisations]),
        listings=waiting.listings,
        refunds=refunds,
        refund_payers={d.org_id: accounts.get_organisation(d.org_id).name for d in refunds},
        auctions=waiting.auctions,
        fields=FIELDS,
    )


@bp.post("/refunds/<int:deposit_id>/made")
def refund_made(deposit_id: int) -> Response:
    """A reviewer made the bank transfer refunding a released deposit, and records it."""
    reference = request.form.get("bank_reference", "")
    attempt(
        lambda: bank_refunds.record_refund(current_user, deposit_id, reference, now=now()),
        success=_("Refund recorded."),
    )
    return redirect(url_for("review.queues") + "#refunds")


@bp.route("/listings/<int:listing_id>")
def listing(listing_id: int) -> str:
    """A submitted listing with its evidence side by side, and the decision buttons."""
    accounts.require_reviewer(current_user)
    item = listings.get_listing(listing_id)
    decidable = item.status == ListingStatus.SUBMITTED
    return _review_page("listing", item, decidable=decidable, evidence_kinds=EVIDENCE_KINDS)


def _decide(
    approved: bool,
    approve: Callable[[], object],
    approved_message: str,
    refuse: Callable[[str], object],
    refused_message: str,
    *,
    page: str | None = None,
) -> Response:
    """One review decision in its own unit of work: approve, or refuse with the form's
    reason (flashed as information: the other side is told why); then back to the queues,
    or to the item's `page` when a rule refused the decision."""
    if approved:
        decided = attempt(approve, success=approved_message)
    else:
        reason = request.form.get("reason", "")
        decided = attempt(lambda: refuse(reason), success=refused_message, category="info")
    if decided is None and page is not None:
        return redirect(page)
    return redirect(url_for("review.queues"))


@bp.post("/listings/<int:listing_id>/<any(confirm, reject):decision>")
def decide_listing(listing_id: int, decision: str) -> Response:
    """Confirm ownership (the reason, if any, as the note), or reject with a reason."""
    return _decide(
        decision == "confirm",
        lambda: listing_review.confirm_ownership(
            current_user, listing_id, now=now(), note=request.form.get("reason", "")
        ),
        _("Ownership confirmed. The seller can now publish the listing."),
        lambda reason: listing_review.reject_ownership(current_user, listing_id, reason, now=now()),
        _("Sent back to the seller with your reason."),
        page=url_for("review.listing", listing_id=listing_id),
    )


@bp.post("/auctions/<int:auction_id>/<any(publish, refuse):decision>")
def decide_auction(auction_id: int, decision: str) -> Response:
    """Publish an auction's announcement (拍卖公告), or send it back with a reason."""
    return _decide(
        decision == "publish",
        lambda: auction_announcements.approve(
            current_user, auction_id, now=now(), settings=settings_from_config(current_app.config)
        ),
        _("Announcement published. Bidders may lodge deposits now."),
        lambda reason: auction_announcements.refuse(current_user, auction_id, reason, now=now()),
        _("Sent back to the seller with your reason."),
        page=url_for("auctions.room", auction_id=auction_id),
    )


@bp.post("/organisations/<int:org_id>/<any(verify, reject):decision>")
def decide_organisation(org_id: int, decision: str) -> Response:
    """Verify an organisation, or reject it with a reason."""
    return _decide(
        decision == "verify",
        lambda: accounts.verify_organisation(current_user, org_id, now=now()),
        _("Organisation verified."),
        lambda reason: accounts.reject_organisation(current_user, org_id, reason, now=now()),
        _("Organisation rejected."),
    )


def _audit_filter() -> audit_trail.AuditFilter:
    """The audit page's filters from the query string, each bounded."""
    zone = market_tz()
    return audit_trail.AuditFilter(
        object_type=query_text("type", 32),
        object_id=query_id("object"),
        actor=query_text("actor", 100),
        action=query_text("action", 64),
        start=query_date("from"),
        end=query_date("to"),
        zone=zone,
    )


@bp.route("/audit")
def audit() -> str:
    """The audit trail a page at a time, filtered, and whether the ownership chain is intact."""
    wanted = _audit_filter()
    page = audit_trail.audit_page(current_user, wanted, before=query_id("before"))
    types, actions = audit_trail.audit_choices(current_user)
    checked, broken = verify_ownership_chain()
    args = {k: v for k, v in request.args.items() if k != "before" and v}
    return render_template(
        "review/audit.html",
        page=page,
        types=types,
        actions=actions,
        args=args,
        tab_base={k: v for k, v in args.items() if k not in ("type", "object")},
        checked=checked,
        broken=broken,
        object_type_label=audit_labels.object_type_label,
        state_label=audit_labels.state_label,
    )


@bp.route("/audit.csv")
def audit_csv() -> Response:
    """The filtered audit trail as CSV (at most `audit_export.EXPORT_LIMIT` entries)."""
    body, name = audit_export.audit_csv(current_user, _audit_filter(), now=now())
    return download(body, audit_export.CSV_TYPE, name)


# --- technology brokers' accreditation (issue 6) -------------------------------------------


@bp.route("/brokers")
def brokers() -> str:
    """Broker applications waiting for accreditation, oldest first."""
    from brokers import accreditation as broker_services

    return render_template(
        "review/brokers.html", applications=broker_services.broker_queue(current_user)
    )


@bp.route("/brokers/<int:broker_id>")
def broker(broker_id: int) -> str:
    """An application with its documents side by side, and the decision buttons."""
    from brokers import accreditation
    from brokers import broker_access as broker_services

    item = accreditation.application(current_user, broker_id)  # as the API's
    expired = item.expires_on < broker_services.today_in_market(now())
    return _review_page("broker", item, decidable=item.status.value == "pending", expired=expired)


@bp.post("/brokers/<int:broker_id>/<any(accredit, refuse):decision>")
def decide_broker(broker_id: int, decision: str) -> Response:
    """Accredit a broker, or refuse with a reason the applicant reads."""
    from brokers import accreditation as broker_services

    reason = request.form.get("reason", "")
    if decision == "accredit":
        decided = attempt(
            lambda: broker_services.accredit(current_user, broker_id, now=now(), note=reason),
            success=_("Broker accredited."),
        )
    else:
        decided = attempt(
            lambda: broker_services.refuse(current_user, broker_id, reason, now=now()),
            success=_("Application refused; the applicant reads your reason."),
            category="info",
        )
    if decided is None:
        return redirect(url_for("review.broker", broker_id=broker_id))
    return redirect(url_for("review.brokers"))
