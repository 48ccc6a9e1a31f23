"""Output schemas said briefly (`out_fields`, `page_of`) answer as if every field were declared."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from types import SimpleNamespace

import pytest
from marshmallow import Schema, ValidationError, fields

from core.schema_kit import InputSchema, optional
from core.schema_out import out_fields, page_of, plain_dumper


class Colour(Enum):
    RED = "red"


@out_fields(integers="id price_minor?", strings="title", datetimes="closed_at?", enums="colour")
class ThingOutSchema(Schema):
    """A thing."""

    title = fields.String(attribute="name")  # the class's own field wins


THINGS = page_of(ThingOutSchema, "Things.", name="ThingPageSchema", cursor=True)


def test_named_fields_dump_by_type_and_nullable_ones_may_be_null() -> None:
    thing = SimpleNamespace(id=3, price_minor=None, name="Pump", closed_at=None, colour=Colour.RED)
    assert ThingOutSchema().dump(thing) == {
        "id": 3,
        "price_minor": None,
        "title": "Pump",
        "closed_at": None,
        "colour": "red",
    }
    closed = SimpleNamespace(**{**vars(thing), "closed_at": datetime(2027, 1, 2, tzinfo=UTC)})
    assert ThingOutSchema().dump(closed)["closed_at"] == "2027-01-02T00:00:00+00:00"


def test_a_page_lists_its_items_and_the_next_cursor() -> None:
    thing = SimpleNamespace(id=1, price_minor=5, name="Valve", closed_at=None, colour=Colour.RED)
    page = THINGS().dump({"items": [thing], "next_cursor": None})
    assert THINGS.__name__ == "ThingPageSchema"
    assert page["items"][0]["title"] == "Valve"
    assert page["next_cursor"] is None


def test_an_optional_input_is_none_when_left_out_and_keeps_its_options() -> None:
    class FilterSchema(InputSchema):
        min_minor = optional(fields.Integer, strict=True)

    assert FilterSchema().load({}) == {"min_minor": None}
    assert FilterSchema().load({"min_minor": None}) == {"min_minor": None}
    with pytest.raises(ValidationError):
        FilterSchema().load({"min_minor": "12"})


def test_a_plain_dumper_gives_what_the_schema_dumps() -> None:
    from auctions.api_schemas import AuctionDetailSchema
    from auctions.schemas import BidResultSchema

    bid = {"amount_minor": 5, "bidder_number": None, "mine": True, "bidder_org_id": None}
    detail = {
        "id": 7, "title": "泵", "status": "running", "current_price_minor": None,
        "leader_mine": False, "bids": [bid, {**bid, "placed_at": "2026-03-02T01:30:00+00:00"}],
        "allowed_actions": ["bid", "watch"], "my_max_minor": True, "seconds_left": 2.0,
        "not_in_the_schema": 1, "announced_at": None, "refusal_reason": 3,
    }  # fmt: skip
    assert plain_dumper(AuctionDetailSchema)(detail) == AuctionDetailSchema().dump(detail)
    result = {"auction_etag": None, "leading": True, "bids": [], "ends_at": "x", "extra": 1}
    assert plain_dumper(BidResultSchema)(result) == BidResultSchema().dump(result)


def test_a_plain_dumper_refuses_a_schema_it_would_dump_otherwise() -> None:
    with pytest.raises(TypeError):
        plain_dumper(ThingOutSchema)  # a renamed field, datetimes, enums
