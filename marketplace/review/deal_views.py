"""Reviewers' queue of requests to cancel a deal, and the ruling (attached to `review`'s blueprint).

The shell imports this module before it registers the blueprint. A ruling is confirmed
on a second page before it is taken, like every step of a cancellation.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from accounts.services import require_reviewer
from core.audit import history
from core.clock import now
from core.domain import N_, DomainError, ValidationFailed
from core.forms import domain_errors
from core.uow import unit_of_work
from core.view_steps import refused
from deals import cancellation
from deals.cancel_views import FORFEIT_MEANS, SIDES, confirm_page
from deals.cancellation_rules import Side
from marketplace.review.views import bp


@bp.route("/cancellations")
def cancellations() -> str:
    """Requests to cancel a deal that wait for a ruling, oldest first."""
    return render_template(
        "review/cancellations.html", requests=cancellation.pending_rulings(current_user)
    )


def _render(cancellation_id: int, errors: dict[str, list[str]] | None = None) -> Any:
    row = cancellation.request_for_review(current_user, cancellation_id)
    return render_template(
        "review/cancellation.html",
        request_row=row,
        deal=row.deal,
        history=history("deal", row.deal_id),
        errors=errors or {},
        form=request.form if errors else {},
    ), (422 if errors else 200)


@bp.route("/cancellations/<int:cancellation_id>")
def cancellation_request(cancellation_id: int) -> Any:
    """A party's request with the deal beside it, and the ruling form."""
    return _render(cancellation_id)


def _consequences(upheld: bool, at_fault: Side | None) -> list[str]:
    if not upheld:
        return [_("Nothing changes: the request is dismissed and the deal goes on as agreed.")]
    side = SIDES[at_fault] if at_fault else ""
    return [
        _("The deal is cancelled and the listing returns to the market."),
        _(
            "The party at fault, %(side)s, forfeits its deposit; the other party's deposit is "
            "released.",
            side=side,
        ),
        str(FORFEIT_MEANS),
    ]


@bp.post("/cancellations/<int:cancellation_id>/rule")
def rule(cancellation_id: int) -> Any:
    """Uphold the request naming the party at fault, or dismiss it (confirmed first)."""
    require_reviewer(current_user)
    row = cancellation.request_for_review(current_user, cancellation_id)
    upheld = request.form.get("outcome") == "upheld"
    raw_side = request.form.get("at_fault", "")
    at_fault = Side(raw_side) if upheld and raw_side in Side._value2member_map_ else None
    reason = request.form.get("reason", "")
    confirmed = request.form.get("confirmed") == "1"
    back = url_for("review.cancellation_request", cancellation_id=cancellation_id)
    try:
        with unit_of_work():
            if request.form.get("outcome") not in ("upheld", "dismissed"):
                raise ValidationFailed(N_("Choose one of the options."), field="outcome")
            if confirmed:
                cancellation.rule(
                    current_user, row.deal_id, row.id, upheld=upheld, at_fault=at_fault,
                    reason=reason, now=now(),
                )  # fmt: skip
            else:
                cancellation.check_rule(
                    current_user, row.deal_id, row.id, upheld=upheld, at_fault=at_fault,
                    reason=reason,
                )  # fmt: skip
    except DomainError as error:
        return refused(
            error, back, on_form=lambda error: _render(cancellation_id, domain_errors(error))
        )
    if not confirmed:
        return confirm_page(
            row.deal,
            back,
            heading=_("Uphold the request?") if upheld else _("Dismiss the request?"),
            statement=reason,
            consequences=_consequences(upheld, at_fault),
            button=_("Yes, give this ruling"),
        )
    flash(_("Ruling recorded; both parties are told."), "success")
    return redirect(url_for("review.cancellations"))
