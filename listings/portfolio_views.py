"""Portfolio import pages: upload a patent list, watch its job, read the bad rows, get the template.

Attached to the listings blueprint (imported by the shell before it is registered).
"""

from __future__ import annotations

from flask import jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from core.clock import now
from core.domain import ValidationFailed
from core.forms import uploaded_file
from core.uow import unit_of_work
from core.views_kit import download
from listings import portfolio
from listings.need_rules import market_today
from listings.portfolio_files import template_file
from listings.portfolio_rules import COLUMN_BY_KEY, COLUMNS, MAX_FILE_BYTES, MAX_ROWS
from listings.views import bp


@bp.route("/my/listings/import", methods=["GET", "POST"])
@login_required
def portfolio_import() -> str | Response | tuple[str, int]:
    """Upload a CSV or XLSX of patents; the valid rows become drafts in one job."""
    error = None
    if request.method == "POST":
        try:
            upload = uploaded_file("file")
            data = upload.stream.read(MAX_FILE_BYTES + 1)
            moment = now()
            with unit_of_work():
                item = portfolio.start_import(
                    current_user, upload.filename, data, now=moment, today=market_today(moment)
                )
            return redirect(url_for("listings.portfolio_import_status", import_id=item.id))
        except ValidationFailed as refusal:  # who may import is the service's 403
            error = refusal.text(_)
    with unit_of_work():
        imports = portfolio.imports_of(current_user)
    page = render_template(
        "listings/import.html",
        error=error,
        imports=[(item, portfolio.progress(item)) for item in imports],
        columns=COLUMNS,
        max_rows=MAX_ROWS,
        max_mb=MAX_FILE_BYTES // (1024 * 1024),
    )
    return (page, 422) if error else page


@bp.route("/my/listings/import/<int:import_id>")
@login_required
def portfolio_import_status(import_id: int) -> str:
    """One import: its progress bar, the bad rows by number, the rows skipped."""
    with unit_of_work():
        item = portfolio.import_for(current_user, import_id)
        state = portfolio.progress(item)
    errors = sorted(item.errors or [], key=lambda e: (e["row"], e["column"] or ""))
    return render_template(
        "listings/import_status.html",
        item=item,
        state=state,
        errors=[
            (
                e["row"],
                COLUMN_BY_KEY[e["column"]].heading if e["column"] in COLUMN_BY_KEY else "",
                _(e["message"]) % e["params"] if e["params"] else _(e["message"]),
            )
            for e in errors
        ],
        skipped=item.skipped or [],
    )


@bp.route("/my/listings/import/<int:import_id>/status")
@login_required
def portfolio_import_progress(import_id: int) -> Response:
    """The progress as JSON, which the page polls while the job runs."""
    with unit_of_work():
        state = portfolio.progress(portfolio.import_for(current_user, import_id))
    response = jsonify(state.to_json())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/my/listings/import/template.<any(csv, xlsx):fmt>")
@login_required
def portfolio_template(fmt: str) -> Response:
    """The template to fill in: bilingual headings and one example row."""
    return download(*template_file(fmt), private=False)
