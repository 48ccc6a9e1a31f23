"""REST endpoints of inventors' rewards (`/api/v1/rewards`): an inventor's statement for the
institution's administrators and the inventor; the institution's completed deals with their
rewards (the `/rewards` page's list) and setting a completed deal's reward."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate
from werkzeug.wrappers import Response

from accounts.auth import api_reader, api_writer, token_api
from accounts.models import User
from core import api_actions, cursor
from core.clock import now
from core.schema_out import out_fields, page_of
from core.uow import unit_of_work
from core.views_kit import download
from rewards import export, royalties, services
from rewards.models import DealReward
from rewards.rules import CostCategory

blp = token_api("rewards_api", __name__, "Inventors' rewards (促进科技成果转化法 Art. 45)")

_AMOUNT = validate.Range(0, 10**14)


class AwardInSchema(Schema):
    """The deal's costs in 分, by category; those the policy does not allow are ignored."""

    fees_minor = fields.Integer(load_default=0, validate=_AMOUNT)
    commissions_minor = fields.Integer(load_default=0, validate=_AMOUNT)
    maintenance_minor = fields.Integer(load_default=0, validate=_AMOUNT)
    valuation_minor = fields.Integer(load_default=0, validate=_AMOUNT)


@out_fields(integers="inventor_id share_bp amount_minor")
class RewardLineOutSchema(Schema):
    """An inventor's part of the pool."""

    name = fields.Function(lambda line: line.inventor.name)


@out_fields(integers="deal_id price_minor net_minor pool_minor", strings="currency")
class RewardOutSchema(Schema):
    """A deal's reward: price, costs, net income, share, pool and the inventors' parts."""

    costs = fields.Dict(keys=fields.String(), values=fields.Integer())
    share_bp = fields.Integer(metadata={"description": "The pool's share of net income, basis points"})  # fmt: skip
    lines = fields.List(fields.Nested(RewardLineOutSchema))


@out_fields(integers="deal_id price_minor", strings="title buyer_name currency contract_type", datetimes="completed_at?")  # fmt: skip
class CompletedDealOutSchema(Schema):
    """A completed transfer or licence of the institution and its reward, as `/rewards` lists it."""

    listing_id = fields.Integer(allow_none=True, metadata={"description": "The result sold; its inventors are at `/listings/<listing_id>/inventors`"})  # fmt: skip
    reward = fields.Nested(RewardOutSchema, allow_none=True, metadata={"description": "null until the reward is set"})  # fmt: skip
    allowed_actions = fields.List(fields.String(validate=validate.OneOf(["award"])), metadata={"description": "award: set the reward (`POST /deals/<deal_id>`)"})  # fmt: skip


CompletedDealPageSchema = page_of(
    CompletedDealOutSchema,
    "A page of the completed deals, newest completion first; `next_cursor` is None on the last page.",
    name="CompletedDealPageSchema",
    cursor=True,
)


@out_fields(strings="title buyer_name", datetimes="awarded_at")
class RoyaltyRewardOutSchema(RewardOutSchema):
    """A royalty's pool, as the rewards page's table of royalties shows it: `price_minor` is
    the royalty's income to the institution (less the co-owners' shares)."""

    title = fields.String(attribute="deal.title")
    buyer_name = fields.String(attribute="deal.buyer_name", metadata={"description": "The licensee"})  # fmt: skip
    royalty_period = fields.Function(lambda reward: reward.royalty_report.period_index + 1, metadata={"type": "integer", "description": "The royalty's period (1, 2, …)"})  # fmt: skip


RoyaltyRewardListSchema = page_of(
    RoyaltyRewardOutSchema,
    "The royalties' pools, newest first (at most 200, as the page lists them).",
    name="RoyaltyRewardListSchema",
)


@out_fields(integers="deal_id net_minor pool_minor share_bp amount_minor", strings="title")
class RewardStatementLineSchema(Schema):
    """One deal of the statement."""

    royalty_period = fields.Integer(
        allow_none=True, metadata={"description": "The royalty's period (1, 2, …); null: the price"}
    )


@out_fields(integers="inventor_id listing_id total_minor", strings="name")
class RewardStatementOutSchema(Schema):
    """An inventor's statement: each deal rewarded and the total."""

    items = fields.List(fields.Nested(RewardStatementLineSchema))


class InventorRefSchema(Schema):
    """Where the caller is named as an inventor: its statement is at `/inventors/<inventor_id>`."""

    inventor_id = fields.Integer(attribute="id")
    name = fields.String()
    listing_id = fields.Integer()
    share_bp = fields.Integer(metadata={"description": "The inventor's share of the pool, in basis points"})  # fmt: skip


class MyInventorsSchema(Schema):
    """The results where the caller is named as an inventor."""

    items = fields.List(fields.Nested(InventorRefSchema))


@blp.read("/inventors", MyInventorsSchema, 401)
def my_statements() -> dict[str, Any]:
    """Where the caller is named as an inventor, as "my reward statements" lists them."""
    return {"items": services.inventor_rows_of(api_reader())}


@blp.read("/inventors/<int:inventor_id>", RewardStatementOutSchema, 401, 404)
def statement(inventor_id: int) -> dict[str, Any]:
    """An inventor's statement (the institution's administrators and the inventor)."""
    inventor, rows = services.statement(api_reader(), inventor_id)
    items = [
        {"deal_id": deal.id, "title": deal.title, "net_minor": reward.net_minor,
         "royalty_period": reward.royalty_report.period_index + 1 if reward.royalty_report else None,
         "pool_minor": reward.pool_minor, "share_bp": line.share_bp, "amount_minor": line.amount_minor}
        for line, reward, deal in rows
    ]  # fmt: skip
    return {
        "inventor_id": inventor.id, "name": inventor.name, "listing_id": inventor.listing_id,
        "items": items, "total_minor": sum(i["amount_minor"] for i in items),
    }  # fmt: skip


@blp.download("/inventors/<int:inventor_id>.csv", ("text/csv",), "The statement as CSV, the same as the statement's page gives")  # fmt: skip
def statement_csv(inventor_id: int) -> Response:
    """An inventor's statement as CSV (the institution's administrators and the inventor)."""
    inventor, rows = services.statement(api_reader(), inventor_id)
    return download(
        export.statement_csv(inventor, rows), export.CSV_TYPE, export.file_name(inventor)
    )


COMPLETED = "rewarded-deals"  # the cursor kind of the completed deals
_ADMINS = (403, "Only the administrators of a university or research institute read its rewards.")
# What the caller may do to a completed deal now (`core.api_actions`): the award's own check.
ACTIONS: dict[str, api_actions.Check] = {
    "award": lambda caller, row, _at: services.check_award(caller, row.deal),
}


def _completed_out(caller: User, row: services.CompletedDeal) -> dict[str, Any]:
    deal = row.deal
    return {
        "deal_id": deal.id, "title": deal.title, "buyer_name": deal.buyer_name,
        "contract_type": deal.contract_type.value, "price_minor": deal.price_minor,
        "currency": deal.currency, "completed_at": deal.completed_at, "listing_id": deal.listing_id,
        "reward": row.reward, "allowed_actions": api_actions.allowed_actions(caller, row, ACTIONS, now=now()),
    }  # fmt: skip


@blp.read("/deals", CompletedDealPageSchema, _ADMINS, args=cursor.PageArgsSchema)
def completed_deals(args: dict[str, Any]) -> dict[str, Any]:
    """The institution's completed transfers and licences with their rewards, as the rewards
    page lists them (newest completion first), a page at a time (`?cursor=…&limit=…`)."""
    page = cursor.page_of(COMPLETED, args)
    caller = api_reader()
    rows = services.completed_deals(caller, after=page.before, limit=page.limit + 1)
    return {
        "items": [_completed_out(caller, row) for row in rows[: page.limit]],
        "next_cursor": cursor.next_cursor(COMPLETED, [row.deal.id for row in rows], page.limit),
    }


@blp.read("/royalties", RoyaltyRewardListSchema, _ADMINS)
def royalty_rewards() -> dict[str, Any]:
    """The pools set on the institution's licence royalties as they were posted, newest
    first, as the rewards page lists them."""
    return {"items": royalties.royalty_rewards(api_reader())}


@blp.write("/deals/<int:deal_id>", 201, RewardOutSchema, 401, 403, 404, 409, 422, args=AwardInSchema, example={"fees_minor": 500000, "maintenance_minor": 120000})  # fmt: skip
def award(data: dict[str, Any], deal_id: int) -> DealReward:
    """Set a completed transfer's or licence's reward: net income, pool, split, ledger (once)."""
    costs = {c: data[f"{c.value}_minor"] for c in CostCategory}
    with unit_of_work():
        return services.award(api_writer(), deal_id, costs, now=now())
