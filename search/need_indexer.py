"""Keeps the needs of every search index in step with the database (as search.indexer for listings).

Need services emit an outbox event ("search.need", need id) in the transaction
that changes a need; `drain_needs()` applies pending events (index an open
need, remove anything else) and `reindex_needs()` rebuilds the needs of an
index from the database. An event is marked processed only once the primary
backend has taken it; while the primary is backing off after failures (the
same circuit as its listings: one cluster, one outage) the events wait. The
embedded fallback is fed independently, through a cursor on the event id.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from core.clock import as_utc
from core.clock import now as clock_now
from core.extensions import db
from core.outbox import OutboxEvent, pending
from listings.models import TechNeed
from listings.need_rules import NeedStatus
from listings.rules import ipc_section, price_band
from search.backend import SearchBackend
from search.indexer import (
    _listing_ids,
    is_unavailable,
    is_versioned,
    record_failure,
    record_success,
    retry_at,
)
from search.needs import NeedDocument, NeedIndex

TOPIC = "search.need"
log = logging.getLogger(__name__)
# Fallback cursors of the need events, per backend object (as listings' fallback_cursor).
_cursors: dict[int, int] = {}


def is_searchable(need: TechNeed | None) -> bool:
    """Only open needs appear in search (and in matching)."""
    return need is not None and need.status == NeedStatus.OPEN


def need_document(need: TechNeed) -> NeedDocument:
    """What the index holds of a need: searchable text, facet values, sort keys."""
    ipc = tuple(need.ipc_classes or ())
    org = need.organisation
    return NeedDocument(
        id=need.id,
        title=need.title,
        problem=need.problem,
        ipc_classes=ipc,
        enterprise=" ".join(n for n in (org.name, org.name_en) if n) if org else "",
        field=need.field,
        ipc_section=ipc_section(list(ipc)),
        transfer_modes=tuple(sorted(set(need.transfer_modes or ()))),
        region=need.region,
        budget_band=price_band(need.budget_max_minor or need.budget_min_minor),
        budget_max_minor=need.budget_max_minor or need.budget_min_minor,
        deadline=need.deadline,
        published_at=as_utc(need.created_at),
        organisation_id=need.organisation_id,
    )


@dataclass(frozen=True)
class NeedDrainReport:
    """What one `drain_needs()` did."""

    events: int = 0
    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    deferred: int = 0


def _apply(index: NeedIndex, ids: Sequence[int]) -> tuple[int, int]:
    """Index the open needs among `ids`, delete the rest; (indexed, deleted)."""
    if not ids:
        return 0, 0
    rows = db.session.scalars(
        select(TechNeed).where(TechNeed.id.in_(ids)).options(selectinload(TechNeed.organisation))
    )
    by_id = {need.id: need for need in rows}
    documents = [need_document(by_id[i]) for i in ids if is_searchable(by_id.get(i))]
    gone = [i for i in ids if not is_searchable(by_id.get(i))]
    if documents:
        index.index(documents)
    if gone:
        index.delete(gone)
    return len(documents), len(gone)


def _targets(backend: SearchBackend | None) -> tuple[SearchBackend, SearchBackend | None]:
    if backend is not None:
        return backend, None
    from search import get_backend, get_fallback

    primary, fallback = get_backend(), get_fallback()
    return primary, (fallback if fallback is not primary else None)


def _feed_fallback(fallback: SearchBackend, limit: int) -> None:
    cursor = _cursors.get(id(fallback), 0)
    rows = db.session.execute(
        select(OutboxEvent.id, OutboxEvent.key)
        .where(
            OutboxEvent.topic == TOPIC,
            OutboxEvent.processed_at.is_(None),
            OutboxEvent.id > cursor,
        )
        .order_by(OutboxEvent.id)
        .limit(limit)
    ).all()
    if not rows:
        return
    try:
        _apply(fallback.needs, _listing_ids([key for _, key in rows]))
    except Exception:
        log.exception("search: updating the needs of the %s fallback failed", fallback.name)
        return
    _cursors[id(fallback)] = rows[-1][0]


def drain_needs(
    backend: SearchBackend | None = None, limit: int = 500, *, now: datetime | None = None
) -> NeedDrainReport:
    """Apply up to `limit` pending "search.need" events, then commit their bookkeeping."""
    moment = now or clock_now()
    primary, fallback = _targets(backend)
    if fallback is not None:
        _feed_fallback(fallback, limit)
    events = pending(TOPIC, limit=limit)
    if not events:
        return NeedDrainReport()
    if retry_at(primary, moment) is not None:
        return NeedDrainReport(deferred=len(events))
    ids = _listing_ids([event.key for event in events])
    try:
        indexed, deleted = _apply(primary.needs, ids)
    except Exception as exc:
        if is_unavailable(exc):
            record_failure(primary, exc, moment)
            log.warning("search: %s unreachable (%s); needs stay pending", primary.name, exc)
        else:
            log.exception("search: indexing %d needs failed", len(ids))
        message = f"{type(exc).__name__}: {exc}"[:2000]
        for event in events:
            event.attempts = (event.attempts or 0) + 1
            event.last_error = message
        db.session.commit()
        return NeedDrainReport(events=len(events), failed=len(events))
    record_success(primary)
    for event in events:
        event.attempts = (event.attempts or 0) + 1
        event.processed_at = moment
        event.last_error = None
    db.session.commit()
    return NeedDrainReport(events=len(events), indexed=indexed, deleted=deleted)


def drain_all_needs(backend: SearchBackend | None = None, limit: int = 500) -> NeedDrainReport:
    """Drain batch after batch until nothing is pending, or a batch fails or must wait."""
    events = indexed = deleted = 0
    while True:
        report = drain_needs(backend, limit)
        events += report.events
        indexed += report.indexed
        deleted += report.deleted
        if report.events < limit or report.failed or report.deferred:
            return NeedDrainReport(events, indexed, deleted, report.failed, report.deferred)


def has_pending_needs() -> bool:
    """Whether any "search.need" event waits to be applied."""
    return (
        db.session.scalar(
            select(OutboxEvent.id)
            .where(OutboxEvent.topic == TOPIC, OutboxEvent.processed_at.is_(None))
            .limit(1)
        )
        is not None
    )


def open_need_count() -> int:
    """How many needs are open (what a full reindex writes)."""
    return int(
        db.session.scalar(
            select(func.count()).select_from(TechNeed).where(TechNeed.status == NeedStatus.OPEN)
        )
        or 0
    )


def _open_batches(batch_size: int) -> Iterator[list[TechNeed]]:
    last_id = 0
    while True:
        batch = list(
            db.session.scalars(
                select(TechNeed)
                .where(TechNeed.status == NeedStatus.OPEN, TechNeed.id > last_id)
                .order_by(TechNeed.id)
                .limit(batch_size)
                .options(selectinload(TechNeed.organisation))
            )
        )
        if not batch:
            return
        yield batch
        last_id = batch[-1].id


def reindex_needs(
    backend: SearchBackend | None = None,
    *,
    batch_size: int = 500,
    progress: Callable[[int], object] | None = None,
    now: datetime | None = None,
    mark_processed: bool = True,
) -> int:
    """Rebuild the needs of an index (the primary by default) from the database.

    Elasticsearch fills a new versioned index and moves the alias to it at once;
    the embedded index is cleared and refilled. Events pending when the rebuild
    starts are covered by it and, with `mark_processed`, marked processed.
    """
    if backend is None:
        from search import get_backend

        backend = get_backend()
    index = backend.needs
    moment = now or clock_now()
    covered = db.session.scalar(
        select(func.max(OutboxEvent.id)).where(
            OutboxEvent.topic == TOPIC, OutboxEvent.processed_at.is_(None)
        )
    )
    total = 0
    if is_versioned(index):
        name = index.new_index()  # type: ignore[attr-defined]
        try:
            for batch in _open_batches(batch_size):
                documents = [need_document(need) for need in batch]
                total += index.index_into(name, documents, chunk_size=batch_size)  # type: ignore[attr-defined]
                if progress is not None:
                    progress(len(batch))
            index.switch_alias(name)  # type: ignore[attr-defined]
        except BaseException:
            try:
                drop = getattr(index, "delete_index", None)
                if callable(drop):
                    drop(name)
            except Exception:
                log.exception("search: the half-built needs index %s could not be removed", name)
            raise
    else:
        index.clear()
        for batch in _open_batches(batch_size):
            total += index.index([need_document(need) for need in batch])
            if progress is not None:
                progress(len(batch))
    if covered is not None and mark_processed:
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
