"""Use cases of search, shared by the HTML page (search.views) and the REST API (listings.api).

Queries go to the primary backend; when it cannot be reached (or is backing
off after failures, see search.indexer) and the app has a fallback, the
fallback answers and the outcome says so (`degraded`), so the page can show a
notice and /healthz can report "degraded".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from flask import has_request_context, request
from sqlalchemy import select

from core.breaker import breaker, budget_seconds, within
from core.clock import now as clock_now
from core.extensions import db
from listings.models import Listing, TechNeed
from search.backend import SearchBackend, SearchHit, SearchQuery, SearchResult
from search.circuit import is_unavailable, record_success, retry_at
from search.documents import DocumentKind
from search.listing_documents import LISTINGS
from search.need_documents import NEEDS

log = logging.getLogger(__name__)
MAX_PER_PAGE = 100
MAX_TEXT = 200
MAX_SUGGESTIONS = 10
T = TypeVar("T")


def make_query(
    text: str | None = "",
    filters: dict[str, Sequence[str]] | None = None,
    sort: str | None = "relevance",
    page: int | None = 1,
    per_page: int | None = 20,
    *,
    kind: DocumentKind = LISTINGS,
) -> SearchQuery:
    """A SearchQuery from loosely typed input: unknown facets and sorts dropped, bounds clamped."""
    clean: dict[str, tuple[str, ...]] = {}
    for facet, values in (filters or {}).items():
        if facet in kind.facets:
            kept = tuple(dict.fromkeys(str(v) for v in values if str(v).strip()))
            if kept:
                clean[facet] = kept
    return SearchQuery(
        text=(text or "").strip()[:MAX_TEXT],
        filters=clean,
        sort=sort if sort in kind.sorts else "relevance",
        page=max(1, int(page or 1)),
        per_page=max(1, min(int(per_page or 20), MAX_PER_PAGE)),
    )


@dataclass(frozen=True)
class SearchOutcome:
    """A result and who gave it: `degraded` when the fallback answered for an unreachable primary."""

    result: SearchResult
    backend: str
    degraded: bool = False


def _backends() -> tuple[SearchBackend, SearchBackend | None]:
    from search import get_backend, get_fallback

    primary, fallback = get_backend(), get_fallback()
    return primary, (fallback if fallback is not primary else None)


def _routed(
    operation: Callable[[SearchBackend], T], now: datetime | None = None
) -> tuple[T, SearchBackend, bool]:
    """Run `operation` on the primary, or on the fallback while the primary is unreachable.

    Returns (value, the backend that answered, whether that was the fallback).
    The primary is skipped while the indexer backs off from it (search.circuit) or
    the "search" breaker is open (core.breaker); in a request it gets the request's
    budget (`request_budget`). Its failures and timeouts count towards opening the
    breaker; any other error is logged and only that call goes to the fallback.
    Without a fallback, errors propagate.
    """
    primary, fallback = _backends()
    if fallback is None:
        return operation(primary), primary, False
    gate = breaker("search")
    if retry_at(primary, now or clock_now()) is None and gate.allow():
        try:
            with within(request_budget()):
                value = operation(primary)
        except Exception as exc:
            if is_unavailable(exc):
                gate.failure()
                log.warning(
                    "search: %s unreachable (%s); the %s fallback answers",
                    primary.name, exc, fallback.name,
                )  # fmt: skip
            else:
                log.exception(
                    "search: %s failed; the %s fallback answers", primary.name, fallback.name
                )
        else:
            gate.success()
            record_success(primary)
            return value, primary, False
    return operation(fallback), fallback, True


def request_budget() -> float | None:
    """How long a search may wait for the primary in this request (SEARCH_BUDGET_*_MS):
    the API's budget under /api/, a page's elsewhere; None outside a request (jobs)."""
    if not has_request_context():
        return None
    if request.path.startswith("/api/"):
        return budget_seconds("SEARCH_BUDGET_API_MS", 1000)
    return budget_seconds("SEARCH_BUDGET_PAGE_MS", 300)


def run_search(query: SearchQuery) -> SearchOutcome:
    """Search published listings with the app's backends.

    The index is as current as the search job (`search.jobs`) left it: the job is
    queued after every commit that changes a searchable row.
    """
    return _run(LISTINGS, query)


def _run(kind: DocumentKind, query: SearchQuery) -> SearchOutcome:
    """Search the documents of `kind`, current and routed to whichever backend answers."""
    result, backend, degraded = _routed(lambda b: kind.index_of(b).search(query))
    return SearchOutcome(result=result, backend=backend.name, degraded=degraded)


def _rows_for(kind: DocumentKind, hits: Sequence[SearchHit]) -> dict[int, Any]:
    """The searchable rows behind `hits`, by id (the database, not the index, has the facts)."""
    ids = [hit.id for hit in hits]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(kind.model)
        .where(kind.model.id.in_(ids), kind.searchable_clause())
        .options(*kind.load_options())
    )
    return {row.id: row for row in rows}


def search_listings(query: SearchQuery) -> SearchResult:
    """Search published listings: the app's primary answers, or its fallback while the
    primary is unreachable (see `run_search`, which also says which answered)."""
    return run_search(query).result


def suggest(prefix: str | None, limit: int = 8) -> list[str]:
    """Titles completing what the user is typing; empty when nothing fits or search is down."""
    text = " ".join((prefix or "").split())[:MAX_TEXT]
    if not text:
        return []
    limit = max(1, min(int(limit), MAX_SUGGESTIONS))
    try:
        suggestions, _, _ = _routed(lambda b: b.suggest(text, limit))
    except Exception:
        log.exception("search: suggestions failed")
        return []
    return list(dict.fromkeys(s for s in suggestions if s))[:limit]


def similar_listings(listing_id: int, limit: int = 4) -> list[Listing]:
    """Published listings most like this one ("more like this"), best first; [] when none."""
    try:
        ids, _, _ = _routed(lambda b: b.similar(listing_id, limit + 1))
    except Exception:
        log.exception("search: similar listings of %s failed", listing_id)
        return []
    ids = [i for i in dict.fromkeys(ids) if i != listing_id]
    by_id = _rows_for(LISTINGS, [SearchHit(id=i, score=0.0, highlights={}) for i in ids])
    return [by_id[i] for i in ids if i in by_id][:limit]


def search_health() -> dict[str, str]:
    """For /healthz: "search" is ok, degraded (the fallback serves) or error; and the backends.

    The primary is probed within HEALTH_BUDGET_MS, and not at all while its breaker is
    open; a probe after the cool-down is the breaker's trial.
    """
    primary, fallback = _backends()
    body = {"search_backend": primary.name}
    if fallback is not None:
        body["search_fallback"] = fallback.name
    if _primary_answers(primary, fallback is not None):
        if retry_at(primary, clock_now()) is not None:
            record_success(primary)  # it is back: queries need not wait for the back-off
        body["search"] = "ok"
    elif fallback is not None and fallback.healthy():
        body["search"] = "degraded"
    else:
        body["search"] = "error"
    return body


def _primary_answers(primary: SearchBackend, guarded: bool) -> bool:
    """Whether the primary is healthy; with a fallback, behind the breaker and the budget."""
    if not guarded:
        return primary.healthy()
    gate = breaker("search")
    if not gate.allow():
        return False
    with within(budget_seconds("HEALTH_BUDGET_MS", 1000)):
        healthy = primary.healthy()
    if healthy:
        gate.success()
    else:
        gate.failure()
    return healthy


def listings_for(hits: Sequence[SearchHit]) -> dict[int, Listing]:
    """The published listings behind `hits`, by id (the database, not the index, has the facts)."""
    return _rows_for(LISTINGS, hits)


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


# -- technology needs (技术需求) -----------------------------------------------------------


# A query of needs from loosely typed input: unknown facets and sorts dropped, bounds clamped.
make_need_query = partial(make_query, kind=NEEDS)


def run_need_search(query: SearchQuery) -> SearchOutcome:
    """Search open needs (the fallback answers while the primary is unreachable)."""
    return _run(NEEDS, query)


def needs_for(hits: Sequence[SearchHit]) -> dict[int, TechNeed]:
    """The open needs behind `hits`, by id (the database has the facts)."""
    return _rows_for(NEEDS, hits)


def related_listings(text: str, limit: int = 50) -> list[tuple[int, float]]:
    """(listing id, score) of published listings sharing most words with `text` (matching)."""
    return _related(LISTINGS, text, limit)


def related_needs(text: str, limit: int = 50) -> list[tuple[int, float]]:
    """(need id, score) of open needs sharing most words with `text` (matching)."""
    return _related(NEEDS, text, limit)


def _related(kind: DocumentKind, text: str, limit: int) -> list[tuple[int, float]]:
    value, _, _ = _routed(lambda b: kind.index_of(b).related(text, limit))
    return value
