"""Keeps the search index in step with the database, which stays the source of truth.

Listing services emit an outbox event ("search.listing", listing id) in the
transaction that changes a listing; `drain()` applies pending events after the
commit (index a published listing, remove anything else) and `reindex()`
rebuilds the whole index from the database. Only published listings are
searchable.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from listings.models import Listing
from listings.rules import ListingStatus, ipc_section, price_band
from marketplace.clock import as_utc
from marketplace.clock import now as clock_now
from marketplace.extensions import db
from marketplace.outbox import OutboxEvent, pending
from search.backend import SearchBackend, SearchDocument

TOPIC = "search.listing"
log = logging.getLogger(__name__)


def is_searchable(listing: Listing | None) -> bool:
    """Only published listings appear in search."""
    return listing is not None and listing.status == ListingStatus.PUBLISHED


def document_for(listing: Listing) -> SearchDocument:
    """What the index holds of a listing: searchable text, facet values, sort keys."""
    assets = " ".join(
        part for asset in listing.ip_assets for part in (asset.number, asset.title or "") if part
    )
    body = "\n".join(
        part for part in (listing.problem, listing.advantage, listing.economics, assets) if part
    )
    ipc_classes = tuple(listing.ipc_classes or ())
    published = listing.published_at or listing.updated_at or listing.created_at
    return SearchDocument(
        id=listing.id,
        title_zh=listing.title_zh or "",
        title_en=listing.title_en or "",
        summary_zh=listing.summary_zh or "",
        summary_en=listing.summary_en or "",
        body=body,
        ipc_classes=ipc_classes,
        inventors=tuple(listing.inventors or ()),
        holder=listing.holder,
        field=listing.field,
        ipc_section=ipc_section(list(ipc_classes)),
        transfer_modes=tuple(sorted(set(listing.transfer_modes or ()))),
        trl=listing.trl,
        region=listing.region,
        price_band=price_band(listing.asking_price_minor),
        asking_price_minor=listing.asking_price_minor,
        published_at=as_utc(published),
        organisation_id=listing.organisation_id,
    )


@dataclass(frozen=True)
class DrainReport:
    """What one `drain()` did."""

    events: int = 0
    indexed: int = 0
    deleted: int = 0
    failed: int = 0


def _backend(backend: SearchBackend | None) -> SearchBackend:
    if backend is not None:
        return backend
    from search import get_backend

    return get_backend()


def _load(ids: list[int]) -> dict[int, Listing]:
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Listing).where(Listing.id.in_(ids)).options(selectinload(Listing.ip_assets))
    )
    return {listing.id: listing for listing in rows}


def _apply(backend: SearchBackend, ids: list[int]) -> tuple[int, int]:
    """Index the published listings among `ids`, delete the rest; (indexed, deleted)."""
    listings = _load(ids)
    documents = [document_for(listings[i]) for i in ids if is_searchable(listings.get(i))]
    gone = [i for i in ids if not is_searchable(listings.get(i))]
    if documents:
        backend.index(documents)
    if gone:
        backend.delete(gone)
    return len(documents), len(gone)


def drain(
    backend: SearchBackend | None = None, limit: int = 500, *, now: datetime | None = None
) -> DrainReport:
    """Apply up to `limit` pending "search.listing" events, then commit their bookkeeping.

    An event is marked processed only once the index has taken it; a failure
    records the attempt and the error and leaves the event pending for the next
    drain, so nothing is lost while the backend is down.
    """
    backend = _backend(backend)
    events = pending(TOPIC, limit=limit)
    if not events:
        return DrainReport()
    moment = now or clock_now()
    by_listing: dict[int, list[OutboxEvent]] = {}
    for event in events:
        try:
            by_listing.setdefault(int(event.key), []).append(event)
        except ValueError:  # not a listing id: nothing to index, keep a trace
            event.attempts = (event.attempts or 0) + 1
            event.last_error = f"invalid listing id {event.key!r}"
            event.processed_at = moment

    indexed = deleted = failed = 0
    ids = list(by_listing)
    try:
        indexed, deleted = _apply(backend, ids)
        done = ids
    except Exception:
        log.warning("search: batch of %d listings failed, retrying one by one", len(ids))
        done = []
        for listing_id in ids:
            try:
                one_indexed, one_deleted = _apply(backend, [listing_id])
            except Exception as exc:
                log.exception("search: listing %s could not be indexed", listing_id)
                failed += 1
                for event in by_listing[listing_id]:
                    event.attempts = (event.attempts or 0) + 1
                    event.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            else:
                indexed += one_indexed
                deleted += one_deleted
                done.append(listing_id)
    for listing_id in done:
        for event in by_listing[listing_id]:
            event.attempts = (event.attempts or 0) + 1
            event.processed_at = moment
            event.last_error = None
    db.session.commit()
    return DrainReport(events=len(events), indexed=indexed, deleted=deleted, failed=failed)


def has_pending() -> bool:
    """Whether any "search.listing" event waits to be applied."""
    return (
        db.session.scalar(
            select(OutboxEvent.id)
            .where(OutboxEvent.topic == TOPIC, OutboxEvent.processed_at.is_(None))
            .limit(1)
        )
        is not None
    )


def published_count() -> int:
    """How many listings are published (what a full reindex will write)."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Listing)
            .where(Listing.status == ListingStatus.PUBLISHED)
        )
        or 0
    )


def reindex(
    backend: SearchBackend | None = None,
    *,
    batch_size: int = 500,
    progress: Callable[[int], object] | None = None,
    now: datetime | None = None,
) -> int:
    """Rebuild the index from the database; return how many listings were indexed.

    Events pending when the rebuild starts are covered by it and marked
    processed; events emitted meanwhile stay pending for the next drain.
    """
    backend = _backend(backend)
    moment = now or clock_now()
    covered = db.session.scalar(
        select(func.max(OutboxEvent.id)).where(
            OutboxEvent.topic == TOPIC, OutboxEvent.processed_at.is_(None)
        )
    )
    backend.clear()
    total, last_id = 0, 0
    while True:
        batch = list(
            db.session.scalars(
                select(Listing)
                .where(Listing.status == ListingStatus.PUBLISHED, Listing.id > last_id)
                .order_by(Listing.id)
                .limit(batch_size)
                .options(selectinload(Listing.ip_assets))
            )
        )
        if not batch:
            break
        total += backend.index(document_for(listing) for listing in batch)
        last_id = batch[-1].id
        if progress is not None:
            progress(len(batch))
    optimize = getattr(backend, "optimize", None)
    if callable(optimize):
        optimize()
    if covered is not None:
        db.session.execute(
            update(OutboxEvent)
            .where(
                OutboxEvent.topic == TOPIC,
                OutboxEvent.processed_at.is_(None),
                OutboxEvent.id <= covered,
            )
            .values(processed_at=moment, attempts=OutboxEvent.attempts + 1, last_error=None)
        )
    db.session.commit()
    return total
