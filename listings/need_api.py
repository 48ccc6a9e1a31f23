"""REST endpoints of technology needs (技术需求) and their matches: the same services as the pages.

Reads of open needs are public; writes take a bearer token (the API is exempt
from CSRF, so a cookie must not suffice); matches are for the need's enterprise
and its brokers.
"""

from __future__ import annotations

from typing import Any

from accounts.auth import (
    api_actor,
    api_reader,
    api_writer,
    token_api,
)
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

blp = token_api("needs_api", __name__, "Technology needs (技术需求) and matching")


@blp.read("/mine", NeedOutSchema(many=True), args=MyNeedsArgsSchema)
def mine(args: dict[str, Any]) -> Any:
    """The needs of the caller's organisation (?status=open|closed|withdrawn)."""
    return needs.needs_of(api_reader(), args["status"])


@blp.read("/<int:need_id>", NeedOutSchema, 404)
def get(need_id: int) -> Any:
    """One need (open ones for everyone; others for its enterprise and reviewers)."""
    return needs.visible_need(api_actor(), need_id)


@blp.write("/", 201, NeedOutSchema, 403, 422, args=NeedInputSchema)
def create(data: NeedInput) -> Any:
    """Post a need for the caller's enterprise (verified enterprises; Authorization: Bearer <token>)."""
    with unit_of_work():
        return needs.post_need(api_writer(), data, now=now())


@blp.write("/<int:need_id>", 200, NeedOutSchema, 403, 409, 422, args=NeedInputSchema, method="PUT")
def update(data: NeedInput, need_id: int) -> Any:
    """Replace an open need's content (its enterprise only)."""
    with unit_of_work():
        return needs.update_need(api_writer(), need_id, data, now=now())


@blp.write("/<int:need_id>/close", 200, NeedOutSchema, 403, 409, args=NeedCloseSchema)
def close(data: dict[str, Any], need_id: int) -> Any:
    """Close an open need (met, or no longer needed), with an optional reason."""
    with unit_of_work():
        return needs.close_need(api_writer(), need_id, now=now(), reason=data["reason"])


@blp.write("/<int:need_id>/withdraw", 200, NeedOutSchema, 403, 409, args=NeedCloseSchema)
def withdraw(data: dict[str, Any], need_id: int) -> Any:
    """Withdraw an open need from the market, with an optional reason."""
    with unit_of_work():
        return needs.withdraw_need(api_writer(), need_id, now=now(), reason=data["reason"])
