"""REST endpoints of a broker's application documents and of rating a deal's broker,
attached to the brokers API blueprint: the applicant attaches a document (multipart) and
downloads it, as reviewers do; reviewers read the applications waiting for them with
their documents; a party of a completed deal rates its broker."""

from __future__ import annotations

from typing import Any

from flask_smorest.fields import Upload as UploadField
from marshmallow import Schema, fields, validate
from werkzeug.wrappers import Response

from accounts.auth import api_reader, api_writer
from brokers import accreditation, broker_access, ratings
from brokers.api import blp, broker_out
from brokers.models import BrokerDocument, Rating
from brokers.rules import MAX_COMMENT, AccreditationStatus
from brokers.schemas import BrokerOutSchema
from brokers.views.blueprint import expiry_warning_days, upload_folder
from core import api_actions
from core.api_documents import document_args
from core.clock import now
from core.domain import N_
from core.marshmallow_messages import REQUIRED
from core.schema_kit import REQUIRED_NOT_NULL, InputSchema, StoredFileOutSchema, download_url
from core.schema_out import out_fields
from core.storage import ALLOWED_TYPES
from core.uow import unit_of_work
from core.views_kit import send_stored


class DocumentKindInSchema(InputSchema):
    """What the document is (multipart form field)."""

    kind = fields.String(load_default="certificate", validate=validate.OneOf(accreditation.DOCUMENT_KINDS))  # fmt: skip


class DocumentFileInSchema(Schema):
    """The document (multipart): PDF, PNG, JPEG or WebP."""

    file = UploadField(required=True, error_messages=REQUIRED_NOT_NULL)


class BrokerDocumentOutSchema(StoredFileOutSchema):
    """A document of the application; its file at `/documents/<id>/file`."""

    file_url = download_url("brokers_api.document_file", "document_id")


class ApplicationOutSchema(BrokerOutSchema):
    """An application waiting for accreditation, with the documents it rests on."""

    applied_at = fields.DateTime()
    documents = fields.List(fields.Nested(BrokerDocumentOutSchema))


class ApplicationDetailOutSchema(ApplicationOutSchema):
    """An application in any state as the reviewers' page shows it, with what the caller may
    decide now (`allowed_actions`: decide at `/<id>/accredit` or `/<id>/refuse`)."""

    decision_reason = fields.String(allow_none=True, metadata={"description": "The reviewer's reason or note"})  # fmt: skip
    decided_at = fields.DateTime(allow_none=True)
    allowed_actions = fields.List(fields.String(validate=validate.OneOf(["accredit", "refuse"])), metadata={"description": "accredit, refuse: a reviewer's decision while it waits (never one's own; accredit: not with an expired certificate)"})  # fmt: skip


class MyBrokerOutSchema(ApplicationOutSchema):
    """The caller's own broker record as their workbench shows it: the accreditation, the
    reviewer's reason for a refusal, the certificate's days left and the documents."""

    decision_reason = fields.String(allow_none=True, metadata={"description": "Why the application was refused (or a reviewer's note)"})  # fmt: skip
    days_left = fields.Integer(metadata={"description": "Days before the certificate expires (negative once it has)"})  # fmt: skip
    expiry_warning = fields.Boolean(metadata={"description": "Accredited and the certificate expires within the warning period: renew it"})  # fmt: skip


class ApplicationQueueSchema(Schema):
    """The applications waiting for a reviewer, oldest first."""

    items = fields.List(fields.Nested(ApplicationOutSchema))


class RatingInSchema(InputSchema):
    """A rating of the deal's broker: 1–5 and a comment."""

    broker_id = fields.Integer(required=True, error_messages=REQUIRED)
    score = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(1, 5))
    comment = fields.String(load_default="", validate=validate.Length(max=MAX_COMMENT))


@out_fields(integers="id deal_id broker_id score", strings="comment?", datetimes="created_at")
class RatingOutSchema(Schema):
    """A rating, as the broker's profile shows it."""


@blp.write("/documents", 201, BrokerDocumentOutSchema, 401, (404, "The caller has not applied as a broker."), (409, "The accreditation is decided (`not_editable`)."), 413, 422, args=DocumentKindInSchema, files=DocumentFileInSchema, example={"kind": "certificate"})  # fmt: skip
def upload_document(form: dict[str, Any], files: dict[str, Any]) -> BrokerDocument:
    """Attach a document to one's own application while it waits or after a refusal."""
    with unit_of_work():
        return accreditation.add_document(
            api_writer(), kind=form["kind"], now=now(), **document_args(files, upload_folder())
        )


@blp.download("/documents/<int:document_id>/file", ALLOWED_TYPES, "The document as uploaded (never served as active content)", (404, "No such document, or not the caller's application (reviewers see every one)"))  # fmt: skip
def document_file(document_id: int) -> Response:
    """Download an application document (the applicant and reviewers)."""
    found = accreditation.document_for_download(api_reader(), document_id)
    return send_stored(upload_folder(), found)


@blp.read("/me", MyBrokerOutSchema, (404, "The caller has never applied as a broker."))
def my_broker() -> dict[str, Any]:
    """The caller's accreditation as their workbench shows it (pending, accredited or
    refused), whether it is valid today and the documents the application rests on."""
    broker = broker_access.own_broker(api_reader(), N_("You have not applied as a broker."))
    standing = broker_access.standing_of(broker, now=now(), warning_days=expiry_warning_days())
    return {
        **broker_out(broker), "applied_at": broker.applied_at, "documents": broker.documents,
        "decision_reason": broker.decision_reason, "days_left": standing.days_left,
        "expiry_warning": standing.warn, "accredited": standing.valid,
    }  # fmt: skip


# What a reviewer may decide on an application now (`core.api_actions`): the decision's own check.
def _deciding(target: AccreditationStatus) -> api_actions.Check:
    return lambda caller, broker, at: accreditation.check_decision(caller, broker, target, now=at)


DECISIONS = {"accredit": _deciding(AccreditationStatus.ACCREDITED), "refuse": _deciding(AccreditationStatus.REFUSED)}  # fmt: skip


@blp.read("/applications/<int:broker_id>", ApplicationDetailOutSchema, (403, "Only the market's reviewers see the applications."))  # fmt: skip
def application(broker_id: int) -> dict[str, Any]:
    """One application in any state (pending, accredited or refused) with its documents, as
    the reviewers' page shows it; its history is in the audit trail (`type=broker`)."""
    caller = api_reader()
    broker = accreditation.application(caller, broker_id)
    return {
        **broker_out(broker), "applied_at": broker.applied_at, "documents": broker.documents,
        "decision_reason": broker.decision_reason, "decided_at": broker.decided_at,
        "allowed_actions": api_actions.allowed_actions(caller, broker, DECISIONS, now=now()),
    }  # fmt: skip


@blp.read("/applications", ApplicationQueueSchema, 401, (403, "Only the market's reviewers see the applications."))  # fmt: skip
def applications() -> dict[str, Any]:
    """Applications waiting for accreditation, oldest first, with their documents, as the
    reviewers' queue shows them; decide one at `/<broker_id>/accredit` or `/refuse`."""
    with unit_of_work():
        queue = accreditation.broker_queue(api_reader())
        shown = [{**broker_out(b), "applied_at": b.applied_at, "documents": b.documents} for b in queue]  # fmt: skip
    return {"items": shown}


@blp.write("/deals/<int:deal_id>/ratings", 201, RatingOutSchema, 401, 404, (409, "The deal is not completed (`not_completed`) or already rated (`already_rated`)."), 422, args=RatingInSchema, example={"broker_id": 3, "score": 5, "comment": "撮合高效，材料准备专业。"})  # fmt: skip
def rate(data: dict[str, Any], deal_id: int) -> Rating:
    """A party of a completed deal rates its broker, once per deal (it shows on the profile)."""
    with unit_of_work():
        return ratings.rate_broker(
            api_writer(), deal_id, data["broker_id"], data["score"], data["comment"], now=now()
        )
