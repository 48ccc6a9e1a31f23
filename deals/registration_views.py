"""Registration pages (技术合同认定登记): the form's fields, the certificate number, the batch.

Attached to the deals blueprint (imported by the shell before it is registered).
"""

from __future__ import annotations

from datetime import date

from flask import Response, request
from flask_login import current_user, login_required

from accounts.services import require_reviewer
from core.bounds import in_year_window
from core.domain import N_, ValidationFailed
from core.i18n import market_tz
from core.money import from_yuan_text
from core.uow import unit_of_work
from core.views_kit import PostAction, add_actions, download
from deals import registration_details, registration_export
from deals.registration_rules import RegistrationDetails
from deals.views import bp


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


add_actions(
    bp,
    PostAction("/deals/<int:deal_id>/registration/details", "registration_details_form", "The seller (or a reviewer) completes the registration form's fields.", registration_details.save_details, N_("The registration form is saved."), "deals.registration_record", (_details,), not_found=True),
    PostAction("/review/deals/<int:deal_id>/registration/certificate", "registration_certificate", "A reviewer records the certificate number the registration office issued.", registration_details.record_certificate, N_("The registration certificate number is recorded."), "deals.registration_record", (lambda: (request.form.get("certificate_number") or "")[:200],), not_found=True),
)  # fmt: skip


@bp.route("/review/deals/registration-batch.<any(csv, xlsx):fmt>")
@login_required
def registration_batch(fmt: str) -> Response:
    """The contracts signed in a period (?from=&to=), as the registration office imports them."""
    require_reviewer(current_user)  # before the dates: a stranger learns nothing from them
    start, end = _date("from"), _date("to")
    with unit_of_work():
        rows = registration_export.batch(current_user, start, end, tz=market_tz())
    body, mimetype = registration_export.export_file(rows, fmt)
    return download(body, mimetype, registration_export.file_name(start, end, fmt))
