"""Use cases of search, shared by the HTML page (search.views) and the REST API (listings.api)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select

from listings.models import Listing
from listings.rules import ListingStatus
from marketplace.extensions import db
from search.backend import FACETS, SORTS, SearchBackend, SearchHit, SearchQuery, SearchResult
from search.indexer import drain, has_pending

log = logging.getLogger(__name__)
MAX_PER_PAGE = 100
MAX_TEXT = 200


def make_query(
    text: str | None = "",
    filters: dict[str, Sequence[str]] | None = None,
    sort: str | None = "relevance",
    page: int | None = 1,
    per_page: int | None = 20,
) -> SearchQuery:
    """A SearchQuery from loosely typed input: unknown facets and sorts dropped, bounds clamped."""
    clean: dict[str, tuple[str, ...]] = {}
    for facet, values in (filters or {}).items():
        if facet in FACETS:
            kept = tuple(dict.fromkeys(str(v) for v in values if str(v).strip()))
            if kept:
                clean[facet] = kept
    return SearchQuery(
        text=(text or "").strip()[:MAX_TEXT],
        filters=clean,
        sort=sort if sort in SORTS else "relevance",
        page=max(1, int(page or 1)),
        per_page=max(1, min(int(per_page or 20), MAX_PER_PAGE)),
    )


def search_listings(query: SearchQuery, *, backend: SearchBackend | None = None) -> SearchResult:
    """Search published listings; first applies pending index events, so results are current.

    A failing drain is logged and leaves its events pending: the search still
    answers from the index as it is.
    """
    if backend is None:
        from search import get_backend

        backend = get_backend()
    try:
        if has_pending():
            drain(backend)
    except Exception:
        log.exception("search: draining pending index events failed")
        db.session.rollback()
    return backend.search(query)


def listings_for(hits: Sequence[SearchHit]) -> dict[int, Listing]:
    """The published listings behind `hits`, by id (the database, not the index, has the facts)."""
    ids = [hit.id for hit in hits]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Listing).where(Listing.id.in_(ids), Listing.status == ListingStatus.PUBLISHED)
    )
    return {listing.id: listing for listing in rows}


def pick_highlight(hit: SearchHit, part: str, locale: str) -> str:
    """The highlighted 'title' or 'summary' in the reader's language when it shows a match.

    Falls back to the other language when only that one matched or the reader's is empty.
    """
    lang = "en" if str(locale).startswith("en") else "zh"
    other = "zh" if lang == "en" else "en"
    mine = hit.highlights.get(f"{part}_{lang}", "")
    theirs = hit.highlights.get(f"{part}_{other}", "")
    if mine and ("<mark>" in mine or "<mark>" not in theirs):
        return mine
    return theirs or mine or hit.highlights.get(part, "")
