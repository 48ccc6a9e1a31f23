"""Technology import/export record pages (技术进出口合同登记): the printable record and its
form, a reviewer's check and certificate number, the CSV export.

Attached to the deals blueprint (imported by the shell before it is registered).
"""

from __future__ import annotations

from functools import partial

from flask import Response, render_template, request
from flask_login import current_user, login_required

from core.clock import now
from core.domain import N_, ValidationFailed
from core.money import from_yuan_text
from core.views_kit import PostAction, add_actions, download
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


add_actions(
    bp,
    PostAction("/deals/<int:deal_id>/trade-record", "save_trade_record", "The party in China (or a reviewer) completes the record.", trade_records.save, N_("The import/export record is saved."), "deals.trade_record", (_details,), not_found=True),
    PostAction("/review/deals/<int:deal_id>/trade-record/check", "check_trade_record", "A reviewer checks the category against the catalogues (audited).", trade_records.check, N_("The check is recorded."), "deals.trade_record", (partial(_text, "note", 2000),), not_found=True),
    PostAction("/review/deals/<int:deal_id>/trade-record/certificate", "certify_trade_record", "A reviewer records the registration certificate number.", trade_records.certify, N_("The registration certificate number is recorded."), "deals.trade_record", (partial(_text, "certificate_number", 64),), not_found=True),
)  # fmt: skip


@bp.get("/deals/<int:deal_id>/trade-record.csv")
@login_required
def trade_record_csv(deal_id: int) -> Response:
    """The record as CSV (one row under its header)."""
    view = trade_records.view_for(current_user, deal_id)
    return download(
        trade_records.record_csv(view), "text/csv; charset=utf-8", trade_records.csv_name(deal_id)
    )
