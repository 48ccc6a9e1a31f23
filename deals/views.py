"""Deal pages: the ledger of an organisation and of the market, milestones, documents,
the registration record (技术合同认定登记), and the registration of offline deals."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from core.audit import history
from core.clock import as_utc, now
from core.domain import N_, DomainError, NotFound, ValidationFailed
from core.forms import FieldErrors, document_upload, domain_errors, parse_form
from core.i18n import market_tz
from core.money import Money
from core.storage import area_folder
from core.uow import unit_of_work
from core.view_steps import refused
from core.views_kit import PostAction, add_actions, download, enum_arg, send_stored
from deals import (
    documents,
    ledger_export,
    registration,
    registration_details,
    services,
    trade_records,
)
from deals.labels import template_globals
from deals.models import Channel, ContractType, Deal, DealStatus, SaleMethod
from deals.registration_rules import PAYMENT_METHODS, SUBTYPES
from deals.rules import MILESTONES
from deals.schemas import OfflineDealFormSchema
from listings.rules import FIELDS

bp = Blueprint("deals", __name__)

# Service fields that the offline form shows under another name.
_OFFLINE_FIELDS = {"seller_org_id": "seller_credit_code", "price_minor": "price"}


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    """The deal label tables (DEAL_STATUS, CONTRACT_TYPE, ...) in every template."""
    return template_globals()


def _documents_folder() -> Path:
    return area_folder("deals")


def next_step(deal: Deal) -> DealStatus | None:
    """The milestone that comes next, or None once the deal is completed or cancelled."""
    if deal.status in (DealStatus.COMPLETED, DealStatus.CANCELLED):
        return None
    return MILESTONES[MILESTONES.index(deal.status) + 1]


def _timeline(deal: Deal) -> list[dict[str, Any]]:
    """The milestones in order, with when each was reached."""
    steps: list[dict[str, Any]] = [
        {"status": DealStatus.SIGNED, "at": deal.signed_at},
        {"status": DealStatus.PAID, "at": deal.paid_at},
        {"status": DealStatus.RIGHTS_REGISTERED, "at": deal.rights_registered_at},
        {"status": DealStatus.COMPLETED, "at": deal.completed_at},
    ]
    upcoming = next_step(deal)
    for step in steps:
        step["done"] = step["at"] is not None
        step["current"] = step["status"] == upcoming
    return steps


def _role(deal: Deal) -> str | None:
    org = current_user.acting_org_id if current_user.is_authenticated else None
    if org is not None and org == deal.seller_org_id:
        return "seller"
    if org is not None and org == deal.buyer_org_id:
        return "buyer"
    return None


def render_detail(deal: Deal, errors: FieldErrors | None = None, status: int = 200) -> Any:
    """The deal page, with the form's errors and input when a step was refused."""
    upcoming = next_step(deal)
    return render_template(
        "deals/detail.html",
        deal=deal,
        role=_role(deal),
        timeline=_timeline(deal),
        upcoming=upcoming,
        can_advance=upcoming is not None and services.may_advance(current_user, deal, upcoming),
        record=registration.record_for(deal, tz=market_tz()),
        history=history("deal", deal.id),
        trade_direction=trade_records.direction_of(deal),
        document_kinds=documents.DOCUMENT_KINDS,
        errors=errors or {},
        form=request.form if errors else {},
    ), status


@bp.route("/my/deals")
@login_required
def mine() -> str:
    """The organisation's deals, as seller and as buyer, with their state."""
    role = request.args.get("role", "")
    deals = services.deals_of(current_user)
    org = current_user.acting_org_id
    counts = Counter("seller" if d.seller_org_id == org else "buyer" for d in deals)
    if role == "seller":
        deals = [d for d in deals if d.seller_org_id == org]
    elif role == "buyer":
        deals = [d for d in deals if d.buyer_org_id == org]
    else:
        role = ""
    return render_template("deals/mine.html", deals=deals, counts=counts, role=role, org_id=org)


@bp.route("/deals/<int:deal_id>")
@login_required
def detail(deal_id: int) -> Any:
    """A deal for its parties and the reviewers: milestones, documents, history."""
    return render_detail(services.visible_deal(current_user, deal_id))


@bp.post("/deals/<int:deal_id>/milestones")
@login_required
def advance(deal_id: int) -> Any:
    """Record the next milestone (the rights registration with the patent office's number)."""
    raw, back = request.form.get("status", ""), url_for("deals.detail", deal_id=deal_id)
    try:
        if raw not in DealStatus._value2member_map_:
            raise ValidationFailed(N_("Choose the next step of the deal."), field="status")
        with unit_of_work():
            services.advance(
                current_user,
                deal_id,
                DealStatus(raw),
                now=now(),
                reference=request.form.get("reference") or None,
            )
    except NotFound:
        raise  # strangers learn nothing, not even through a flashed message
    except DomainError as error:
        return refused(error, back, on_form=on_deal_page(deal_id))
    flash(_("Step recorded."), "success")
    return redirect(back)


def on_deal_page(
    deal_id: int, errors: Callable[[DomainError], FieldErrors] = domain_errors
) -> Callable[[DomainError], Any]:
    """A refusal shown on the deal's page again, on the form's fields (`errors`), at 422."""
    return lambda error: render_detail(
        services.visible_deal(current_user, deal_id), errors(error), 422
    )


add_actions(
    bp,
    PostAction("/deals/<int:deal_id>/documents", "upload_document", "Attach the contract or another document.", documents.attach_document, N_("Document attached."), "deals.detail", not_found=True, anchor="#documents", options=lambda: {"kind": request.form.get("kind", ""), **document_upload(_documents_folder(), packed=True)}),
)  # fmt: skip


@bp.route("/deals/documents/<int:document_id>")
@login_required
def document_file(document_id: int) -> WerkzeugResponse:
    """Serve a deal's document to its parties and reviewers, never as active content."""
    document = documents.document_for_download(current_user, document_id)
    return send_stored(_documents_folder(), document)


@bp.route("/deals/<int:deal_id>/registration")
@login_required
def registration_record(deal_id: int) -> str:
    """The printable technology-contract registration record (技术合同认定登记)."""
    deal = services.visible_deal(current_user, deal_id)
    return render_template(
        "deals/registration.html",
        deal=deal,
        record=registration.record_for(deal, tz=market_tz()),
        form=registration_details.details_of([deal.id]).get(deal.id),
        may_complete=current_user.can_review or current_user.acting_org_id == deal.seller_org_id,
        subtypes=SUBTYPES[deal.contract_type],
        payment_methods=PAYMENT_METHODS,
        fields=FIELDS,
        printed_at=now(),
    )


# --- reviewers ----------------------------------------------------------------------------


def _ledger_filters() -> dict[str, Any]:
    return {
        "channel": enum_arg(Channel, "channel"),
        "status": enum_arg(DealStatus, "status"),
        "method": enum_arg(SaleMethod, "method"),
    }


def channel_totals(deals: list[Deal]) -> dict[Channel, dict[str, Any]]:
    """Per channel: how many deals, and their value by currency; cancelled deals apart."""
    totals: dict[Channel, dict[str, Any]] = {
        channel: {"count": 0, "cancelled": 0, "sums": defaultdict(int)} for channel in Channel
    }
    for deal in deals:
        entry = totals[deal.channel]
        if deal.status == DealStatus.CANCELLED:
            entry["cancelled"] += 1
            continue
        entry["count"] += 1
        entry["sums"][deal.currency or "CNY"] += deal.price_minor
    return totals


@bp.route("/review/deals")
@login_required
def ledger() -> str:
    """Every deal of both channels, filtered, with totals per channel (reviewers)."""
    filters = _ledger_filters()
    deals = services.all_deals(current_user, **filters)
    return render_template(
        "deals/ledger.html",
        deals=deals,
        totals=channel_totals(deals),
        filters=filters,
        active={name: value.value for name, value in filters.items() if value is not None},
    )


@bp.route("/review/deals/registrations.csv")
@login_required
def registrations_csv() -> WerkzeugResponse:
    """The registration records of the deals on the ledger (same filters), one row each."""
    body, name = ledger_export.registrations_file(
        current_user, _ledger_filters(), tz=market_tz(), now=now(), translate=_
    )
    return download(body, ledger_export.CSV_TYPE, name)


def _parse_offline_form() -> tuple[documents.OfflineEntry | None, FieldErrors]:
    """The form as an OfflineEntry, or every field error at once (price included)."""
    data, errors = parse_form(OfflineDealFormSchema())
    price: Money | None = None
    try:
        price = Money.from_yuan_text(request.form.get("price", ""), field="price")
    except DomainError as error:
        errors = {**errors, **domain_errors(error)}
    if data is None or price is None:
        return None, errors
    data.pop("price", None)
    return documents.OfflineEntry(price_minor=price.minor, **data), {}


@bp.route("/review/deals/offline", methods=["GET", "POST"])
@login_required
def register_offline() -> Any:
    """A reviewer or an accredited broker registers a deal closed at the physical market,
    with its signed contract."""
    services.require_offline_registrar(current_user, now=now())
    errors: FieldErrors = {}
    if request.method == "POST":
        entry, errors = _parse_offline_form()
        upload = request.files.get("contract")
        if upload is None or not upload.filename:
            errors["contract"] = [_("Attach the signed contract (PDF or a scan).")]
        if entry is not None and not errors:
            assert upload is not None
            try:
                with unit_of_work():
                    deal = documents.register_offline_deal_with_contract(
                        current_user,
                        entry,
                        documents.Upload(upload.stream, upload.filename or ""),
                        folder=_documents_folder(),
                        max_bytes=current_app.config["MAX_EVIDENCE_BYTES"],
                        now=now(),
                    )
            except DomainError as error:
                field = error.field or "_form"
                field = "contract" if field == "file" else _OFFLINE_FIELDS.get(field, field)
                errors = {field: [error.text(_)]}
            else:
                flash(_("Offline deal registered with its contract."), "success")
                if not current_user.can_review:  # a broker: not a party, so no deal page
                    return redirect(url_for("deals.register_offline"))
                return redirect(url_for("deals.detail", deal_id=deal.id))
        if errors and "contract" not in errors and upload is not None and upload.filename:
            errors["_contract_again"] = [_("Choose the contract file again.")]
    today = as_utc(now()).astimezone(market_tz()).date()
    return render_template(
        "deals/offline.html",
        form=request.form if request.method == "POST" else {},
        errors=errors,
        methods=list(SaleMethod),
        contract_types=list(ContractType),
        today=today.isoformat(),
    ), (422 if errors else 200)
