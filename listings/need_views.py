"""Technology need (技术需求) pages: search with facets, detail, post and edit, close, my needs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from marshmallow import ValidationError
from werkzeug.wrappers import Response

from core.audit.services import history
from core.clock import now
from core.domain import N_, DomainError, ValidationFailed
from core.forms import FieldErrors, domain_errors, flatten_errors
from listings import needs
from listings.need_rules import NeedInput, NeedStatus
from listings.need_schemas import NeedInputSchema, form_field, need_form_to_input
from listings.rules import FIELDS, TransferMode
from marketplace.labels import facet_label
from search.needs import NEED_FACETS, NEED_SORTS
from search.services import make_need_query, needs_for, run_need_search

bp = Blueprint("needs", __name__)
PER_PAGE = 20


def need_facet_title(facet: str) -> str:
    """The sidebar heading of a need facet."""
    return {
        "field": _("Technology field"),
        "ipc_section": _("Patent class (IPC)"),
        "transfer_mode": _("Transfer mode"),
        "region": _("Region"),
        "budget_band": _("Budget"),
    }.get(facet, facet)


def need_facet_label(facet: str, value: str) -> str:
    """A need facet value as readers know it."""
    if facet == "budget_band":
        return _("Budget open") if value == "negotiable" else facet_label("price_band", value)
    return facet_label(facet, value)


def need_sort_label(sort: str) -> str:
    """A sort order of needs, for the select box."""
    return {
        "relevance": _("Best match"),
        "newest": _("Newest"),
        "deadline": _("Deadline soonest"),
        "budget_desc": _("Largest budget"),
    }.get(sort, sort)


def _url(args: dict[str, list[str]], **changes: Any) -> str:
    merged = {key: list(values) for key, values in args.items()}
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value if isinstance(value, list) else [str(value)]
    return url_for("needs.index", **{k: v for k, v in merged.items() if v})


@bp.get("/needs")
def index() -> str:
    """Open technology needs: text, facet filters, sort and page from the query string."""
    args = {key: [v for v in request.args.getlist(key) if v] for key in request.args}
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        page = 1
    query = make_need_query(
        text=request.args.get("q", ""),
        filters={facet: args.get(facet, []) for facet in NEED_FACETS},
        sort=request.args.get("sort", "relevance"),
        page=page,
        per_page=PER_PAGE,
    )
    outcome = run_need_search(query)
    result = outcome.result
    by_id = needs_for(result.hits)
    cards = [
        {"need": by_id[hit.id], "title": hit.highlights.get("title", ""),
         "problem": hit.highlights.get("problem", "")}
        for hit in result.hits
        if hit.id in by_id
    ]  # fmt: skip
    sidebar = []
    for facet in NEED_FACETS:
        counts = dict(result.facets.get(facet, {}))
        chosen = args.get(facet, [])
        for value in chosen:
            counts.setdefault(value, 0)
        values = []
        for value, count in counts.items():
            ticked = value in chosen
            toggled = [v for v in chosen if v != value] if ticked else [*chosen, value]
            values.append(
                {
                    "label": need_facet_label(facet, value),
                    "count": count,
                    "checked": ticked,
                    "url": _url(args, **{facet: toggled or None, "page": None}),
                }
            )
        if values:
            sidebar.append({"title": need_facet_title(facet), "values": values})
    last_page = max(1, -(-result.total // query.per_page))
    return render_template(
        "needs/index.html",
        query=query,
        result=result,
        cards=cards,
        sidebar=sidebar,
        sorts=[(sort, need_sort_label(sort)) for sort in NEED_SORTS],
        has_filters=bool(query.filters),
        clear_url=_url(args, **{facet: None for facet in NEED_FACETS}, page=None),
        page_url=lambda number: _url(args, page=number),
        last_page=last_page,
        degraded=outcome.degraded,
        may_post=needs.may_post(current_user),
    )


@bp.get("/needs/<int:need_id>")
def detail(need_id: int) -> str:
    """A need as the market sees it; its enterprise also sees its history and actions."""
    need = needs.visible_need(current_user, need_id)
    member = needs.is_member(current_user, need)
    show_history = member or (current_user.is_authenticated and current_user.can_review)
    from brokers.matching import may_match_need

    return render_template(
        "needs/detail.html",
        need=need,
        member=member,
        may_match=may_match_need(current_user, need, now=now()),
        history=history("need", need.id) if show_history else [],
    )


@bp.get("/my/needs")
@login_required
def mine() -> str:
    """The enterprise's needs by state."""
    raw = request.args.get("status", "")
    status = NeedStatus(raw) if raw in NeedStatus._value2member_map_ else None
    return render_template(
        "needs/mine.html",
        needs=needs.needs_of(current_user, status),
        counts=needs.count_by_status(current_user),
        statuses=list(NeedStatus),
        active_status=status,
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
    errors: FieldErrors = {}
    if request.method == "POST":
        data, errors = _parse_form()
        if data is not None:
            try:
                need = needs.post_need(current_user, data, now=now())
            except DomainError as error:
                errors = _save_errors(error)
            else:
                flash(_("Your need is posted: it is public and searchable."), "success")
                return redirect(url_for("needs.detail", need_id=need.id))
    region = current_user.organisation.region if current_user.organisation else ""
    context = _form_context(
        need=None,
        form=request.form if request.method == "POST" else None,
        errors=errors,
        default_region=region,
        may_post=needs.may_post(current_user),
    )
    return render_template("needs/edit.html", **context), (422 if errors else 200)


@bp.route("/needs/<int:need_id>/edit", methods=["GET", "POST"])
@login_required
def edit(need_id: int) -> str | Response | tuple[str, int]:
    """Edit an open need."""
    need = needs.get_need(need_id)
    if not needs.is_member(current_user, need):
        abort(404)
    errors: FieldErrors = {}
    if request.method == "POST":
        data, errors = _parse_form()
        if data is not None:
            try:
                needs.update_need(current_user, need_id, data, now=now())
            except DomainError as error:
                errors = _save_errors(error)
            else:
                flash(_("Changes saved."), "success")
                return redirect(url_for("needs.detail", need_id=need_id))
    context = _form_context(
        need=need,
        form=request.form if errors else None,
        errors=errors,
        default_region=need.region,
        may_post=True,
    )
    return render_template("needs/edit.html", **context), (422 if errors else 200)


_ACTIONS = {
    "close": (needs.close_need, N_("The need is closed.")),
    "withdraw": (needs.withdraw_need, N_("The need is withdrawn from the market.")),
}


@bp.post("/needs/<int:need_id>/<any(close, withdraw):action>")
@login_required
def act(need_id: int, action: str) -> Response:
    """The enterprise closes or withdraws its need."""
    service, message = _ACTIONS[action]
    try:
        service(current_user, need_id, now=now(), reason=request.form.get("reason", ""))
    except DomainError as error:
        flash(error.text(_), "danger")
    else:
        flash(_(message), "success")
    return redirect(url_for("needs.detail", need_id=need_id))
