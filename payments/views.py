"""Payment pages: pay a deposit, pay the price, the deal's money flow, payouts, reviewers' queue.

Card entry happens on Stripe's hosted Checkout page only; these pages never ask for a
card number. The Stripe webhook endpoint is here too (CSRF-exempt, verified by signature).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from core.clock import now
from core.domain import N_, DomainError, NotFound, ValidationFailed
from core.extensions import csrf
from core.files import send_receipt
from core.forms import FieldErrors, attempt, document_upload, domain_errors
from core.money import from_yuan_text
from core.uow import unit_of_work
from core.view_steps import refused
from core.views_kit import PostAction, add_actions, posted
from payments import card, deposits, diagram, ledger, offline, queries, stripe_channel, webhooks
from payments import payouts as payout_services  # `payouts` is a view here
from payments.labels import deposit_status_label
from payments.models import Payment

bp = Blueprint("payments", __name__, url_prefix="/payments")


def _upload_root() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


bp.add_app_template_global(deposit_status_label)


@bp.app_context_processor
def _stripe_flag() -> dict[str, Any]:
    """Whether card payments are on (pages offer the card button only then), and whether
    they are briefly off because Stripe failed just now (pages offer bank transfer)."""
    enabled = stripe_channel.enabled()
    return {"stripe_enabled": enabled, "stripe_paused": enabled and stripe_channel.paused()}


@bp.route("/")
@login_required
def index() -> str:
    """The organisation's money: deals it pays or is paid on, and its deposits."""
    return render_template(
        "payments/index.html",
        deals=queries.deals_with_money(current_user),
        deposits=queries.my_deposits(current_user),
    )


# --- a deal's money flow and paying the price ---------------------------------------------------


def _diagram_labels() -> dict[str, str]:
    return {
        "buyer": _("Buyer"),
        "platform": _("Platform"),
        "seller": _("Seller"),
        "broker": _("Broker"),
        "paid": _("paid"),
        "owed": _("owed"),
        "fee": _("fee"),
    }


def _render_flow(deal_id: int, errors: FieldErrors | None = None, status: int = 200) -> Any:
    flow = queries.money_flow(current_user, deal_id)
    org = current_user.acting_org_id
    return render_template(
        "payments/deal.html",
        flow=flow,
        svg=diagram.money_flow_svg(flow, labels=_diagram_labels()),
        is_buyer=org is not None and org == flow.deal.buyer_org_id,
        errors=errors or {},
        form=request.form if errors else {},
    ), status


@bp.route("/deals/<int:deal_id>")
@login_required
def deal(deal_id: int) -> Any:
    """The deal's money flow: what each party paid and received, the postings, what is due."""
    return _render_flow(deal_id)


def _to_checkout(start: Callable[[], Payment], page: str, **values: Any) -> WerkzeugResponse:
    """Stripe's Checkout page for the card payment `start` creates, coming back to `page`.

    A refusal is flashed on `page`; a stranger learns nothing (404).
    """
    try:
        # Two units of work: the pending payment is kept even when Stripe cannot be reached.
        with unit_of_work():
            payment = start()
        with unit_of_work():
            payment = card.open_checkout(
                current_user,
                payment.id,
                success_url=url_for(page, **values, paid="card", _external=True),
                cancel_url=url_for(page, **values, _external=True),
            )
    except NotFound:
        raise
    except DomainError as error:
        return refused(error, url_for(page, **values))
    return redirect(payment.checkout_url or url_for(page, **values), code=303)


def _send_receipt(
    submit: Callable[[], object], page_again: Callable[[FieldErrors, int], Any], back: str
) -> Any:
    """Send a bank-transfer receipt for a reviewer to confirm, then go `back`; a refusal
    shows the page again with it, and a stranger learns nothing (404)."""
    try:
        with unit_of_work():
            submit()
    except NotFound:
        raise
    except DomainError as error:
        return page_again(domain_errors(error), 422)
    flash(_("Receipt sent. A reviewer will confirm the transfer."), "success")
    return redirect(back)


@bp.post("/deals/<int:deal_id>/card")
@login_required
def pay_by_card(deal_id: int) -> WerkzeugResponse:
    """The buyer goes to Stripe's Checkout page to pay what is due."""
    return _to_checkout(
        lambda: card.start_card_payment(current_user, deal_id, now=now()),
        "payments.deal",
        deal_id=deal_id,
    )


def _amount(raw: str, field: str = "amount") -> int:
    if not (raw or "").strip():
        raise ValidationFailed(N_("Give the amount you transferred."), field=field)
    return from_yuan_text(raw, field=field).minor


@bp.post("/deals/<int:deal_id>/bank")
@login_required
def pay_by_bank(deal_id: int) -> Any:
    """The buyer uploads the receipt of its bank transfer; a reviewer will confirm it."""

    def submit() -> None:
        amount = _amount(request.form.get("amount", ""))
        folder = offline.receipt_folder(_upload_root())
        offline.submit_receipt(
            current_user, deal_id, amount_minor=amount, now=now(),
            bank_reference=request.form.get("bank_reference", ""),
            **document_upload(folder, "receipt"),
        )  # fmt: skip

    return _send_receipt(
        submit,
        lambda errors, status: _render_flow(deal_id, errors, status),
        url_for("payments.deal", deal_id=deal_id),
    )


@bp.post("/deals/<int:deal_id>/payouts")
@login_required
def release_payouts(deal_id: int) -> WerkzeugResponse:
    """A reviewer pays the seller and the brokers what the ledger owes them."""
    made = attempt(
        lambda: payout_services.release_payouts(current_user, deal_id, now=now()),
        raise_not_found=True,
    )
    if made is not None:
        flash(_("%(count)d payout(s) released.", count=len(made)), "success")
    return redirect(url_for("payments.deal", deal_id=deal_id))


@bp.route("/receipts/<int:payment_id>")
@login_required
def receipt_file(payment_id: int) -> WerkzeugResponse:
    """A payment's bank receipt, for the payer and the reviewers."""
    payment = offline.receipt_for_download(current_user, payment_id)
    assert payment.receipt_stored_name is not None
    folder = offline.receipt_folder(_upload_root())
    return send_receipt(folder, payment.receipt_stored_name, payment.receipt_name)


# --- deposits -----------------------------------------------------------------------------------


def _render_deposit(deposit_id: int, errors: FieldErrors | None = None, status: int = 200) -> Any:
    deposit = queries.own_deposit(current_user, deposit_id)
    return render_template(
        "payments/deposit.html",
        deposit=deposit,
        ends_at=queries.period_end_of(deposit),
        postings=ledger.deposit_transactions(deposit.id),
        rejection=deposits.last_rejection_reason(deposit),
        errors=errors or {},
        form=request.form if errors else {},
    ), status


@bp.route("/deposits/<int:deposit_id>")
@login_required
def deposit(deposit_id: int) -> Any:
    """Pay a deposit: by bank transfer (always) or by card (when Stripe is on)."""
    return _render_deposit(deposit_id)


@bp.post("/deposits/<int:deposit_id>/card")
@login_required
def deposit_by_card(deposit_id: int) -> WerkzeugResponse:
    """Go to Stripe's Checkout page to pay (or have held) the deposit."""
    return _to_checkout(
        lambda: card.start_card_deposit(current_user, deposit_id, now=now()),
        "payments.deposit",
        deposit_id=deposit_id,
    )


@bp.post("/deposits/<int:deposit_id>/bank")
@login_required
def deposit_by_bank(deposit_id: int) -> Any:
    """Upload the receipt of the deposit's bank transfer."""
    queries.own_deposit(current_user, deposit_id)

    def submit() -> None:
        folder = deposits.receipt_folder(_upload_root())
        deposits.submit_receipt(
            current_user, deposit_id, bank_reference=request.form.get("bank_reference", ""),
            now=now(), **document_upload(folder, "receipt"),
        )  # fmt: skip

    return _send_receipt(
        submit,
        lambda errors, status: _render_deposit(deposit_id, errors, status),
        url_for("payments.deposit", deposit_id=deposit_id),
    )


# --- payouts and onboarding ---------------------------------------------------------------------


@bp.route("/payouts")
@login_required
def payouts() -> str:
    """Payouts to the organisation, and the state of its Stripe connected account."""
    return render_template(
        "payments/payouts.html",
        payouts=queries.payouts_of(current_user),
        account=queries.connected_account_of(current_user.acting_org_id),
    )


@bp.post("/payouts/onboarding")
@login_required
def onboarding() -> WerkzeugResponse:
    """Open Stripe's onboarding for the organisation's connected account."""
    moment = now()
    try:
        # Two steps: the connected account Stripe made is kept even when the link fails.
        with unit_of_work():
            account = payout_services.open_connected_account(current_user, now=moment)
        link = payout_services.onboarding_link(
            account,
            now=moment,
            refresh_url=url_for("payments.payouts", _external=True),
            return_url=url_for("payments.payouts", onboarded=1, _external=True),
        )
    except DomainError as error:
        return refused(error, url_for("payments.payouts"))
    return redirect(link, code=303)


# --- reviewers ----------------------------------------------------------------------------------


@bp.route("/review")
@login_required
def review() -> str:
    """Reviewers' queue: bank receipts of price payments to confirm, bank payouts to make."""
    try:
        queue = offline.queue(current_user)
        to_pay = offline.payouts_to_make(current_user)
    except DomainError:
        abort(403)
    return render_template("payments/review.html", queue=queue, to_pay=to_pay)


add_actions(
    bp,
    PostAction("/review/<int:payment_id>/confirm", "confirm", "The transfer is on the bank statement: the payment is received.", offline.confirm, N_("Payment confirmed."), "payments.review"),
    PostAction("/review/<int:payment_id>/reject", "reject", "The transfer is not on the statement: the buyer is told why.", offline.reject, N_("Receipt rejected."), "payments.review", (posted("reason"),), category="info"),
    PostAction("/review/payouts/<int:payout_id>/paid", "payout_paid", "The reviewer made the bank transfer of a payout.", offline.record_bank_payout, N_("Payout recorded."), "payments.review", (posted("bank_reference"),)),
)  # fmt: skip


# --- Stripe webhooks ----------------------------------------------------------------------------


@bp.post("/stripe/webhook")
@csrf.exempt  # Stripe signs the body instead; see webhooks.verify
def stripe_webhook() -> tuple[dict[str, str], int]:
    """Stripe's events: verified on the raw body, checked, applied once, unknown ones acknowledged."""
    if not stripe_channel.enabled():
        return {"error": "stripe is off"}, 404
    try:
        with unit_of_work():  # a refused event's record is kept: it says why
            outcome = webhooks.receive(
                request.get_data(cache=False),
                request.headers.get("Stripe-Signature"),
                now=now(),
            )
    except webhooks.BadSignature:
        return {"error": "bad signature"}, 400
    if outcome.refused_code:
        return {"error": "refused", "code": outcome.refused_code, "outcome": outcome.text}, 400
    return {"outcome": outcome.text}, 200
