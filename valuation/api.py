"""REST endpoints of valuation (flask-smorest, in the OpenAPI document).

Compute an indicative valuation (and save it, for the seller), request formal reports,
follow and act on requests, read valuations. Writes take a bearer token
(`Authorization: Bearer <token>`), since the API is exempt from CSRF; reads also
accept the browser session.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate
from werkzeug.wrappers import Response

from accounts.auth import api_actor, api_caller, api_reader, token_api
from core.clock import now
from core.domain import N_, NotFound, PermissionDenied
from core.schema_kit import InputSchema
from core.schema_out import out_fields
from core.uow import unit_of_work
from listings import services as listings
from valuation import queries, report_file, requests, services, sharing
from valuation.models import ReportShare, Valuation, ValuationRequest
from valuation.rules import Purpose
from valuation.schemas import (
    ComputedSchema,
    ComputeInSchema,
    DeclineInSchema,
    ReportInSchema,
    RequestInSchema,
    RequestOutSchema,
    RequestPageSchema,
    ValuationOutSchema,
)

blp = token_api("valuation_api", __name__, "Valuation (评估): indicative valuations and reports")


@blp.write(
    "/indicative",
    200,
    ComputedSchema,
    (403, "Not the seller nor a valuer"),
    422,
    args=ComputeInSchema,
)
def compute(data: dict[str, Any]) -> dict[str, Any]:
    """Compute an indicative valuation of a listing (income, market, cost; reconciled range).

    Amounts are minor units (分), rates basis points (1% = 100). With `save: true` the
    seller keeps it and the listing shows its range.
    """
    actor = api_caller()
    moment = now()
    saved_id = None
    if data["save"]:
        with unit_of_work():
            saved = services.save_indicative(actor, data["listing_id"], data["inputs"], now=moment)
        result, currency, saved_id = saved.result, saved.currency, saved.id
    else:
        listing, result = services.compute(actor, data["listing_id"], data["inputs"], now=moment)
        currency = listing.currency
    return {
        "listing_id": data["listing_id"],
        "kind": "indicative",
        "currency": currency,
        "range": result["reconciled"]["range"],
        "result": result,
        "id": saved_id,
    }


@blp.read("/<int:valuation_id>", ValuationOutSchema, 404)
def get(valuation_id: int) -> Valuation:
    """One valuation or formal report, as issued (buyer-side reports only to the buyer)."""
    return queries.visible_valuation(api_actor(), valuation_id)


@blp.download("/<int:valuation_id>/report.pdf", ("application/pdf",), "The valuation (report) as a PDF in the caller's language (Accept-Language), as its page gives")  # fmt: skip
def report_pdf(valuation_id: int) -> Response:
    """The valuation as a PDF, for whoever may read the valuation itself."""
    return report_file.pdf_response(queries.visible_valuation(api_actor(), valuation_id))


@blp.read(
    "/listings/<int:listing_id>/latest",
    ValuationOutSchema,
    (404, "No valuation shown on the listing"),
)
def latest(listing_id: int) -> Valuation:
    """The valuation the listing page shows: the newest seller-side one, indicative or formal."""
    listings.visible_listing(api_actor(), listing_id)
    valuation = queries.latest_for_listing(listing_id)
    if valuation is None:
        raise NotFound(N_("No such valuation."))
    return valuation


@blp.read("/requests", RequestPageSchema)
def my_requests() -> dict[str, Any]:
    """The valuation requests of the caller's organisation, newest first."""
    return {"items": queries.requests_of(api_caller())}


class ValuerQueueSchema(Schema):
    """A valuer's queue: open requests to take (oldest first), and their own (latest first)."""

    open = fields.List(fields.Nested(RequestOutSchema))
    mine = fields.List(fields.Nested(RequestOutSchema))


class SharedReportsSchema(Schema):
    """The reports shared now with the caller's bank, newest share first."""

    items = fields.List(fields.Nested(ValuationOutSchema))


@blp.read("/queue", ValuerQueueSchema, 401, (403, "Only the market's valuers (reviewers and accredited brokers) see the queue."))  # fmt: skip
def queue() -> dict[str, Any]:
    """The valuers' queue, as its page shows it: open requests anyone may take (not those
    the valuer is conflicted on), and the ones the valuer works on or finished."""
    return requests.valuer_queue(api_reader(), now=now())


@blp.read("/shared", SharedReportsSchema, 401, (403, "Only members of a verified partner bank see the reports shared with it."))  # fmt: skip
def shared_with_bank() -> dict[str, Any]:
    """A partner bank's members: the reports shared with the bank (for a pledge loan), as
    the bank's page lists them."""
    actor = api_reader()
    if not sharing.is_bank_member(actor):
        raise PermissionDenied(N_("Only members of a partner bank see the reports shared with it."))
    return {"items": sharing.reports_shared_with(actor)}


@blp.write(
    "/requests",
    201,
    RequestOutSchema,
    403,
    (409, "An open request exists"),
    422,
    args=RequestInSchema,
)
def create_request(data: dict[str, Any]) -> ValuationRequest:
    """Request a formal valuation report of a listing (as its seller or as a buyer)."""
    with unit_of_work():
        return requests.request_valuation(
            api_caller(), data["listing_id"], data["purpose"], now=now(),
            purpose_kind=Purpose(data["purpose_kind"]),
        )  # fmt: skip


@blp.read("/requests/<int:request_id>", RequestOutSchema, 404)
def get_request(request_id: int) -> ValuationRequest:
    """A request the caller may see (its organisation's, or one open to valuers)."""
    return requests.visible_request(api_caller(), request_id, now=now())


@blp.write("/requests/<int:request_id>/take", 200, RequestOutSchema, 403, 409)
def take(request_id: int) -> ValuationRequest:
    """A valuer (reviewer or accredited broker) takes an open request."""
    with unit_of_work(writer=True):
        return requests.take_request(api_caller(), request_id, now=now())


@blp.write(
    "/requests/<int:request_id>/decline", 200, RequestOutSchema, 403, 409, args=DeclineInSchema
)
def decline(data: dict[str, Any], request_id: int) -> ValuationRequest:
    """The valuer who took a request declines it, with a reason (403/409 for anyone else)."""
    with unit_of_work(writer=True):
        return requests.decline_request(api_caller(), request_id, data["reason"], now=now())


@blp.write("/requests/<int:request_id>/withdraw", 200, RequestOutSchema, 403, 409)
def withdraw(request_id: int) -> ValuationRequest:
    """The requesting organisation withdraws its request."""
    with unit_of_work(writer=True):
        return requests.withdraw_request(api_caller(), request_id, now=now())


@blp.write(
    "/requests/<int:request_id>/report", 201, ValuationOutSchema, 403, 409, 422, args=ReportInSchema
)
def issue(data: dict[str, Any], request_id: int) -> Valuation:
    """The assigned valuer issues the signed formal report."""
    with unit_of_work(writer=True):
        return requests.issue_report(
            api_caller(), request_id, data["inputs"], data["opinion"], now=now()
        )


class ShareInSchema(InputSchema):
    """The partner bank (an organisation of kind `bank`) to share the report with."""

    bank_org_id = fields.Integer(required=True, strict=True, validate=validate.Range(1, 2**31 - 1))


@out_fields(integers="valuation_id bank_org_id", datetimes="shared_at revoked_at?")
class ShareOutSchema(Schema):
    """A report shared with a bank: since when, and when taken back (if it was)."""

    bank = fields.Function(lambda s: s.bank.name)


@blp.write("/<int:valuation_id>/shares", 201, ShareOutSchema, 403, 404, 422, args=ShareInSchema)
def share(data: dict[str, Any], valuation_id: int) -> ReportShare:
    """The owner shares a formal report with a partner bank (知识产权质押融资)."""
    with unit_of_work():
        return sharing.share(api_caller(), valuation_id, data["bank_org_id"], now=now())


@blp.write("/<int:valuation_id>/shares/<int:bank_org_id>/revoke", 200, ShareOutSchema, 403, 404)
def unshare(valuation_id: int, bank_org_id: int) -> ReportShare:
    """The owner takes the report back: the bank no longer reads it."""
    with unit_of_work():
        return sharing.unshare(api_caller(), valuation_id, bank_org_id, now=now())
