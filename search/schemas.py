"""Query strings and result pages of the search endpoints (listings' live in listings.schemas)."""

from __future__ import annotations

from marshmallow import fields, validate

from listings.need_schemas import NeedOutSchema
from listings.schemas import ResultPageSchema, SearchQuerySchema, facet
from search.needs import NEED_SORTS


class NeedSearchArgsSchema(SearchQuerySchema):
    """Query string of GET /api/v1/needs."""

    sort = fields.String(load_default="relevance", validate=validate.OneOf(list(NEED_SORTS)))
    region = facet()
    budget_band = facet()


class NeedSearchPageSchema(ResultPageSchema):
    """A page of open needs with the facet counts of all matches."""

    items = fields.List(fields.Nested(NeedOutSchema))
