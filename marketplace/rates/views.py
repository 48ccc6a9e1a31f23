"""The reference rates: the public table (`/rates`) and the administrators' page to set
a rate or import a file of them (`/review/rates`)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import fields, validate
from werkzeug.wrappers import Response

from core import rates
from core.clock import now
from core.currencies import EXPONENTS
from core.domain import N_, ValidationFailed
from core.forms import domain_errors, parse_form
from core.i18n import market_tz
from core.schema_kit import InputSchema
from core.uow import unit_of_work
from core.views_kit import back_to_referrer, save_form
from marketplace.rates import services

bp = Blueprint("rates", __name__)


class RateForm(InputSchema):
    """One rate as an administrator types it."""

    currency = fields.String(required=True, validate=validate.OneOf(services.CURRENCIES))
    yuan = fields.String(required=True, validate=validate.Length(1, 24))
    on = fields.Date(required=True)


def market_today() -> date:
    """Today on the market's calendar."""
    return now().astimezone(market_tz()).date()


@bp.get("/rates")
def public() -> str:
    """The reference rates in force today, each with the day it was set for."""
    return render_template(
        "rates/public.html", rates=rates.latest(market_today()), currencies=tuple(EXPONENTS)
    )


@bp.get("/currency/<code>")
def choose_currency(code: str) -> Response:
    """Remember the currency the reader sees converted figures in, and go back."""
    if code in EXPONENTS:
        session["currency"] = code
    return back_to_referrer(url_for("rates.public"))


def _admin_page(errors: dict[str, list[str]] | None = None, status: int = 200) -> tuple[str, int]:
    services.require_admin(current_user)
    today = market_today()
    history = {c: rates.history(c, limit=10) for c in services.CURRENCIES}
    return render_template(
        "rates/admin.html",
        rates=rates.latest(today),
        history=history,
        currencies=services.CURRENCIES,
        today=today,
        form=request.form,
        errors=errors or {},
    ), status


@bp.get("/review/rates")
@login_required
def admin() -> tuple[str, int]:
    """Administrators: the rates in force, their recent history, and the forms to change them."""
    return _admin_page()


@bp.post("/review/rates")
@login_required
def set_rate() -> Response | tuple[str, int]:
    """Set one currency's rate of a day."""
    services.require_admin(current_user)
    parsed = parse_form(RateForm())

    def save(data: dict) -> object:
        return services.set_rate(
            current_user, data["currency"], data["yuan"], data["on"], now=now()
        )

    rate, errors = save_form(parsed, save)
    if rate is None:
        return _admin_page(errors, 422)
    flash(_("The rate is saved."), "success")
    return redirect(url_for("rates.admin"))


@bp.post("/review/rates/import")
@login_required
def import_file() -> Response | tuple[str, int]:
    """Import a CSV file of rates (date,currency,yuan), whole or not at all."""
    services.require_admin(current_user)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        missing = ValidationFailed(N_("Choose a CSV file of rates."), field="file")
        return _admin_page(domain_errors(missing), 422)
    content = upload.stream.read(services.MAX_IMPORT_BYTES + 1)
    try:
        with unit_of_work():
            imported = services.import_rates(current_user, content, now=now())
    except ValidationFailed as refused:
        return _admin_page(domain_errors(refused), 422)
    flash(_("%(count)s rates imported.", count=imported.count), "success")
    return redirect(url_for("rates.admin"))
