"""Reviewers' page of a listing's patents: their legal status (法律状态) with date and
source, pledges and the pledgees' consents.

Attached to the listings blueprint (imported by the shell before it is registered).
"""

from __future__ import annotations

from datetime import date

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from accounts.services import require_reviewer
from core.clock import now
from core.domain import N_, ValidationFailed
from core.forms import attempt
from core.views_kit import form_id
from listings import legal_status
from listings.legal_rules import LegalStatus, Purpose
from listings.services import get_listing
from listings.views import bp


@bp.get("/review/listings/<int:listing_id>/legal-status")
@login_required
def legal_status_page(listing_id: int) -> str:
    """Each patent's status history and consents; forms to record a status or a consent."""
    require_reviewer(current_user)
    listing = get_listing(listing_id)
    patents = [
        (asset, legal_status.records_of(asset.number), legal_status.consents_of(asset.number))
        for asset in listing.ip_assets
    ]
    return render_template(
        "listings/legal_status.html", listing=listing, patents=patents,
        statuses=list(LegalStatus), purposes=list(Purpose),
    )  # fmt: skip


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise ValidationFailed(N_("Give a date, like 2027-06-30."), field="effective_on") from None
    if not 1985 <= day.year <= 2100:
        raise ValidationFailed(N_("Give a date, like 2027-06-30."), field="effective_on")
    return day


def _status(text: str) -> LegalStatus:
    if text not in LegalStatus._value2member_map_:
        raise ValidationFailed(N_("Choose from the list."), field="status")
    return LegalStatus(text)


@bp.post("/review/listings/<int:listing_id>/legal-status")
@login_required
def record_legal_status(listing_id: int) -> Response:
    """Record a patent's status as the register shows it."""
    form = request.form
    attempt(
        lambda: legal_status.record_status(
            current_user, form_id("ip_asset_id"),
            legal_status.NewStatus(
                _status(form.get("status", "")), _day(form.get("effective_on", "")),
                form.get("source", "")[:400], form.get("pledgee", "")[:400] or None,
            ),
            now=now(),
        ),
        success=_("The legal status is recorded."),
        raise_not_found=True,
    )  # fmt: skip
    return redirect(url_for("listings.legal_status_page", listing_id=listing_id))


@bp.post("/review/listings/<int:listing_id>/pledgee-consent")
@login_required
def record_pledgee_consent(listing_id: int) -> Response:
    """Record the pledgee's written consent to transfer or license the patent."""
    purpose = request.form.get("purpose", "")
    attempt(
        lambda: legal_status.record_consent(
            current_user, form_id("ip_asset_id"),
            Purpose(purpose) if purpose in Purpose._value2member_map_ else Purpose.TRANSFER,
            request.form.get("reference", "")[:400], now=now(),
        ),
        success=_("The pledgee's consent is recorded."),
        raise_not_found=True,
    )  # fmt: skip
    return redirect(url_for("listings.legal_status_page", listing_id=listing_id))
