"""Registration pages (技术合同认定登记): the form's fields, the certificate number, the batch.

Attached to the deals blueprint (imported by the shell before it is registered).
"""

from __future__ import annotations

from datetime import date

from flask import Response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from accounts.services import require_reviewer
from core.bounds import in_year_window
from core.clock import now
from core.domain import N_, ValidationFailed
from core.forms import attempt
from core.money import from_yuan_text
from core.uow import unit_of_work
from deals import registration_details, registration_export
from deals.registration_rules import RegistrationDetails
from deals.views import _market_tz, bp


def _date(name: str) -> date:
    text = (request.values.get(name) or "").strip()[:10]
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(N_("Give the date as 2026-03-01."), field=name) from None
    if not in_year_window(value):
        raise ValidationFailed(N_("Give the date as 2026-03-01."), field=name)
    return value


def _text(name: str, limit: int = 300) -> str:
    return (request.form.get(name) or "").strip()[: limit + 1]


def _details() -> RegistrationDetails:
    return RegistrationDetails(
        contract_number=_text("contract_number", 64),
        project_name=_text("project_name"),
        contract_subtype=_text("contract_subtype", 32),
        technology_field=_text("technology_field", 32),
        seller_region_code=_text("seller_region_code", 6),
        buyer_region_code=_text("buyer_region_code", 6),
        term_start=_date("term_start"),
        term_end=_date("term_end"),
        transaction_amount_minor=from_yuan_text(
            _text("transaction_amount", 30), field="transaction_amount"
        ).minor,
        payment_method=_text("payment_method", 32),
    )


@bp.route("/deals/<int:deal_id>/registration/details", methods=["POST"])
@login_required
def registration_details_form(deal_id: int) -> WerkzeugResponse:
    """The seller (or a reviewer) completes the registration form's fields."""
    attempt(
        lambda: registration_details.save_details(current_user, deal_id, _details(), now=now()),
        success=_("The registration form is saved."),
        raise_not_found=True,
    )
    return redirect(url_for("deals.registration_record", deal_id=deal_id))


@bp.route("/review/deals/<int:deal_id>/registration/certificate", methods=["POST"])
@login_required
def registration_certificate(deal_id: int) -> WerkzeugResponse:
    """A reviewer records the certificate number the registration office issued."""
    number = (request.form.get("certificate_number") or "")[:200]
    attempt(
        lambda: registration_details.record_certificate(current_user, deal_id, number, now=now()),
        success=_("The registration certificate number is recorded."),
        raise_not_found=True,
    )
    return redirect(url_for("deals.registration_record", deal_id=deal_id))


@bp.route("/review/deals/registration-batch.<any(csv, xlsx):fmt>")
@login_required
def registration_batch(fmt: str) -> Response:
    """The contracts signed in a period (?from=&to=), as the registration office imports them."""
    require_reviewer(current_user)  # before the dates: a stranger learns nothing from them
    start, end = _date("from"), _date("to")
    with unit_of_work():
        rows = registration_export.batch(current_user, start, end, tz=_market_tz())
    body, mimetype = registration_export.export_file(rows, fmt)
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{registration_export.file_name(start, end, fmt)}"',
            "Cache-Control": "private, no-store",
        },
    )
