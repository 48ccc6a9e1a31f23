"""REST endpoints of technology needs (技术需求) and their matches: the same services as the pages.

Reads of open needs are public; writes take a bearer token (the API is exempt
from CSRF, so a cookie must not suffice); matches are for the need's enterprise
and its brokers.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from accounts.auth import BEARER_TOKEN, api_actor, api_reader, api_writer, require_token_for_writes
from core.clock import now
from core.uow import unit_of_work
from listings import needs
from listings.need_rules import NeedInput
from listings.need_schemas import (
    MyNeedsArgsSchema,
    NeedCloseSchema,
    NeedInputSchema,
    NeedOutSchema,
)
from listings.schemas import DomainErrorSchema

blp = Blueprint("needs_api", __name__, description="Technology needs (技术需求) and matching")


blp.before_request(require_token_for_writes)


@blp.route("/mine")
@blp.arguments(MyNeedsArgsSchema, location="query")
@blp.response(200, NeedOutSchema(many=True))
def mine(args: dict[str, Any]) -> Any:
    """The needs of the caller's organisation (?status=open|closed|withdrawn)."""
    return needs.needs_of(api_reader(), args["status"])


@blp.route("/<int:need_id>")
@blp.response(200, NeedOutSchema)
@blp.alt_response(404, schema=DomainErrorSchema)
def get(need_id: int) -> Any:
    """One need (open ones for everyone; others for its enterprise and reviewers)."""
    return needs.visible_need(api_actor(), need_id)


@blp.route("/", methods=["POST"])
@blp.arguments(NeedInputSchema)
@blp.response(201, NeedOutSchema)
@blp.alt_response(403, schema=DomainErrorSchema)
@blp.alt_response(422, schema=DomainErrorSchema)
@blp.doc(**BEARER_TOKEN)
def create(data: NeedInput) -> Any:
    """Post a need for the caller's enterprise (verified enterprises; Authorization: Bearer <token>)."""
    with unit_of_work():
        return needs.post_need(api_writer(), data, now=now())


@blp.route("/<int:need_id>", methods=["PUT"])
@blp.arguments(NeedInputSchema)
@blp.response(200, NeedOutSchema)
@blp.alt_response(403, schema=DomainErrorSchema)
@blp.alt_response(409, schema=DomainErrorSchema)
@blp.alt_response(422, schema=DomainErrorSchema)
@blp.doc(**BEARER_TOKEN)
def update(data: NeedInput, need_id: int) -> Any:
    """Replace an open need's content (its enterprise only)."""
    with unit_of_work():
        return needs.update_need(api_writer(), need_id, data, now=now())


@blp.route("/<int:need_id>/close", methods=["POST"])
@blp.arguments(NeedCloseSchema)
@blp.response(200, NeedOutSchema)
@blp.alt_response(403, schema=DomainErrorSchema)
@blp.alt_response(409, schema=DomainErrorSchema)
@blp.doc(**BEARER_TOKEN)
def close(data: dict[str, Any], need_id: int) -> Any:
    """Close an open need (met, or no longer needed), with an optional reason."""
    with unit_of_work():
        return needs.close_need(api_writer(), need_id, now=now(), reason=data["reason"])


@blp.route("/<int:need_id>/withdraw", methods=["POST"])
@blp.arguments(NeedCloseSchema)
@blp.response(200, NeedOutSchema)
@blp.alt_response(403, schema=DomainErrorSchema)
@blp.alt_response(409, schema=DomainErrorSchema)
@blp.doc(**BEARER_TOKEN)
def withdraw(data: dict[str, Any], need_id: int) -> Any:
    """Withdraw an open need from the market, with an optional reason."""
    with unit_of_work():
        return needs.withdraw_need(api_writer(), need_id, now=now(), reason=data["reason"])
