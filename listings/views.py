"""Listing pages: detail, my listings, the editor with evidence, and the owner's actions."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from core import page_cache
from core.clock import now
from core.domain import N_, ValidationFailed
from core.forms import FieldErrors, attempt, document_upload, domain_errors
from core.signals import merged_from_signal
from core.storage import area_folder
from core.uow import unit_of_work
from core.view_steps import own_or_404
from core.views_kit import (
    PostAction,
    add_actions,
    by_state_page,
    form_page,
    history_for,
    send_stored,
)
from listings import evaluations, services
from listings import evidence as listing_evidence
from listings import review as listing_review
from listings.image_files import ImageLimits
from listings.rules import EVIDENCE_KINDS, FIELDS, IPKind, ListingStatus, TransferMode
from listings.schemas import ListingInputSchema, editor_form_to_input
from listings.signals import listing_page

bp = Blueprint("listings", __name__)


def _evidence_folder() -> Path:
    return area_folder("evidence")


def image_limits() -> ImageLimits:
    """The configured bounds of a picture (MAX_IMAGE_BYTES, IMAGE_MIN_EDGE…)."""
    config = current_app.config
    return ImageLimits(
        max_bytes=config["MAX_IMAGE_BYTES"],
        min_edge=config["IMAGE_MIN_EDGE"],
        max_edge=config["IMAGE_MAX_EDGE"],
        per_listing=config["IMAGES_PER_LISTING"],
    )


def _editor_context(**extra: object) -> dict:
    return {
        "fields": FIELDS,
        "ip_kinds": list(IPKind),
        "transfer_modes": list(TransferMode),
        "evidence_kinds": EVIDENCE_KINDS,
        "image_limits": image_limits(),
        **extra,
    }


@bp.route("/listings/<int:listing_id>")
@page_cache.for_visitors
def detail(listing_id: int) -> str:
    """A listing as buyers see it; owners and reviewers also see its state and history.

    The panels (sale, auction, valuation, similar listings) come from their domains,
    which answer the `listing_page` signal.
    """
    listing = services.visible_listing(current_user, listing_id)
    with unit_of_work():
        panels = merged_from_signal(listing_page, listing, viewer=current_user, now=now())
    owner = services.is_owner(current_user, listing)
    return render_template(
        "listings/detail.html",
        listing=listing,
        owner=owner,
        evaluation=evaluations.latest_of(listing),
        evaluation_count=len(listing.evaluations),
        may_evaluate=evaluations.may_evaluate(current_user, listing, now=now()),
        fields=FIELDS,
        history=history_for(owner, "listing", listing.id),
        **panels,
    )


@bp.route("/my/listings")
@login_required
def mine() -> str:
    """The seller's dashboard: the organisation's listings by state."""
    return by_state_page(
        "listings/mine.html",
        ListingStatus,
        services.listings_of,
        services.count_by_status,
        fields=FIELDS,
    )


def _parse_editor() -> tuple[services.ListingInput | None, FieldErrors]:
    try:
        raw = editor_form_to_input(request.form)
        return ListingInputSchema().load(raw), {}
    except ValidationFailed as error:
        return None, domain_errors(error)
    except ValidationError as error:
        return None, _editor_errors(error.normalized_messages())


def _editor_errors(messages: dict) -> FieldErrors:
    """Marshmallow's nested errors as the editor's field names (ip_assets.0.number, ...)."""
    errors: FieldErrors = {}
    for key, value in messages.items():
        if isinstance(value, dict):
            for position, nested in value.items():
                for name, texts in nested.items() if isinstance(nested, dict) else [("", nested)]:
                    errors[f"{key}.{position}.{name}".rstrip(".")] = [_(str(t)) for t in texts]
        else:
            errors["asking_price" if key == "asking_price_minor" else key] = [
                _(str(t)) for t in value
            ]
    return errors


@bp.route("/listings/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response | tuple[str, int]:
    """Create a draft listing; evidence is attached on the next page."""
    holder = current_user.organisation.name if current_user.organisation else ""
    return form_page(
        _parse_editor,
        lambda data: services.create_listing(current_user, data, now=now()),
        lambda errors: _editor(listing=None, form=request.form, errors=errors, default_holder=holder),
        saved=_("Draft saved. Now attach the ownership evidence."),
        then=lambda listing: url_for("listings.edit", listing_id=listing.id) + "#evidence",
    )  # fmt: skip


@bp.route("/listings/<int:listing_id>/edit", methods=["GET", "POST"])
@login_required
def edit(listing_id: int) -> str | Response | tuple[str, int]:
    """Edit a draft and manage its evidence."""
    listing = own_or_404(services.get_listing(listing_id), services.is_owner)
    return form_page(
        _parse_editor,
        lambda data: services.update_listing(current_user, listing_id, data, now=now()),
        lambda errors: _editor(listing=listing, form=request.form if errors else None, errors=errors),
        saved=_("Changes saved."),
        then=lambda _saved: url_for("listings.edit", listing_id=listing_id),
    )  # fmt: skip


def _editor(**context: object) -> str:
    return render_template("listings/edit.html", **_editor_context(**context))


add_actions(
    bp,
    PostAction("/listings/<int:listing_id>/evidence", "upload_evidence", "Attach an ownership document.", listing_evidence.add_evidence, N_("Document attached."), "listings.edit", anchor="#evidence", options=lambda: {"kind": request.form.get("kind", ""), **document_upload(_evidence_folder())}),
)  # fmt: skip


@bp.post("/evidence/<int:evidence_id>/delete")
@login_required
def delete_evidence(evidence_id: int) -> Response:
    """Remove a document from a draft."""
    listing_id = listing_evidence.evidence_for_download(current_user, evidence_id).listing_id
    with unit_of_work():
        listing_evidence.remove_evidence(
            current_user, evidence_id, folder=_evidence_folder(), now=now()
        )
    flash(_("Document removed."), "info")
    return redirect(url_for("listings.edit", listing_id=listing_id) + "#evidence")


@bp.route("/evidence/<int:evidence_id>")
@login_required
def evidence_file(evidence_id: int) -> Response:
    """Serve a document to its owner or a reviewer, never as active content."""
    evidence = listing_evidence.evidence_for_download(current_user, evidence_id)
    return send_stored(_evidence_folder(), evidence)


_ACTIONS = {
    "submit": (listing_review.submit, N_("Submitted for ownership review.")),
    "publish": (listing_review.publish, N_("Published: the listing is now public and searchable.")),
    "withdraw": (listing_review.withdraw, N_("Withdrawn from the market.")),
    "reopen": (listing_review.reopen, N_("Reopened as a draft.")),
}


@bp.post("/listings/<int:listing_id>/<any(submit, publish, withdraw, reopen):action>")
@login_required
def act(listing_id: int, action: str) -> Response:
    """The owner moves the listing along its life: submit, publish, withdraw, reopen."""
    service, message = _ACTIONS[action]
    attempt(lambda: service(current_user, listing_id, now=now()), success=_(message))
    return redirect(url_for("listings.detail", listing_id=listing_id))
