"""Valuation pages: the indicative valuation form, valuation and report pages (and PDF),
requests for formal reports, the valuers' queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup

from core.clock import now
from core.domain import N_, DomainError, NotFound
from core.forms import FieldErrors, attempt, domain_errors
from core.i18n import current_locale
from core.uow import unit_of_work
from listings import services as listings
from listings.models import Listing
from valuation import (
    charts,
    form_schemas,
    queries,
    report_file,
    requests,
    services,
    sharing,
    valuers,
)
from valuation.income_rules import ROYALTY_BENCHMARKS, IndustryClass
from valuation.models import Valuation, ValuationRequest
from valuation.rules import Method, Purpose, RequestStatus, bps_text

bp = Blueprint("valuation", __name__)

METHOD_LABEL = {
    Method.INCOME.value: _l("Income (relief from royalty)"),
    Method.MARKET.value: _l("Market (comparable deals)"),
    Method.COST.value: _l("Cost (reproduction less obsolescence)"),
}
INDUSTRY_LABEL = {
    IndustryClass.BASIC_INDUSTRY: _l("Basic industry"),
    IndustryClass.INTERMEDIATE_GOODS: _l("Intermediate goods"),
    IndustryClass.CONSUMER_GOODS: _l("Consumer goods"),
    IndustryClass.HIGH_TECH: _l("High technology"),
}
REQUEST_STATUS = {
    RequestStatus.REQUESTED: (_l("Waiting for a valuer"), "warning"),
    RequestStatus.IN_PROGRESS: (_l("Valuer at work"), "info"),
    RequestStatus.ISSUED: (_l("Report issued"), "success"),
    RequestStatus.DECLINED: (_l("Declined"), "danger"),
    RequestStatus.WITHDRAWN: (_l("Withdrawn"), "secondary"),
}
BENCHMARK_TEXT = {
    "below": _l("below the benchmark range of its class"),
    "within": _l("within the benchmark range of its class"),
    "above": _l("above the benchmark range of its class"),
}
THUMB_TEXT = {
    "consistent": _l("consistent with the 25 percent rule"),
    "high": _l("higher than the 25 percent rule suggests"),
    "low": _l("lower than the 25 percent rule suggests"),
}


def chart_svgs(result: dict[str, Any], prefix: str = "v") -> dict[str, Markup]:
    """The range chart and the sensitivity heat map of a result, as inline SVG."""
    locale = current_locale()

    def fmt(minor: int) -> str:
        return charts.short_amount(minor, locale)

    rows = []
    for method in Method:
        part = result.get(method.value)
        rng = part.get("range") if part else None
        if rng:
            rows.append(
                charts.RangeRow(
                    str(METHOD_LABEL[method.value]).split(" (")[0].split("（")[0],
                    rng["low_minor"],
                    rng["central_minor"],
                    rng["high_minor"],
                )
            )
    rec = result["reconciled"]["range"]
    rows.append(
        charts.RangeRow(
            _("Indicative range"), rec["low_minor"], rec["central_minor"], rec["high_minor"], True
        )
    )
    svgs = {
        "ranges": Markup(
            charts.range_chart(
                rows,
                chart_id=f"{prefix}-ranges",
                title=_("Value range by method"),
                desc=_(
                    "Low to high value of each method, the mark at the central value; "
                    "the same figures are in the table below."
                ),
                fmt=fmt,
            )
        )
    }
    income = result.get("income")
    if income:
        grid = income["sensitivity"]
        svgs["sensitivity"] = Markup(
            charts.heat_map(
                grid["values_minor"],
                row_labels=[bps_text(b) + "%" for b in grid["royalty_bps"]],
                column_labels=[bps_text(b) + "%" for b in grid["discount_bps"]],
                central=(grid["central"][0], grid["central"][1]),
                chart_id=f"{prefix}-sensitivity",
                title=_("Sensitivity of the income value to royalty and discount rate"),
                desc=_(
                    "Rows: royalty rate; columns: discount rate; darker cells are higher "
                    "values; the outlined cell uses the inputs given."
                ),
                row_title=_("Royalty"),
                column_title=_("Discount rate"),
                fmt=fmt,
            )
        )
    return svgs


def _result_context(result: dict[str, Any], prefix: str = "v") -> dict[str, Any]:
    return {
        "result": result,
        "charts": chart_svgs(result, prefix),
        "METHOD_LABEL": METHOD_LABEL,
        "INDUSTRY_LABEL": INDUSTRY_LABEL,
        "BENCHMARK_TEXT": BENCHMARK_TEXT,
        "THUMB_TEXT": THUMB_TEXT,
        "explain": report_file.explain,
        "pct": lambda bps: bps_text(bps) + "%",
    }


def _form_context(listing: Listing, form: dict[str, Any], errors: FieldErrors) -> dict[str, Any]:
    return {
        "listing": listing,
        "form": form,
        "errors": errors,
        "years": range(1, form_schemas.FORM_YEARS + 1),
        "industries": [(c.value, INDUSTRY_LABEL[c], ROYALTY_BENCHMARKS[c]) for c in IndustryClass],
        "pct": lambda bps: bps_text(bps) + "%",
    }


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    """Valuation labels the listing page's panel uses."""
    return {
        "VALUATION_REQUEST_STATUS": REQUEST_STATUS,
        "credential_label": valuers.credential_label,
    }


@bp.route("/listings/<int:listing_id>/valuation", methods=["GET", "POST"])
@login_required
def value_listing(listing_id: int) -> Any:
    """The indicative valuation form: compute (nothing saved) or compute and save (the seller)."""
    listing = listings.visible_listing(current_user, listing_id)
    moment = now()
    if not services.may_compute(current_user, listing, now=moment):
        abort(403)
    owner = listings.is_owner(current_user, listing)
    context: dict[str, Any] = {"owner": owner}
    status = 200
    if request.method == "POST":
        inputs, errors = form_schemas.form_to_inputs(request.form, _)
        form: dict[str, Any] = dict(request.form)
        if inputs is not None:
            try:
                if request.form.get("action") == "save" and owner:
                    with unit_of_work():
                        valuation = services.save_indicative(
                            current_user, listing.id, inputs, now=moment
                        )
                    flash(_("Valuation saved: the listing now shows its range."), "success")
                    return redirect(url_for("valuation.detail", valuation_id=valuation.id))
                _listing, result = services.compute(current_user, listing.id, inputs, now=moment)
                context.update(_result_context(result))
            except NotFound:
                raise
            except DomainError as error:
                errors = domain_errors(error)
        status = 422 if errors else 200
    else:
        form = form_schemas.inputs_to_form(queries.latest_inputs(current_user, listing))
        errors = {}
    context.update(_form_context(listing, form, errors))
    return render_template("valuation/form.html", **context), status


def _may_see_request(valuation: Valuation) -> bool:
    req = valuation.request
    return req is not None and requests.can_view_request(current_user, req, now=now())


@bp.route("/valuations/<int:valuation_id>")
def detail(valuation_id: int) -> str:
    """A valuation as issued: inputs, each method, the range, sensitivity, the signature."""
    valuation = queries.visible_valuation(current_user, valuation_id)
    return render_template(
        "valuation/detail.html",
        valuation=valuation,
        listing=valuation.listing,
        inputs=valuation.inputs,
        show_request=_may_see_request(valuation),
        **sharing.owner_panel(current_user, valuation),
        **_result_context(valuation.result),
    )


@bp.route("/valuations/<int:valuation_id>/report.pdf")
def report_pdf(valuation_id: int) -> Response:
    """The valuation (report) as a PDF, in the reader's language."""
    return report_file.pdf_response(queries.visible_valuation(current_user, valuation_id))


@bp.route("/listings/<int:listing_id>/valuation-requests/new", methods=["GET", "POST"])
@login_required
def new_request(listing_id: int) -> Any:
    """Ask an accredited valuer for a formal valuation report of a listing."""
    listing = listings.visible_listing(current_user, listing_id)
    errors: FieldErrors = {}
    if request.method == "POST":
        try:
            with unit_of_work():
                created = requests.request_valuation(
                    current_user, listing.id, request.form.get("purpose", ""), now=now(),
                    purpose_kind=Purpose._value2member_map_.get(request.form.get("purpose_kind", ""), Purpose.OTHER),  # type: ignore[arg-type]
                )  # fmt: skip
        except NotFound:
            raise
        except DomainError as error:
            errors = domain_errors(error)
        else:
            flash(
                _(
                    "Request sent. It waits in the valuers' queue until a platform reviewer "
                    "or an accredited broker takes it."
                ),
                "success",
            )
            return redirect(url_for("valuation.request_detail", request_id=created.id))
    return render_template(
        "valuation/request_new.html",
        listing=listing,
        side="seller" if listings.is_owner(current_user, listing) else "buyer",
        open_request=queries.open_request_of(current_user, listing.id),
        form=request.form,
        errors=errors,
    ), (422 if errors else 200)


def _request_page(
    req: ValuationRequest,
    *,
    form: dict[str, Any] | None = None,
    errors: FieldErrors | None = None,
    result: dict[str, Any] | None = None,
    status: int = 200,
) -> Any:
    moment = now()
    is_assigned = req.valuer_id == current_user.id
    may_issue = is_assigned and req.status == RequestStatus.IN_PROGRESS
    context: dict[str, Any] = {
        "req": req,
        "is_requester": current_user.acting_org_id == req.requester_org_id,
        "is_valuer": valuers.is_valuer(current_user, now=moment),
        "is_assigned": is_assigned,
        "may_issue": may_issue,
        "STATUS": REQUEST_STATUS,
    }
    if may_issue:
        if form is None:
            form = form_schemas.inputs_to_form(queries.latest_inputs(current_user, req.listing))
        context.update(_form_context(req.listing, form, errors or {}))
    if result is not None:
        context.update(_result_context(result))
    return render_template("valuation/request_detail.html", **context), status


@bp.route("/valuation-requests/<int:request_id>")
@login_required
def request_detail(request_id: int) -> Any:
    """A request: who asked, what for, where it stands; the assigned valuer's report form."""
    return _request_page(requests.visible_request(current_user, request_id, now=now()))


@bp.post("/valuation-requests/<int:request_id>/report")
@login_required
def issue(request_id: int) -> Any:
    """The assigned valuer previews, then issues, the signed report."""
    req = requests.visible_request(current_user, request_id, now=now())
    inputs, errors = form_schemas.form_to_inputs(request.form, _)
    form = dict(request.form)
    opinion = request.form.get("opinion", "")
    if inputs is None:
        return _request_page(req, form=form, errors=errors, status=422)
    try:
        if request.form.get("action") == "issue":
            with unit_of_work(writer=True):
                report = requests.issue_report(current_user, req.id, inputs, opinion, now=now())
            flash(_("Report issued and signed."), "success")
            return redirect(url_for("valuation.detail", valuation_id=report.id))
        _listing, result = services.compute(current_user, req.listing_id, inputs, now=now())
    except NotFound:
        raise
    except DomainError as error:
        return _request_page(req, form=form, errors=domain_errors(error), status=422)
    return _request_page(req, form=form, result=result)


_REQUEST_ACTIONS: dict[str, tuple[Callable[..., object], str]] = {
    "take": (requests.take_request, N_("You took the request: prepare and issue the report.")),
    "decline": (requests.decline_request, N_("Request declined.")),  # with the form's reason
    "withdraw": (requests.withdraw_request, N_("Request withdrawn.")),
}


@bp.post("/valuation-requests/<int:request_id>/<any(take, decline, withdraw):action>")
@login_required
def act(request_id: int, action: str) -> Any:
    """Take, decline (with a reason) or withdraw a request."""
    req = requests.visible_request(current_user, request_id, now=now())
    use_case, message = _REQUEST_ACTIONS[action]
    reason = (request.form.get("reason", ""),) if action == "decline" else ()
    attempt(
        lambda: use_case(current_user, req.id, *reason, now=now()),
        success=_(message),
        raise_not_found=True,
    )
    return redirect(url_for("valuation.request_detail", request_id=req.id))


@bp.route("/my/valuations")
@login_required
def mine() -> str:
    """The organisation's valuation requests and valuations."""
    return render_template(
        "valuation/mine.html",
        requests=queries.requests_of(current_user),
        valuations=queries.valuations_of_org(current_user),
        STATUS=REQUEST_STATUS,
        is_valuer=valuers.is_valuer(current_user, now=now()),
    )


@bp.route("/valuation-requests")
@login_required
def queue() -> str:
    """The valuers' queue: open requests to take, and their own."""
    lists = requests.valuer_queue(current_user, now=now())
    return render_template(
        "valuation/queue.html", open=lists["open"], mine=lists["mine"], STATUS=REQUEST_STATUS
    )
