"""REST endpoints of evaluations (科技成果评价), attached to the listings API blueprint:
a published listing's evaluations for anyone, an evaluator's new evaluation (multipart)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app, url_for
from flask_smorest.fields import Upload as UploadField
from marshmallow import Schema, fields, validate
from werkzeug.wrappers import Response

from accounts.auth import api_actor, api_writer
from accounts.models import User
from core.api_actions import AllowedActions
from core.api_kit import upload_of
from core.clock import now
from core.marshmallow_messages import REQUIRED
from core.schema_kit import REQUIRED_NOT_NULL, EnumValue
from core.schema_out import out_fields
from core.storage import ALLOWED_TYPES
from core.uow import unit_of_work
from core.views_kit import send_stored
from listings import evaluations
from listings.api import blp
from listings.evaluation_models import ResultEvaluation
from listings.evaluation_rules import MAX_REASONING, TRL_MAX, TRL_MIN, Advancement, Novelty
from listings.services import visible_listing


class EvaluationInSchema(Schema):
    """The evaluator's findings (multipart form fields)."""

    trl = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(TRL_MIN, TRL_MAX))  # fmt: skip
    novelty = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf([n.value for n in Novelty]))  # fmt: skip
    advancement = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf([a.value for a in Advancement]))  # fmt: skip
    reasoning = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, MAX_REASONING))  # fmt: skip


class EvaluationFileSchema(Schema):
    """The document the evaluation rests on (PDF, PNG, JPEG or WebP; the page takes up to five)."""

    evidence = UploadField(required=True, error_messages=REQUIRED_NOT_NULL)


@out_fields(integers="id", strings="original_name sha256")
class EvaluationEvidenceOutSchema(Schema):
    """A document of the evaluation; its file at `file_url`."""

    file_url = fields.Function(
        lambda document: url_for("listings_api.evaluation_evidence", evidence_id=document.id)
    )


@out_fields(integers="id listing_id trl", strings="reasoning", datetimes="evaluated_at")
class EvaluationOutSchema(Schema):
    """An evaluation: level, novelty, advancement, reasoning, evaluating body, evidence."""

    novelty = EnumValue(metadata={"description": "new_worldwide, new_in_china or known"})
    advancement = EnumValue(metadata={"description": "international_leading, international_advanced, domestic_leading or domestic_advanced"})  # fmt: skip
    evaluator_org = fields.Function(lambda e: e.evaluator_org.name)
    evidence = fields.List(fields.Nested(EvaluationEvidenceOutSchema))


def _may_evaluate(caller: User, page: dict[str, Any], at: datetime) -> bool:
    return evaluations.may_evaluate(caller, page["listing"], now=at)


class EvaluationListSchema(Schema):
    """A listing's evaluations, newest first (the first stands), and whether the caller may add one."""

    items = fields.List(fields.Nested(EvaluationOutSchema))
    allowed_actions = AllowedActions({"evaluate": _may_evaluate})


@blp.read("/<int:listing_id>/evaluations", EvaluationListSchema, 404)
def listing_evaluations(listing_id: int) -> dict[str, Any]:
    """A listing's evaluations (科技成果评价), newest first."""
    listing = visible_listing(api_actor(), listing_id)
    return {"items": evaluations.visible_evaluations(listing), "listing": listing}


@blp.write(
    "/<int:listing_id>/evaluations",
    201,
    EvaluationOutSchema,
    (403, "Not an accredited broker agency or expert broker, or a party's own (code not_evaluator, own_organisation, acts_for_party)"),
    404,
    (413, "Larger than MAX_EVIDENCE_BYTES"),
    (422, "Level outside 1–9, no reasoning, not a document"),
    args=EvaluationInSchema,
    files=EvaluationFileSchema,
)  # fmt: skip
def evaluate(form: dict[str, Any], files: dict[str, Any], listing_id: int) -> ResultEvaluation:
    """Record an evaluation of a published listing (multipart: the findings and `evidence`)."""
    findings = evaluations.Findings(
        trl=form["trl"], novelty=Novelty(form["novelty"]),
        advancement=Advancement(form["advancement"]), reasoning=form["reasoning"],
    )  # fmt: skip
    with unit_of_work():
        return evaluations.record_evaluation(
            api_writer(), listing_id, findings, [upload_of(files, "evidence")],
            folder=evaluations.evaluation_folder(current_app.config["UPLOAD_FOLDER"]), max_bytes=current_app.config["MAX_EVIDENCE_BYTES"],
            now=now(),
        )  # fmt: skip


@blp.download("/evaluation-evidence/<int:evidence_id>", ALLOWED_TYPES, "The document as uploaded (never served as active content), as the listing's page gives")  # fmt: skip
def evaluation_evidence(evidence_id: int) -> Response:
    """A document an evaluation rests on: public with its published listing, else its owner and reviewers."""
    found = evaluations.evidence_for_download(api_actor(), evidence_id)
    return send_stored(evaluations.evaluation_folder(current_app.config["UPLOAD_FOLDER"]), found)
