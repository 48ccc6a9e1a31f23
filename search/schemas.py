"""Query strings and result pages of the search endpoints (listings' live in listings.schemas)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from listings.need_schemas import NeedOutSchema
from search.needs import NEED_SORTS


class NeedSearchArgsSchema(Schema):
    """Query string of GET /api/v1/needs."""

    class Meta:
        unknown = EXCLUDE

    q = fields.String(load_default="")
    sort = fields.String(load_default="relevance", validate=validate.OneOf(list(NEED_SORTS)))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    field = fields.List(fields.String(), load_default=list)
    ipc_section = fields.List(fields.String(), load_default=list)
    transfer_mode = fields.List(fields.String(), load_default=list)
    region = fields.List(fields.String(), load_default=list)
    budget_band = fields.List(fields.String(), load_default=list)


class NeedSearchPageSchema(Schema):
    """A page of open needs with the facet counts of all matches."""

    items = fields.List(fields.Nested(NeedOutSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    facets = fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer())
    )
