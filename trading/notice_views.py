"""Public notices (公示) and objections (异议): the pages."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from core.clock import now
from core.forms import FieldErrors, attempt, parse_form
from core.views_kit import form_on_page
from trading import notice_queries, notices
from trading.schemas import DecisionInputSchema, ObjectionInputSchema

bp = Blueprint("publicity", __name__)


@bp.route("/notices")
def index() -> str:
    """Current and past public notices of negotiated prices."""
    notices.request_if_due(notice_queries.current_notices(), now=now())
    return render_template(
        "publicity/index.html",
        current=notice_queries.current_notices(),
        past=notice_queries.past_notices(),
        moment=now(),
    )


def _notice_page(
    notice_id: int, *, errors: FieldErrors | None = None, status: int = 200, form: Any = None
) -> tuple[str, int]:
    [notice] = notices.request_if_due([notice_queries.get_notice(notice_id)], now=now())
    return render_template(
        "publicity/notice.html",
        notice=notice,
        formation=notice_queries.formation_of(notice),
        verdict=notice_queries.verdict(notice, now()).value,
        mine=notice_queries.objection_of(current_user, notice),
        errors=errors or {},
        form=form or {},
    ), status


@bp.route("/notices/<int:notice_id>")
def notice(notice_id: int) -> tuple[str, int]:
    """One public notice, with the objection form for signed-in readers."""
    return _notice_page(notice_id)


@bp.post("/notices/<int:notice_id>/objections")
@login_required
def lodge(notice_id: int) -> Response | tuple[str, int]:
    """Lodge an objection with reasons (once per person)."""
    return form_on_page(
        ObjectionInputSchema(),
        lambda errors, status: _notice_page(
            notice_id, errors=errors, status=status, form=request.form
        ),
        lambda data: notices.lodge_objection(current_user, notice_id, data["reasons"], now=now()),
        back=lambda objection: url_for("publicity.notice", notice_id=notice_id),
        success=_("Your objection is lodged. A reviewer will decide on it."),
    )


@bp.route("/notices/objections/queue")
@login_required
def queue() -> str:
    """Reviewers: objections waiting for a decision."""
    return render_template(
        "publicity/queue.html", objections=notice_queries.objection_queue(current_user)
    )


@bp.post("/notices/objections/<int:objection_id>/decide")
@login_required
def decide(objection_id: int) -> Response:
    """A reviewer upholds or dismisses an objection, with the reason."""
    data, errors = parse_form(DecisionInputSchema())
    if data is None:
        if "reason" in errors:
            flash(_("Give the reason for the decision."), "danger")
        else:
            flash(" ".join(m for messages in errors.values() for m in messages), "danger")
        return redirect(url_for("publicity.queue"))
    upheld = data["uphold"]
    attempt(
        lambda: notices.decide_objection(
            current_user, objection_id, uphold=upheld, reason=data["reason"], now=now()
        ),
        success=_("Objection upheld: the agreement has fallen.")
        if upheld
        else _("Objection dismissed."),
        category="warning" if upheld else "info",
    )
    return redirect(url_for("publicity.queue"))
