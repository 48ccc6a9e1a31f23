"""Technology need (技术需求) pages: detail, post and edit, close, my needs.

The search page (`needs.index`) is attached to this blueprint by `search.need_pages`;
the detail page's matching link comes from brokers through the `need_page` signal.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from core.clock import now
from core.domain import N_, DomainError, ValidationFailed
from core.forms import FieldErrors, attempt, domain_errors, flatten_errors
from core.signals import merged_from_signal
from core.view_steps import own_or_404
from core.views_kit import by_state_page, form_page, history_for
from listings import needs
from listings.models import TechNeed
from listings.need_rules import NeedInput, NeedStatus
from listings.need_schemas import NeedInputSchema, form_field, need_form_to_input
from listings.rules import FIELDS, TransferMode
from listings.signals import need_page

bp = Blueprint("needs", __name__)


@bp.get("/needs/<int:need_id>")
def detail(need_id: int) -> str:
    """A need as the market sees it; its enterprise also sees its history and actions."""
    need = needs.visible_need(current_user, need_id)
    member = needs.is_member(current_user, need)
    return render_template(
        "needs/detail.html",
        need=need,
        member=member,
        history=history_for(member, "need", need.id),
        **merged_from_signal(need_page, need, viewer=current_user, now=now()),
    )


@bp.get("/my/needs")
@login_required
def mine() -> str:
    """The enterprise's needs by state."""
    return by_state_page(
        "needs/mine.html",
        NeedStatus,
        needs.needs_of,
        needs.count_by_status,
        may_post=needs.may_post(current_user),
    )


def _parse_form() -> tuple[NeedInput | None, FieldErrors]:
    try:
        return NeedInputSchema().load(need_form_to_input(request.form)), {}
    except ValidationFailed as error:
        return None, domain_errors(error)
    except ValidationError as error:
        errors = flatten_errors(error.messages)
        return None, {form_field(key): texts for key, texts in errors.items()}


def _form_context(**extra: object) -> dict[str, object]:
    return {"fields": FIELDS, "transfer_modes": list(TransferMode), **extra}


def _save_errors(error: DomainError) -> FieldErrors:
    errors = domain_errors(error)
    return {form_field(key) if key != "_form" else key: texts for key, texts in errors.items()}


@bp.route("/needs/new", methods=["GET", "POST"])
@login_required
def create() -> str | Response | tuple[str, int]:
    """Post a technology need (verified enterprises)."""
    region = current_user.organisation.region if current_user.organisation else ""
    return form_page(
        _parse_form,
        lambda data: needs.post_need(current_user, data, now=now()),
        lambda errors: _editor(None, errors, default_region=region, may_post=needs.may_post(current_user)),
        saved=_("Your need is posted: it is public and searchable."),
        then=lambda need: url_for("needs.detail", need_id=need.id),
        refusal_errors=_save_errors,
    )  # fmt: skip


@bp.route("/needs/<int:need_id>/edit", methods=["GET", "POST"])
@login_required
def edit(need_id: int) -> str | Response | tuple[str, int]:
    """Edit an open need."""
    need = own_or_404(needs.get_need(need_id), needs.is_member)
    return form_page(
        _parse_form,
        lambda data: needs.update_need(current_user, need_id, data, now=now()),
        lambda errors: _editor(need, errors, default_region=need.region, may_post=True),
        saved=_("Changes saved."),
        then=lambda _saved: url_for("needs.detail", need_id=need_id),
        refusal_errors=_save_errors,
    )


def _editor(need: TechNeed | None, errors: FieldErrors, **context: object) -> str:
    """The need's editor; a new need's shows what was sent, an open one's only with errors."""
    form = request.form if (errors if need else request.method == "POST") else None
    return render_template(
        "needs/edit.html", **_form_context(need=need, form=form, errors=errors, **context)
    )


_ACTIONS = {
    "close": (needs.close_need, N_("The need is closed.")),
    "withdraw": (needs.withdraw_need, N_("The need is withdrawn from the market.")),
}


@bp.post("/needs/<int:need_id>/<any(close, withdraw):action>")
@login_required
def act(need_id: int, action: str) -> Response:
    """The enterprise closes or withdraws its need."""
    service, message = _ACTIONS[action]
    attempt(
        lambda: service(current_user, need_id, now=now(), reason=request.form.get("reason", "")),
        success=_(message),
    )
    return redirect(url_for("needs.detail", need_id=need_id))
