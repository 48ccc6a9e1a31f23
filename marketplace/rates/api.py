"""The reference rates in force (`GET /api/v1/rates`): public, no token needed."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from accounts.auth import BEARER_TOKEN
from core import rates
from core.api_kit import ApiBlueprint
from core.schema_kit import InputSchema
from marketplace.rates.views import market_today

blp = ApiBlueprint(
    "rates_api",
    __name__,
    description="Reference exchange rates (参考汇率): yuan per unit, each with its day",
    write_doc=BEARER_TOKEN,
)


class RateOutSchema(Schema):
    """One currency's rate: a decimal string, never a float."""

    currency = fields.String(required=True, metadata={"example": "USD"})
    yuan = fields.String(
        required=True,
        metadata={"description": "Yuan per unit, as decimal text", "example": "7.1234"},
    )
    on = fields.Date(required=True, metadata={"description": "The day the rate was set for"})


class RatesOutSchema(Schema):
    """The rates in force on a day (each currency's latest on or before it)."""

    on = fields.Date(required=True)
    items = fields.List(fields.Nested(RateOutSchema), required=True)


class RatesArgsSchema(InputSchema):
    """The day asked for; today on the market's calendar when left out."""

    on = fields.Date(load_default=None)


@blp.read("/", RatesOutSchema, args=RatesArgsSchema)
def current(args: dict[str, Any]) -> dict[str, Any]:
    """The reference rates in force on a day, with the day each was set for."""
    day = args.get("on") or market_today()
    return {
        "on": day,
        "items": [
            {"currency": r.currency, "yuan": str(r.yuan), "on": r.on} for r in rates.latest(day)
        ],
    }
