"""The search endpoints of the REST API: GET /api/v1/listings/ and GET /api/v1/needs/.

They are routes of the listings' and the needs' API blueprints that search
contributes (listings sit below search and must not import it), so their URLs,
endpoint names and OpenAPI tags stay those of listings and needs.
"""

from __future__ import annotations

from typing import Any

from core.i18n import current_locale
from listings.api import blp
from listings.need_api import blp as needs_blp
from listings.schemas import SearchArgsSchema, SearchPageSchema
from search.backend import FACETS, SearchQuery
from search.needs import NEED_FACETS
from search.schemas import NeedSearchArgsSchema, NeedSearchPageSchema
from search.services import (
    listings_for,
    make_need_query,
    needs_for,
    pick_highlight,
    run_need_search,
    search_listings,
)


@blp.read("/", SearchPageSchema, args=SearchArgsSchema, endpoint="search", kept=True)
def listing_search(args: dict[str, Any]) -> dict[str, Any]:
    """Search published listings: text, facet filters, sort and page, with facet counts."""
    query = SearchQuery(
        text=args["q"],
        filters={name: tuple(args[name]) for name in FACETS if args[name]},
        sort=args["sort"],
        page=args["page"],
        per_page=args["per_page"],
    )
    result = search_listings(query)
    by_id = listings_for(result.hits)
    locale = current_locale()
    items = []
    for hit in result.hits:
        listing = by_id.get(hit.id)
        if listing is not None:
            listing.highlights = {  # type: ignore[attr-defined]  # for the page schema
                part: pick_highlight(hit, part, locale) for part in ("title", "summary")
            }
            items.append(listing)
    return {
        "items": items,
        "total": result.total,
        "page": args["page"],
        "per_page": args["per_page"],
        "facets": result.facets,
    }


@needs_blp.read("/", NeedSearchPageSchema, args=NeedSearchArgsSchema, endpoint="search", kept=True)
def need_search(args: dict[str, Any]) -> dict[str, Any]:
    """Search open needs: text, facet filters (field, ipc_section, transfer_mode, region, budget_band), sort, page."""
    query = make_need_query(
        text=args["q"],
        filters={facet: args[facet] for facet in NEED_FACETS if args[facet]},
        sort=args["sort"],
        page=args["page"],
        per_page=args["per_page"],
    )
    result = run_need_search(query).result
    by_id = needs_for(result.hits)
    items = []
    for hit in result.hits:
        need = by_id.get(hit.id)
        if need is not None:
            need.highlights = hit.highlights  # type: ignore[attr-defined]
            items.append(need)
    return {
        "items": items,
        "total": result.total,
        "page": query.page,
        "per_page": query.per_page,
        "facets": result.facets,
    }
