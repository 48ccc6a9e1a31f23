"""Applying for accreditation and the application's documents."""

from __future__ import annotations

from typing import Any, cast

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from brokers import accreditation
from brokers import broker_access as shared
from brokers.accreditation import Application
from brokers.rules import BrokerLevel
from brokers.schemas import ApplicationFormSchema
from brokers.views.blueprint import LANGUAGE, bp, expiry_warning_days, upload_folder
from core.clock import now
from core.domain import N_, DomainError
from core.forms import FieldErrors, document_upload, domain_errors, parse_form
from core.uow import unit_of_work
from core.views_kit import PostAction, add_actions, send_stored
from listings.rules import FIELDS


def _render_apply(
    form: dict[str, Any], errors: FieldErrors | None = None, status: int = 200
) -> tuple[str, int]:
    return render_template(
        "brokers/apply.html",
        form=form,
        errors=errors or {},
        fields=FIELDS,
        levels=list(BrokerLevel),
        languages=LANGUAGE,
        broker=shared.broker_of(current_user),
    ), status


@bp.route("/apply", methods=["GET", "POST"])
@login_required
def apply() -> Any:
    """Apply (or apply again) for accreditation, with the certificate attached."""
    broker = shared.broker_of(current_user)
    if request.method == "GET":
        form: dict[str, Any] = {"languages": ["zh"], "expertise_fields": []}
        if broker is not None:
            form = {
                "level": broker.level.value,
                "certificate_number": broker.certificate_number,
                "issuing_body": broker.issuing_body,
                "expires_on": broker.expires_on.isoformat(),
                "region": broker.region,
                "expertise_fields": broker.expertise_fields,
                "languages": broker.languages,
                "bio": broker.bio or "",
            }
        return _render_apply(form)
    form = dict(request.form.to_dict())
    form["expertise_fields"] = request.form.getlist("expertise_fields")
    form["languages"] = request.form.getlist("languages")
    data, errors = parse_form(ApplicationFormSchema())
    upload = request.files.get("file")
    if data is None:
        return _render_apply(form, errors, 422)
    try:
        with unit_of_work():
            accreditation.apply(
                current_user, cast(Application, data), now=now(), warning_days=expiry_warning_days()
            )
        if upload is not None and upload.filename:
            with unit_of_work():  # the application stands even if its document is refused
                accreditation.add_document(
                    current_user,
                    kind=request.form.get("kind", "certificate"),
                    stream=upload.stream,
                    filename=upload.filename,
                    folder=upload_folder(),
                    max_bytes=current_app.config["MAX_EVIDENCE_BYTES"],
                    now=now(),
                )
    except DomainError as error:
        return _render_apply(form, domain_errors(error), int(error.status))
    flash(_("Application sent. A reviewer checks your certificate."), "success")
    return redirect(url_for("brokers.dashboard"))


add_actions(
    bp,
    PostAction("/documents", "upload_document", "Attach another document to one's application.", accreditation.add_document, N_("Document attached."), "brokers.dashboard", options=lambda: {"kind": request.form.get("kind", "certificate"), **document_upload(upload_folder())}),
)  # fmt: skip


@bp.route("/documents/<int:document_id>")
@login_required
def document_file(document_id: int) -> Response:
    """An application document, for the applicant and the reviewers."""
    document = accreditation.document_for_download(current_user, document_id)
    return send_stored(upload_folder(), document)
