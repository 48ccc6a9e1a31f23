"""Evaluation of results (科技成果评价) in the browser: the evaluator's form, the evidence.

Attached to the listings blueprint (imported by the shell before it is registered); the
listing page shows the evaluation that stands (`listings/detail.html`).
"""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from core.clock import now
from core.domain import N_, ValidationFailed
from core.forms import attempt
from core.service_kit import Upload
from core.views_kit import send_stored
from listings import evaluations
from listings.evaluation_rules import MAX_EVIDENCE_FILES, Advancement, Novelty
from listings.services import visible_listing
from listings.views import bp


def evaluation_folder() -> Path:
    """Where the evaluations' evidence is kept."""
    return evaluations.evaluation_folder(current_app.config["UPLOAD_FOLDER"])


def _choice(enum_class: type[Novelty] | type[Advancement], name: str) -> Novelty | Advancement:
    raw = request.form.get(name, "")
    if raw not in enum_class._value2member_map_:
        raise ValidationFailed(N_("Choose from the list."), field=name)
    return enum_class(raw)


def findings_from_form() -> evaluations.Findings:
    """The evaluator's findings as posted (bounded: the service checks the rest)."""
    trl = request.form.get("trl", "")
    if not trl.isdigit() or len(trl) > 1:
        raise ValidationFailed(N_("Choose a readiness level from 1 to 9."), field="trl")
    return evaluations.Findings(
        trl=int(trl),
        novelty=_choice(Novelty, "novelty"),  # type: ignore[arg-type]
        advancement=_choice(Advancement, "advancement"),  # type: ignore[arg-type]
        reasoning=request.form.get("reasoning", "")[:8000],
    )


@bp.get("/listings/<int:listing_id>/evaluate")
@login_required
def evaluation_form(listing_id: int) -> str:
    """The evaluator's form: level, novelty, advancement, reasoning and evidence."""
    listing = visible_listing(current_user, listing_id)
    if not evaluations.may_evaluate(current_user, listing, now=now()):
        abort(403)
    return render_template(
        "listings/evaluate.html", listing=listing, novelties=list(Novelty),
        grades=list(Advancement), max_files=MAX_EVIDENCE_FILES,
    )  # fmt: skip


@bp.post("/listings/<int:listing_id>/evaluate")
@login_required
def record_evaluation(listing_id: int) -> Response:
    """Record the evaluation; it stands on the listing page and in search."""
    uploads = [
        Upload(f.stream, f.filename or "")
        for f in request.files.getlist("evidence")[: MAX_EVIDENCE_FILES + 1]
        if f.filename
    ]
    done = attempt(
        lambda: evaluations.record_evaluation(
            current_user, listing_id, findings_from_form(), uploads,
            folder=evaluation_folder(), max_bytes=current_app.config["MAX_EVIDENCE_BYTES"],
            now=now(),
        ),
        success=_("The evaluation is recorded and shown on the listing."),
        raise_not_found=True,
    )  # fmt: skip
    if done is None:
        return redirect(url_for("listings.evaluation_form", listing_id=listing_id))
    return redirect(url_for("listings.detail", listing_id=listing_id) + "#evaluation")


@bp.get("/evaluation-evidence/<int:evidence_id>")
def evaluation_evidence(evidence_id: int) -> Response:
    """A document an evaluation rests on (public with its published listing)."""
    document = evaluations.evidence_for_download(current_user, evidence_id)
    return send_stored(evaluation_folder(), document)
