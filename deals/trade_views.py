"""Technology import/export record pages (技术进出口合同登记): the printable record and its
form, a reviewer's check and certificate number, the CSV export.

Attached to the deals blueprint (imported by the shell before it is registered).
"""

from __future__ import annotations

from flask import Response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from core.clock import now
from core.domain import N_, ValidationFailed
from core.forms import attempt
from core.money import from_yuan_text
from deals import trade_records
from deals.trade_rules import MAX_TERMS, TechCategory, TradeDetails
from deals.views import bp


def _text(name: str, limit: int) -> str:
    return (request.form.get(name) or "").strip()[: limit + 1]


def _usd_by_hand() -> int | None:
    """The dollar amount typed in (used only when no reference rate covers the deal's day)."""
    typed = _text("usd_amount", 30)
    return from_yuan_text(typed, "USD", field="usd_amount").minor if typed else None


def _details() -> TradeDetails:
    raw = request.form.get("category", "")
    if raw not in TechCategory._value2member_map_:
        raise ValidationFailed(N_("Choose the technology's category."), field="category")
    return TradeDetails(
        category=TechCategory(raw),
        catalogue_ref=_text("catalogue_ref", 64),
        usd_minor=_usd_by_hand(),
        payment_terms=_text("payment_terms", MAX_TERMS),
        licence_number=_text("licence_number", 64),
    )


@bp.route("/deals/<int:deal_id>/trade-record")
@login_required
def trade_record(deal_id: int) -> str:
    """The printable import/export contract record, and its form for the party in China."""
    view = trade_records.view_for(current_user, deal_id)
    return render_template(
        "deals/trade_record.html",
        view=view,
        deal=view.deal,
        record=view.record,
        deal_day=trade_records.deal_day(view.deal),
        usd_now=trade_records.usd_preview(view.deal),
        may_complete=trade_records.may_complete(current_user, view),
        categories=list(TechCategory),
        printed_at=now(),
    )  # fmt: skip


@bp.post("/deals/<int:deal_id>/trade-record")
@login_required
def save_trade_record(deal_id: int) -> WerkzeugResponse:
    """The party in China (or a reviewer) completes the record."""
    attempt(
        lambda: trade_records.save(current_user, deal_id, _details(), now=now()),
        success=_("The import/export record is saved."),
        raise_not_found=True,
    )
    return redirect(url_for("deals.trade_record", deal_id=deal_id))


@bp.post("/review/deals/<int:deal_id>/trade-record/check")
@login_required
def check_trade_record(deal_id: int) -> WerkzeugResponse:
    """A reviewer checks the category against the catalogues (audited)."""
    attempt(
        lambda: trade_records.check(current_user, deal_id, _text("note", 2000), now=now()),
        success=_("The check is recorded."),
        raise_not_found=True,
    )
    return redirect(url_for("deals.trade_record", deal_id=deal_id))


@bp.post("/review/deals/<int:deal_id>/trade-record/certificate")
@login_required
def certify_trade_record(deal_id: int) -> WerkzeugResponse:
    """A reviewer records the registration certificate number."""
    attempt(
        lambda: trade_records.certify(
            current_user, deal_id, _text("certificate_number", 64), now=now()
        ),
        success=_("The registration certificate number is recorded."),
        raise_not_found=True,
    )
    return redirect(url_for("deals.trade_record", deal_id=deal_id))


@bp.get("/deals/<int:deal_id>/trade-record.csv")
@login_required
def trade_record_csv(deal_id: int) -> Response:
    """The record as CSV (one row under its header)."""
    view = trade_records.view_for(current_user, deal_id)
    return Response(
        trade_records.record_csv(view),
        mimetype="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{trade_records.csv_name(deal_id)}"',
            "Cache-Control": "private, no-store",
        },
    )
