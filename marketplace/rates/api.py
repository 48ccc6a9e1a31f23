"""The reference rates in force (`GET /api/v1/rates`): public, no token needed; the market's
administrators set a rate or import a CSV file of them with a write token."""

from __future__ import annotations

from typing import Any

from flask_smorest.fields import Upload as UploadField
from marshmallow import Schema, fields, validate

from accounts.auth import api_writer, token_api
from core import rates
from core.clock import now
from core.marshmallow_messages import REQUIRED
from core.schema_kit import REQUIRED_NOT_NULL, InputSchema
from core.uow import unit_of_work
from marketplace.rates import services
from marketplace.rates.views import market_today

blp = token_api(
    "rates_api", __name__, "Reference exchange rates (参考汇率): yuan per unit, each with its day"
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


class RateInSchema(InputSchema):
    """One currency's rate of a day, yuan per unit as decimal text."""

    currency = fields.String(required=True, error_messages=REQUIRED, validate=validate.OneOf(services.CURRENCIES))  # fmt: skip
    yuan = fields.String(required=True, error_messages=REQUIRED, validate=validate.Length(1, 24), metadata={"example": "7.1234"})  # fmt: skip
    on = fields.Date(required=True, error_messages=REQUIRED)


class RatesFileSchema(Schema):
    """A CSV file (multipart): a header line, then `date,currency,yuan` lines."""

    file = UploadField(required=True, error_messages=REQUIRED_NOT_NULL)


class ImportedOutSchema(Schema):
    """How many rates the file set."""

    count = fields.Integer()


@blp.write("/", 200, RateOutSchema, 401, 403, 422, args=RateInSchema, example={"currency": "USD", "yuan": "7.1234", "on": "2026-03-02"})  # fmt: skip
def set_rate(data: dict[str, Any]) -> dict[str, Any]:
    """Set one currency's rate of a day, replacing that day's (administrators of the market)."""
    with unit_of_work():
        rate = services.set_rate(api_writer(), data["currency"], data["yuan"], data["on"], now=now())  # fmt: skip
        return {"currency": rate.currency, "yuan": str(rate.yuan), "on": rate.on}


@blp.write("/import", 200, ImportedOutSchema, 401, 403, 413, 422, files=RatesFileSchema)
def import_file(files: dict[str, Any]) -> dict[str, Any]:
    """Import a CSV file of rates, whole or not at all (administrators of the market)."""
    content = files["file"].stream.read(services.MAX_IMPORT_BYTES + 1)
    with unit_of_work():
        return {"count": services.import_rates(api_writer(), content, now=now()).count}
