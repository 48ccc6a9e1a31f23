"""REST endpoints of an institution's reward rules, attached to the rewards API blueprint:
its administrators set the reward policy (the share of net income and the costs deducted)
and name a listing's inventors with their contribution shares."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from accounts.auth import api_reader, api_writer
from core.clock import now
from core.marshmallow_messages import REQUIRED
from core.schema_kit import InputSchema, optional
from core.schema_out import out_fields
from core.uow import unit_of_work
from listings.services import visible_listing
from rewards import services
from rewards.api import blp
from rewards.models import ListingInventor
from rewards.rules import MAX_INVENTORS, WHOLE_BP, CostCategory

_COSTS = [c.value for c in CostCategory]


class RewardPolicyInSchema(InputSchema):
    """The institution's share of net income for inventors, and the costs it deducts."""

    # The rules name the share `share`: their refusals then name this field.
    share_bp = fields.Integer(required=True, error_messages=REQUIRED, attribute="share", validate=validate.Range(0, WHOLE_BP), metadata={"description": "Basis points of net income; at least the statutory floor"})  # fmt: skip
    allowed_costs = fields.List(fields.String(validate=validate.OneOf(_COSTS)), load_default=list, validate=validate.Length(max=len(_COSTS)))  # fmt: skip


class RewardPolicyOutSchema(Schema):
    """The reward terms that apply to the caller's institution."""

    share_bp = fields.Integer()
    allowed_costs = fields.List(fields.String())
    own = fields.Boolean(metadata={"description": "False: the statutory floor applies"})


class InventorInSchema(Schema):
    """An inventor: name, contribution share, and the e-mail of an account to link."""

    name = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, 100))
    share_bp = fields.Integer(required=True, error_messages=REQUIRED, validate=validate.Range(0, WHOLE_BP))  # fmt: skip
    email = optional(fields.String, validate=validate.Length(max=254))


class InventorsInSchema(InputSchema):
    """The listing's inventors, their shares adding up to 100 % (10,000 basis points)."""

    inventors = fields.List(fields.Nested(InventorInSchema), required=True, error_messages=REQUIRED, validate=validate.Length(1, MAX_INVENTORS))  # fmt: skip


@out_fields(integers="id position share_bp user_id?", strings="name")
class InventorOutSchema(Schema):
    """An inventor as named, with the account linked, if any."""


class InventorsOutSchema(Schema):
    """A listing's inventors in the order named."""

    listing_id = fields.Integer()
    inventors = fields.List(fields.Nested(InventorOutSchema))


def _terms(org_id: int | None) -> dict[str, Any]:
    share_bp, allowed = services.terms_of(org_id or 0)
    own = org_id is not None and services.policy_of(org_id) is not None
    return {"share_bp": share_bp, "allowed_costs": sorted(c.value for c in allowed), "own": own}


@blp.read("/policy", RewardPolicyOutSchema, 401)
def reward_policy() -> dict[str, Any]:
    """The reward terms of the caller's institution (its own policy, else the statute's)."""
    return _terms(api_reader().acting_org_id)


@blp.write("/policy", 200, RewardPolicyOutSchema, 401, 403, (409, "The share is below the statutory floor (`below_floor`)."), 422, args=RewardPolicyInSchema, method="PUT", example={"share_bp": 7_000, "allowed_costs": ["fees", "maintenance"]})  # fmt: skip
def set_reward_policy(data: dict[str, Any]) -> dict[str, Any]:
    """An administrator of the institution sets its reward policy (never below the floor)."""
    allowed = frozenset(CostCategory(c) for c in data["allowed_costs"])
    with unit_of_work():
        writer = api_writer()
        services.set_policy(writer, data["share"], allowed, now=now())
        return _terms(writer.acting_org_id)


def _inventors(listing_id: int, rows: list[ListingInventor]) -> dict[str, Any]:
    return {"listing_id": listing_id, "inventors": rows}


@blp.read("/listings/<int:listing_id>/inventors", InventorsOutSchema, 401, 403, 404)
def inventors(listing_id: int) -> dict[str, Any]:
    """A listing's inventors and their shares, for the institution's administrators."""
    caller = api_reader()
    listing = visible_listing(caller, listing_id)
    services.require_admin_of(caller, listing.organisation_id)
    return _inventors(listing_id, services.inventors_of(listing_id))


@blp.write("/listings/<int:listing_id>/inventors", 200, InventorsOutSchema, 401, 403, 404, (409, "Rewards were paid to these inventors (`inventors_rewarded`)."), 422, args=InventorsInSchema, method="PUT", example={"inventors": [{"name": "王伟", "share_bp": 6_000, "email": "wang.wei@example.edu.cn"}, {"name": "李娜", "share_bp": 4_000, "email": None}]})  # fmt: skip
def set_inventors(data: dict[str, Any], listing_id: int) -> dict[str, Any]:
    """Name the listing's inventors and their contribution shares (the list replaces the
    one before, until a reward has been paid to them)."""
    named = [services.NewInventor(i["name"], i["share_bp"], i["email"]) for i in data["inventors"]]
    with unit_of_work():
        return _inventors(listing_id, services.set_inventors(api_writer(), listing_id, named, now=now()))  # fmt: skip
