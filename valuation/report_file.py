"""A valuation's report as a PDF file (the page's and the API's), and its adjustments in words."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_babel import gettext as _

from core.i18n import current_locale
from valuation.models import Valuation
from valuation.rules import bps_text


def pdf_response(valuation: Valuation) -> Response:
    """The report of a valuation the caller may read, in the reader's language, never sniffed."""
    from valuation import pdf  # reportlab: loaded by the first report, not by every start

    body = pdf.render(valuation, locale=current_locale(), explain=explain)
    response = Response(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="valuation-{valuation.id}.pdf"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _signed_percent(bps: int) -> str:
    return ("+" if bps > 0 else "") + bps_text(bps) + "%"


def explain(adjustment: dict[str, Any]) -> str:
    """One adjustment of a comparable in words, e.g. 'Maturity TRL 5 vs 4: +10%'."""
    change = _signed_percent(adjustment["bps"])
    kind = adjustment["kind"]
    if kind == "maturity":
        return _(
            "Maturity TRL %(subject)s vs %(comparable)s: %(change)s",
            subject=adjustment["subject_value"],
            comparable=adjustment["comparable_value"],
            change=change,
        )
    if kind == "age" and adjustment["comparable_value"] == 0:
        return _("Deal less than a year ago: %(change)s", change=change)
    if kind == "age":
        return _(
            "Deal %(years)s full years ago (prices +3%% a year): %(change)s",
            years=adjustment["comparable_value"],
            change=change,
        )
    return _(
        "Portfolio of %(subject)s vs %(comparable)s IP assets: %(change)s",
        subject=adjustment["subject_value"],
        comparable=adjustment["comparable_value"],
        change=change,
    )
