"""REST endpoints of saved searches (`/api/v1/saved-searches`): alerts of new listings.

The services are those of the search page's "save this search" and of /searches
(`search.alerts`). Each saved search is its owner's alone: reads take a token or the
browser session, writes a token only (the API is exempt from CSRF).
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from accounts.auth import api_reader, api_writer, token_api
from core.clock import now
from core.schema_kit import REQUIRED_NOT_NULL, InputSchema
from core.schema_out import out_fields, page_of
from core.uow import unit_of_work
from search import alerts
from search.backend import FACETS
from search.views import MAX_VALUES

blp = token_api(
    "saved_searches_api", __name__, "Saved searches: be told of newly published listings that match"
)


def _frequency() -> fields.String:
    """How often new results are told (required)."""
    return fields.String(
        required=True,
        error_messages=REQUIRED_NOT_NULL,
        validate=validate.OneOf(sorted(alerts.FREQUENCIES)),
        metadata={"description": "instant (email at once), daily (digest) or off (inbox only)"},
    )


@out_fields(integers="id", strings="name text frequency", datetimes="created_at")
class SavedSearchOutSchema(Schema):
    """A saved search: its words and facets, and how often new results are told."""

    filters = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


SavedSearchListSchema = page_of(
    SavedSearchOutSchema, "The caller's saved searches, newest first.", name="SavedSearchListSchema"
)


class SavedSearchInSchema(InputSchema):
    """A search to save: words, facet values (as the search page's filters), how often."""

    name = fields.String(load_default="", validate=validate.Length(max=alerts.NAME_CHARS))
    text = fields.String(load_default="", validate=validate.Length(max=200))
    filters = fields.Dict(
        keys=fields.String(validate=validate.OneOf(FACETS)),
        values=fields.List(fields.String(validate=validate.Length(max=100))),
        load_default=dict,
        metadata={"description": f"facet → values; facets: {', '.join(FACETS)}"},
    )
    frequency = _frequency()


class FrequencyInSchema(InputSchema):
    """How often a saved search tells of new results."""

    frequency = _frequency()


@blp.read("/", SavedSearchListSchema, 401)
def index() -> dict[str, Any]:
    """The caller's saved searches, newest first."""
    return {"items": alerts.saved_searches_of(api_reader())}


@blp.write(
    "/", 201, SavedSearchOutSchema, (422, "Bad filters, too many saved"), args=SavedSearchInSchema
)
def create(data: dict[str, Any]) -> Any:
    """Save a search: each newly published listing it matches is told as chosen."""
    filters = {facet: values[:MAX_VALUES] for facet, values in data["filters"].items()}
    with unit_of_work():
        return alerts.save_search(
            api_writer(),
            name=data["name"],
            text=data["text"],
            filters=filters,
            frequency=data["frequency"],
            now=now(),
        )


@blp.write(
    "/<int:saved_search_id>",
    200,
    SavedSearchOutSchema,
    (404, "Not the caller's"),
    422,
    args=FrequencyInSchema,
    method="PATCH",
)
def update(data: dict[str, Any], saved_search_id: int) -> Any:
    """Change how often the saved search tells of new results."""
    with unit_of_work():
        return alerts.set_frequency(api_writer(), saved_search_id, data["frequency"], now=now())


@blp.write(
    "/<int:saved_search_id>",
    200,
    SavedSearchListSchema,
    (404, "Not the caller's"),
    method="DELETE",
)
def delete(saved_search_id: int) -> dict[str, Any]:
    """Delete a saved search; the answer is what the caller still has saved."""
    user = api_writer()
    with unit_of_work():
        alerts.delete_search(user, saved_search_id, now=now())
    return {"items": alerts.saved_searches_of(user)}
