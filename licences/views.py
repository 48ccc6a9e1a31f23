"""Open-licence pages: the catalogue, a declaration and its licences, declaring, taking a
licence by notice, the licence's record, and the reviewers' queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from core.clock import now
from core.domain import N_, DomainError
from core.forms import FieldErrors, attempt, domain_errors, parse_form
from core.money import from_yuan_text
from core.service_kit import Upload
from core.views_kit import PostAction, add_actions, form_page, history_for, posted, send_stored
from licences import card as licence_card
from licences import declarations, grants, rules
from licences.models import OpenLicence, OpenLicenceDeclaration
from licences.schemas import DeclarationFormSchema, declaration_input
from listings.rules import FIELDS
from payments import card, stripe_channel

bp = Blueprint("open_licences", __name__)

Page = tuple[str, int]


def _folder() -> Path:
    return declarations.report_folder(current_app.config["UPLOAD_FOLDER"])


@bp.get("/open-licences")
def catalogue() -> str:
    """The open licences published (and withdrawn), searchable by words and field."""
    text = request.args.get("q", "")[:200]
    field = request.args.get("field", "")
    field = field if field in FIELDS else ""
    return render_template(
        "licences/catalogue.html",
        declarations=declarations.catalogue(text, field),
        q=text, field=field, fields=FIELDS,
        reduction=rules.ANNUAL_FEE_REDUCTION_PERCENT,
    )  # fmt: skip


@bp.get("/open-licences/<int:declaration_id>")
def declaration(declaration_id: int) -> str:
    """A declaration's terms and the licences granted; the notice form for verified members."""
    found = declarations.visible_declaration(current_user, declaration_id)
    patentee = current_user.is_authenticated and current_user.acting_org_id == found.org_id
    return render_template(
        "licences/declaration.html",
        declaration=found, patentee=patentee,
        due=rules.due_on_notice(found.terms),
        reduction=rules.ANNUAL_FEE_REDUCTION_PERCENT,
        history=history_for(patentee, "open_licence", found.id),
    )  # fmt: skip


@bp.route("/open-licences/declare", methods=["GET", "POST"])
@login_required
def declare() -> Page | Response:
    """The patentee declares an open licence of a patent of its published listings."""
    return form_page(
        lambda: parse_form(DeclarationFormSchema()),
        _declare,
        lambda errors: render_template(
            "licences/declare.html",
            assets=declarations.declarable_assets(current_user),
            mine=declarations.declarations_of(current_user) if current_user.acting_org_id else [],
            licences=grants.licences_of(current_user) if current_user.acting_org_id else [],
            errors=errors, form=request.form if errors else {},
            fee_kinds=list(rules.FeeKind), methods=list(rules.PaymentMethod),
        ),
        saved=_("Your declaration is submitted: a reviewer checks it before it is published."),
        then=lambda found: url_for("open_licences.declaration", declaration_id=found.id),
        refusal_errors=_form_errors,
    )  # fmt: skip


# The use case names its fields as the rules do; the form as people type them.
_FORM_FIELDS = {"lump_sum": "lump_sum_yuan", "entry_fee": "entry_fee_yuan", "royalty": "royalty_percent", "file": "report", "patent": "ip_asset_id"}  # fmt: skip


def _form_errors(error: DomainError) -> FieldErrors:
    return {_FORM_FIELDS.get(k, k): v for k, v in domain_errors(error).items()}


def _declare(data: dict[str, Any]) -> OpenLicenceDeclaration:
    file = request.files.get("report")
    report = Upload(file.stream, file.filename) if file is not None and file.filename else None
    storage = declarations.Storage(_folder(), current_app.config["MAX_EVIDENCE_BYTES"])
    return declarations.declare(
        current_user, declaration_input(data, report), storage=storage, now=now()
    )


add_actions(
    bp,
    PostAction("/open-licences/<int:declaration_id>/withdraw", "withdraw", "The patentee withdraws its open licence (published; licences granted stay).", declarations.withdraw, N_("The open licence is withdrawn."), "open_licences.declaration"),
)  # fmt: skip


@bp.post("/open-licences/<int:declaration_id>/notice")
@login_required
def notice(declaration_id: int) -> Response:
    """A verified organisation gives written notice that it takes the licence on its terms."""
    licence = attempt(
        lambda: grants.give_notice(
            current_user, declaration_id, request.form.get("notice", "")[:4000], now=now()
        )
    )
    if licence is None:
        return redirect(url_for("open_licences.declaration", declaration_id=declaration_id))
    flash(_("Your notice is given to the patentee."), "success")
    return redirect(url_for("open_licences.licence", licence_id=licence.id))


@bp.get("/open-licences/licences/<int:licence_id>")
@login_required
def licence(licence_id: int) -> str:
    """A licence's record: number, parties, terms, dates; how to pay while it waits."""
    found: OpenLicence = grants.visible_licence(current_user, licence_id)
    return render_template(
        "licences/licence.html",
        licence=found, declaration=found.declaration,
        reference=grants.transfer_reference(found.id),
        card_on=stripe_channel.enabled() and current_user.acting_org_id == found.licensee_org_id,
        history=history_for(True, "open_licence_grant", found.id),
    )  # fmt: skip


@bp.post("/open-licences/licences/<int:licence_id>/card")
@login_required
def pay_by_card(licence_id: int) -> Response:
    """The licensee pays the fee by card: Stripe's Checkout page, back to the licence."""
    back = url_for("open_licences.licence", licence_id=licence_id, _external=True)
    started = attempt(
        lambda: licence_card.start_card_payment(current_user, licence_id, now=now()),
        raise_not_found=True,
    )
    if started is None:
        return redirect(back)
    opened = attempt(lambda: card.open_checkout(current_user, started.id, success_url=back, cancel_url=back))  # fmt: skip
    return redirect(opened.checkout_url if opened is not None and opened.checkout_url else back)


@bp.get("/open-licences/reports/<int:report_id>")
def report(report_id: int) -> Response:
    """The patent evaluation report (专利权评价报告) behind a published declaration."""
    return send_stored(_folder(), declarations.report_for_download(current_user, report_id))


@bp.get("/review/open-licences")
@login_required
def queue() -> str:
    """Declarations to check and licence fees to find on the bank statement."""
    return render_template(
        "licences/review.html",
        declarations=declarations.review_queue(current_user),
        licences=grants.awaiting_payment(current_user),
        reference=grants.transfer_reference,
    )


add_actions(
    bp,
    PostAction("/review/open-licences/<int:declaration_id>/approve", "approve", "Publish the declaration in the catalogue.", declarations.approve, N_("The open licence is published."), "open_licences.queue", not_found=True),
    PostAction("/review/open-licences/<int:declaration_id>/refuse", "refuse", "Refuse the declaration with a reason.", declarations.refuse, N_("The declaration is refused."), "open_licences.queue", (posted("reason", 2000),), not_found=True),
    PostAction("/review/open-licences/licences/<int:licence_id>/payment", "payment", "Record the licensee's bank transfer: the licence is granted.", grants.record_payment, N_("The payment is recorded and the licence granted."), "open_licences.queue", (lambda: _yuan_minor(request.form.get("amount_yuan", "")), posted("bank_reference", 100)), not_found=True),
)  # fmt: skip


def _yuan_minor(text: str) -> int:
    """The amount typed in yuan, in 分; -1 (never the fee, so refused) when unreadable."""
    try:
        return from_yuan_text(text.strip()[:32], field="amount").minor
    except DomainError:
        return -1
