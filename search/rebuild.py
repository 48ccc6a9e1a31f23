"""Full rebuilds of an index from the database, for any kind of document (`flask search reindex`)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from core.clock import now as clock_now
from core.extensions import db
from core.outbox import OutboxEvent
from core.row_lists import all_of
from search.backend import SearchBackend
from search.circuit import record_success
from search.documents import DocumentIndex, DocumentKind
from search.indexer import apply_changes, pending_clause, row_ids
from search.listing_documents import LISTINGS

log = logging.getLogger(__name__)


def _searchable_batches(kind: DocumentKind, batch_size: int) -> Iterator[list[Any]]:
    last_id = 0
    while True:
        batch = all_of(
            select(kind.model)
            .where(kind.searchable_clause(), kind.model.id > last_id)
            .order_by(kind.model.id)
            .limit(batch_size)
            .options(*kind.load_options())
        )
        if not batch:
            return
        yield batch
        last_id = batch[-1].id


def is_versioned(index: object) -> bool:
    """Whether the index builds new indices behind an alias (Elasticsearch)."""
    return all(
        callable(getattr(index, name, None)) for name in ("new_index", "index_into", "switch_alias")
    )


def _rebuild_versioned(
    kind: DocumentKind, index: Any, batch_size: int, progress: Callable[[int], object] | None
) -> int:
    """Fill a new index, then point the alias at it in one step (the old index is removed)."""
    name = index.new_index()
    total = 0
    try:
        for batch in _searchable_batches(kind, batch_size):
            documents = [kind.to_document(row) for row in batch]
            total += index.index_into(name, documents, chunk_size=batch_size)
            if progress is not None:
                progress(len(batch))
        index.switch_alias(name)
    except BaseException:
        drop = getattr(index, "delete_index", None)
        if callable(drop):
            try:
                drop(name)
            except Exception:
                log.exception("search: the half-built index %s could not be removed", name)
        raise
    return total


def _rebuild_in_place(
    kind: DocumentKind,
    index: DocumentIndex,
    batch_size: int,
    progress: Callable[[int], object] | None,
) -> int:
    index.clear()
    total = 0
    for batch in _searchable_batches(kind, batch_size):
        total += index.index([kind.to_document(row) for row in batch])
        if progress is not None:
            progress(len(batch))
    optimize = getattr(index, "optimize", None)
    if callable(optimize):
        optimize()
    return total


def reindex(
    backend: SearchBackend | None = None,
    *,
    batch_size: int = 500,
    progress: Callable[[int], object] | None = None,
    now: datetime | None = None,
    mark_processed: bool = True,
    kind: DocumentKind = LISTINGS,
) -> int:
    """Rebuild the index of `kind` (on the primary by default) from the database; return its size.

    A versioned index (Elasticsearch) gets a new index filled with bulk
    requests, then the alias moves to it atomically: searches never see an
    empty or half-built index. Others are cleared and refilled.

    Events pending when the rebuild starts are covered by it and, with
    `mark_processed`, marked processed; events emitted meanwhile stay pending
    for the next drain (and, for a versioned rebuild, the rows they name are
    applied again to the new index once the alias has moved, in case a drain
    wrote them to the old one while the new one was being filled).
    """
    if backend is None:
        from search import get_backend

        backend = get_backend()
    index = kind.index_of(backend)
    moment = now or clock_now()
    covered = db.session.scalar(select(func.max(OutboxEvent.id)).where(pending_clause(kind)))
    started_after = db.session.scalar(
        select(func.max(OutboxEvent.id)).where(OutboxEvent.topic == kind.topic)
    )
    if is_versioned(index):
        total = _rebuild_versioned(kind, index, batch_size, progress)
        newer = all_of(
            select(OutboxEvent.key).where(
                OutboxEvent.topic == kind.topic, OutboxEvent.id > (started_after or 0)
            )
        )
        ids = row_ids(newer)
        for start in range(0, len(ids), batch_size):
            apply_changes(kind, index, ids[start : start + batch_size])
    else:
        total = _rebuild_in_place(kind, index, batch_size, progress)
    record_success(backend)
    if covered is not None and mark_processed:
        db.session.execute(
            update(OutboxEvent)
            .where(pending_clause(kind), OutboxEvent.id <= covered)
            .values(processed_at=moment, attempts=OutboxEvent.attempts + 1, last_error=None)
        )
    db.session.flush()
    return total
