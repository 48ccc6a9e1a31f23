"""REST endpoints of deals (flask-smorest, in the OpenAPI document): the services the pages use.

A deal is never cancelled by one party alone: see `/<id>/cancellations` (a proposal the
other party confirms, or a request a reviewer rules on; `confirm: true` on every step).

Reads accept a bearer token or the browser session; writes take a token only
(`Authorization: Bearer <token>`), since the API is exempt from CSRF.

An offline deal is registered with its contract in one request: the contract travels
base64-encoded inside the JSON (`contract.content_base64`), so a deal without its
evidence never exists, not even between two requests. Further documents (payment
receipts, the patent office's notice) are uploaded as multipart to `/<id>/documents`.
The contract's size is bounded by the request limit (MAX_CONTENT_LENGTH) after base64
growth (4/3) and by MAX_EVIDENCE_BYTES after decoding.
"""

from __future__ import annotations

import base64
import binascii
import io
from typing import Any

from flask import current_app
from werkzeug.wrappers import Response

from accounts.auth import (
    api_actor,
    api_reader,
    api_writer,
    token_api,
)
from core.api_documents import document_args
from core.clock import now
from core.domain import N_, ValidationFailed
from core.i18n import market_tz
from core.storage import ALLOWED_TYPES, area_folder
from core.uow import unit_of_work
from core.views_kit import send_stored
from deals import cancellation, documents, registration, services
from deals.cancel_schemas import (
    AnswerInSchema,
    CancellationInSchema,
    CancellationOutSchema,
    RulingInSchema,
)
from deals.cancellation_rules import CancellationKind
from deals.schemas import (
    DealDocumentOutSchema,
    DealListArgsSchema,
    DealOutSchema,
    DocumentFileSchema,
    DocumentFormSchema,
    MilestoneInSchema,
    OfflineDealInSchema,
    RegistrationOutSchema,
)

blp = token_api("deals_api", __name__, "Deals of both channels")


@blp.read("/", DealOutSchema(many=True), 401, args=DealListArgsSchema)
def list_deals(args: dict[str, Any]) -> Any:
    """The caller's deals (as seller or buyer); reviewers get every deal, filtered."""
    actor = api_reader()
    if actor.can_review:
        return services.all_deals(actor, **args)
    deals = services.deals_of(actor, whole=True)
    return [
        d
        for d in deals
        if all(args[name] is None or getattr(d, name) == args[name] for name in args)
    ]


@blp.read("/<int:deal_id>", DealOutSchema, 404)
def get_deal(deal_id: int) -> Any:
    """One deal, for its parties and the reviewers."""
    return services.visible_deal(api_actor(), deal_id)


@blp.read("/<int:deal_id>/registration", RegistrationOutSchema, 404)
def get_registration(deal_id: int) -> Any:
    """The technology-contract registration record (技术合同认定登记) of a deal."""
    deal = services.visible_deal(api_actor(), deal_id)
    return registration.record_for(deal, tz=market_tz())


@blp.write("/<int:deal_id>/milestones", 200, DealOutSchema, 409, 422, args=MilestoneInSchema)
def advance(data: dict[str, Any], deal_id: int) -> Any:
    """Record the next milestone: signed → paid → rights_registered (with `reference`) → completed.

    The seller or a reviewer records each step; the buyer may record its payment.
    """
    with unit_of_work():
        return services.advance(
            api_writer(), deal_id, data["status"], now=now(), reference=data.get("reference")
        )


@blp.read("/cancellations", CancellationOutSchema(many=True), (403, "Only the market's reviewers rule on requests."))  # fmt: skip
def pending_cancellations() -> Any:
    """Requests to cancel a deal that wait for a reviewer's ruling, oldest first, as the
    reviewers' queue shows them; rule at `/<deal_id>/cancellations/<id>/ruling`."""
    return cancellation.pending_rulings(api_reader())


@blp.read("/<int:deal_id>/cancellations", CancellationOutSchema(many=True), 404)
def list_cancellations(deal_id: int) -> Any:
    """Every proposal, request and ruling to cancel the deal, newest first."""
    deal = services.visible_deal(api_actor(), deal_id)
    return cancellation.history_of(deal.id)


@blp.write(
    "/<int:deal_id>/cancellations",
    201,
    CancellationOutSchema,
    403,
    404,
    409,
    422,
    args=CancellationInSchema,
)
def open_cancellation(data: dict[str, Any], deal_id: int) -> Any:
    """A party proposes to cancel by agreement (`kind: agreement`, `reason`) or asks a reviewer
    to rule (`kind: ruling`, `grounds`, `statement`); `confirm: true` is required.

    Nothing is cancelled yet: the other party confirms a proposal; a reviewer rules on a
    request and the party at fault forfeits its deposit.
    """
    with unit_of_work():
        if data["kind"] == CancellationKind.AGREEMENT:
            return cancellation.propose(api_writer(), deal_id, data["reason"], now=now())
        return cancellation.request_ruling(
            api_writer(), deal_id, data["grounds"], data["statement"], now=now()
        )


@blp.write(
    "/<int:deal_id>/cancellations/<int:cancellation_id>/answer",
    200,
    CancellationOutSchema,
    403,
    404,
    409,
    422,
    args=AnswerInSchema,
)
def answer_cancellation(data: dict[str, Any], deal_id: int, cancellation_id: int) -> Any:
    """The other party agrees (the deal is cancelled, deposits released) or declines a
    proposal; the party that asked withdraws. `confirm: true` is required."""
    with unit_of_work():
        return cancellation.answer(
            api_writer(), deal_id, cancellation_id, data["answer"], now=now(), note=data["note"]
        )


@blp.write(
    "/<int:deal_id>/cancellations/<int:cancellation_id>/ruling",
    200,
    CancellationOutSchema,
    403,
    404,
    409,
    422,
    args=RulingInSchema,
)
def rule_cancellation(data: dict[str, Any], deal_id: int, cancellation_id: int) -> Any:
    """A reviewer upholds a request (`at_fault`: `buyer` or `seller` forfeits its deposit,
    the deal is cancelled) or dismisses it (nothing changes). `confirm: true` is required."""
    with unit_of_work():
        return cancellation.rule(
            api_writer(),
            deal_id,
            cancellation_id,
            upheld=data["outcome"] == "upheld",
            at_fault=data["at_fault"],
            reason=data["reason"],
            now=now(),
        )


@blp.write(
    "/<int:deal_id>/documents",
    201,
    DealDocumentOutSchema,
    404,
    422,
    args=DocumentFormSchema,
    files=DocumentFileSchema,
)
def upload_document(form: dict[str, Any], files: dict[str, Any], deal_id: int) -> Any:
    """Attach a document (multipart: `kind`, `file`; PDF, PNG, JPEG or WebP)."""
    with unit_of_work():
        return documents.attach_document(
            api_writer(),
            deal_id,
            kind=form["kind"],
            now=now(),
            **document_args(files, area_folder("deals"), packed=True),
        )


@blp.download("/documents/<int:document_id>/file", ALLOWED_TYPES, "The document as uploaded (never served as active content); `?download=1` asks for it as an attachment")  # fmt: skip
def document_file(document_id: int) -> Response:
    """Download a deal's document (its parties and the reviewers), as its page does."""
    found = documents.document_for_download(api_reader(), document_id)
    return send_stored(area_folder("deals"), found)


def _decode_contract(contract: dict[str, Any]) -> documents.Upload:
    try:
        content = base64.b64decode(contract["content_base64"], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationFailed(
            N_("The contract must be sent as base64."), field="contract"
        ) from None
    return documents.Upload(io.BytesIO(content), contract["filename"])


@blp.write("/offline", 201, DealOutSchema, 403, 422, args=OfflineDealInSchema)
def register_offline(data: dict[str, Any]) -> Any:
    """A reviewer registers a deal closed at the physical market, with its signed contract.

    The contract is required and travels inside the JSON as
    `{"filename": "合同.pdf", "content_base64": "..."}`. Parties named by a credit code
    are linked to their organisations on the platform.
    """
    contract = _decode_contract(data.pop("contract"))
    entry = documents.OfflineEntry(**data)
    with unit_of_work():
        return documents.register_offline_deal_with_contract(
            api_writer(),
            entry,
            contract,
            folder=area_folder("deals"),
            max_bytes=current_app.config["MAX_EVIDENCE_BYTES"],
            now=now(),
        )
