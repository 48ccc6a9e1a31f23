"""Ending a deal early on its page: propose, ask for a ruling, answer; each step confirmed first.

Attached to the `deals` blueprint of `deals.views` (the shell imports this module before
it registers the blueprint). A step posted without `confirmed=1` changes nothing: the
service checks it, and the page shows what will happen (deposits, the listing) with a
button that posts it again, confirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_login import current_user, login_required

from core.clock import as_utc, now
from core.domain import N_, DomainError, NotFound, ValidationFailed
from core.forms import FieldErrors
from core.uow import unit_of_work
from core.view_steps import refused
from core.workdays import market_calendar
from deals import cancellation, services
from deals.cancellation_rules import (
    Answer,
    CancellationKind,
    CancellationStatus,
    Grounds,
    Side,
    signing_deadline,
)
from deals.models import Deal, DealStatus
from deals.views import bp, on_deal_page

GROUNDS = {
    Grounds.DEFAULT: lazy_gettext("Default: the other party does not sign or does not pay"),
    Grounds.BREACH: lazy_gettext("Breach of a term of the contract"),
    Grounds.OBJECTION_UPHELD: lazy_gettext("An objection to the sale was upheld"),
}
KINDS = {
    CancellationKind.AGREEMENT: lazy_gettext("Cancellation by agreement"),
    CancellationKind.RULING: lazy_gettext("Request for a reviewer's ruling"),
    CancellationKind.RULES: lazy_gettext("Cancelled by the rules"),
}
STATUSES = {
    CancellationStatus.PENDING: lazy_gettext("Pending"),
    CancellationStatus.AGREED: lazy_gettext("Agreed: deal cancelled"),
    CancellationStatus.DECLINED: lazy_gettext("Declined"),
    CancellationStatus.WITHDRAWN: lazy_gettext("Withdrawn"),
    CancellationStatus.UPHELD: lazy_gettext("Upheld: deal cancelled"),
    CancellationStatus.DISMISSED: lazy_gettext("Dismissed"),
    CancellationStatus.APPLIED: lazy_gettext("Deal cancelled"),
}
SIDES = {Side.SELLER: lazy_gettext("the seller"), Side.BUYER: lazy_gettext("the buyer")}
FORFEIT_MEANS = lazy_gettext(
    "Forfeiting a deposit means it is not refunded: it goes to the seller as compensation, "
    "less the market's fee."
)


def signing_deadline_of(deal: Deal) -> datetime | None:
    """When the winner of an online sale must have signed, while the deal awaits signature."""
    if deal.status != DealStatus.AWAITING_SIGNATURE or deal.source_type is None:
        return None
    config = current_app.config
    days = int(config.get("SIGNING_WORKING_DAYS", 5))
    return signing_deadline(as_utc(deal.created_at), market_calendar(config), days)


def panel(deal: Deal) -> dict[str, Any]:
    """What the deal page's cancellation card shows to the one reading it."""
    side = cancellation.side_of_actor(current_user, deal)
    pending = cancellation.pending_of(deal.id)
    mine = pending is not None and side is not None and side == pending.requested_by_side
    return {
        "side": side,
        "pending": pending,
        "history": cancellation.history_of(deal.id),
        "open": deal.status not in (DealStatus.COMPLETED, DealStatus.CANCELLED),
        "deadline": signing_deadline_of(deal),
        "can_answer": pending is not None
        and pending.kind == CancellationKind.AGREEMENT
        and side is not None
        and not mine,
        "can_withdraw": mine,
    }


def cancel_reason_text(deal: Deal) -> str:
    """Why the deal was cancelled, in the reader's language when the rules cancelled it."""
    if deal.cancel_reason == cancellation.LAPSED_REASON:
        return _(cancellation.LAPSED_REASON)
    return deal.cancel_reason or ""


@bp.app_context_processor
def _cancellation_helpers() -> dict[str, Any]:
    return {
        "cancellation_panel": panel,
        "cancel_reason_text": cancel_reason_text,
        "CANCEL_GROUNDS": GROUNDS,
        "CANCEL_KINDS": KINDS,
        "CANCEL_STATUSES": STATUSES,
        "CANCEL_SIDES": SIDES,
        "FORFEIT_MEANS": FORFEIT_MEANS,
    }


def _cancel_field_errors(error: DomainError) -> FieldErrors:
    """A refusal on the cancellation form's own field (the form's names start with `cancel_`)."""
    return {f"cancel_{error.field}": [error.text(_)]}


def confirm_page(deal: Deal, back: str, **confirmation: Any) -> str:
    """The page asking to confirm a step: what it will do, and a button that posts the
    same form again, confirmed (or goes `back`)."""
    fields = {k: v for k, v in request.form.items() if k not in ("csrf_token", "confirmed")}
    return render_template(
        "deals/cancel_confirm.html",
        deal=deal,
        action=request.path,
        fields=fields,
        back=back,
        **confirmation,
    )


def confirmed_step(
    deal_id: int,
    check: Callable[[], Any],
    act: Callable[[datetime], Any],
    *,
    confirmation: dict[str, Any],
    done: str,
    back: str,
) -> Any:
    """Check the step and show its confirmation page, or (confirmed) take it and go `back`.

    A refused step changes nothing: a field error shows the deal page again with the
    input, another refusal is flashed; strangers get a 404.
    """
    confirmed = request.form.get("confirmed") == "1"
    try:
        with unit_of_work():
            if confirmed:
                act(now())
            else:
                check()
    except NotFound:
        raise
    except DomainError as error:
        return refused(error, back, on_form=on_deal_page(deal_id, _cancel_field_errors))
    if not confirmed:
        return confirm_page(services.visible_deal(current_user, deal_id), back, **confirmation)
    flash(done, "info")
    return redirect(back)


def _kind_and_grounds() -> tuple[CancellationKind, Grounds | None]:
    raw = request.form.get("kind", "")
    if raw not in (CancellationKind.AGREEMENT, CancellationKind.RULING):
        raise ValidationFailed(N_("Choose one of the options."), field="kind")
    grounds_raw = request.form.get("grounds", "")
    grounds = Grounds(grounds_raw) if grounds_raw in Grounds._value2member_map_ else None
    return CancellationKind(raw), grounds


def _opening_consequences(kind: CancellationKind, side: Side | None) -> list[str]:
    if kind == CancellationKind.RULING:
        return [
            _("A reviewer of the market rules on your request. Until then the deal stands."),
            _(
                "If the reviewer upholds it, the deal is cancelled and the party found at fault "
                "forfeits its deposit; the other party's deposit is released."
            ),
            str(FORFEIT_MEANS),
            _("If the reviewer dismisses it, nothing changes and the deal goes on."),
        ]
    other = SIDES[Side.SELLER if side == Side.BUYER else Side.BUYER]
    return [
        _(
            "Nothing is cancelled yet: %(other)s must confirm. Until then the deal stands, "
            "and a deposit applied to the price stays applied.",
            other=other,
        ),
        _(
            "If %(other)s confirms, the deal is cancelled with no one at fault: the buyer's "
            "deposit is released and refunded, and the listing returns to the market.",
            other=other,
        ),
    ]


@bp.post("/deals/<int:deal_id>/cancellations")
@login_required
def open_cancellation(deal_id: int) -> Any:
    """A party proposes a cancellation by agreement, or asks a reviewer to rule (confirmed first)."""
    back = url_for("deals.detail", deal_id=deal_id) + "#cancellation"
    try:
        kind, grounds = _kind_and_grounds()
    except DomainError as error:
        return refused(error, back)
    field = "reason" if kind == CancellationKind.AGREEMENT else "statement"
    text = request.form.get(field, "")
    deal = services.visible_deal(current_user, deal_id)
    side = cancellation.side_of_actor(current_user, deal)

    def act(at: datetime) -> Any:
        if kind == CancellationKind.AGREEMENT:
            return cancellation.propose(current_user, deal_id, text, now=at)
        assert grounds is not None  # checked first
        return cancellation.request_ruling(current_user, deal_id, grounds, text, now=at)

    agreement = kind == CancellationKind.AGREEMENT
    return confirmed_step(
        deal_id,
        lambda: cancellation.check_open(current_user, deal_id, kind, text, grounds),
        act,
        confirmation={
            "heading": _("Propose to cancel the deal?")
            if agreement
            else _("Ask the market to cancel the deal?"),
            "statement": text,
            "consequences": _opening_consequences(kind, side),
            "button": _("Yes, send the proposal") if agreement else _("Yes, send the request"),
        },
        done=_("Proposal sent: the deal stands until the other party confirms.")
        if agreement
        else _("Request sent: a reviewer will rule; the deal stands until then."),
        back=back,
    )


_ANSWERS: dict[Answer, tuple[str, str, str, str]] = {
    Answer.AGREE: (
        N_("Agree to cancel the deal?"),
        N_(
            "The deal is cancelled now, with no one at fault: the buyer's deposit is released "
            "and refunded, and the listing returns to the market. This cannot be undone."
        ),
        N_("Yes, cancel the deal"),
        N_("Deal cancelled by agreement."),
    ),
    Answer.DECLINE: (
        N_("Decline the proposal?"),
        N_("The proposal is closed and the deal goes on as agreed."),
        N_("Yes, decline"),
        N_("Proposal declined: the deal goes on."),
    ),
    Answer.WITHDRAW: (
        N_("Withdraw your proposal or request?"),
        N_("It is closed and the deal goes on as agreed."),
        N_("Yes, withdraw"),
        N_("Withdrawn: the deal goes on."),
    ),
}


@bp.post(
    "/deals/<int:deal_id>/cancellations/<int:cancellation_id>/<any(agree, decline, withdraw):choice>"
)
@login_required
def answer_cancellation(deal_id: int, cancellation_id: int, choice: str) -> Any:
    """The other party agrees or declines; the party that asked withdraws (confirmed first)."""
    answer = Answer(choice)
    heading, consequence, button, done = _ANSWERS[answer]
    return confirmed_step(
        deal_id,
        lambda: cancellation.check_answer(current_user, deal_id, cancellation_id, answer),
        lambda at: cancellation.answer(
            current_user,
            deal_id,
            cancellation_id,
            answer,
            now=at,
            note=request.form.get("note", ""),
        ),
        confirmation={"heading": _(heading), "consequences": [_(consequence)], "button": _(button)},
        done=_(done),
        back=url_for("deals.detail", deal_id=deal_id) + "#cancellation",
    )
