"""Keeps the search indices in step with the database, which stays the source of truth.

One consumer for every kind of document (search.documents): services emit an
outbox event (the kind's topic, the row id) in the transaction that changes a
row; `drain()` applies pending events after the commit (index a searchable
row, remove anything else) in bulk, and `reindex()` rebuilds a kind's index
from the database. `kind` defaults to listings.

Outages. An event is marked processed only once the primary backend has taken
it, so an unreachable Elasticsearch cluster loses nothing: the events stay
pending with `attempts` and `last_error` recorded, and the primary is left
alone for a back-off (search.circuit); when it answers again the backlog
drains in batches (`drain_all()`). Full rebuilds are in search.rebuild.

The fallback. With SEARCH_BACKEND=elasticsearch the embedded index is kept
current too, independently of the primary: each drain first applies the
pending events it has not applied yet (a cursor on the event id per kind, kept
in the process; re-applying is idempotent, so a restart only repeats some work).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from core.clock import now as clock_now
from core.extensions import db
from core.outbox import OutboxEvent, pending
from core.uow import unit_of_work
from search.backend import SearchBackend
from search.circuit import (
    backoff_seconds,
    circuit,
    is_unavailable,
    message,
    record_failure,
    record_success,
    retry_at,
)
from search.documents import DocumentIndex, DocumentKind
from search.listing_documents import LISTINGS

TOPIC = LISTINGS.topic
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DrainReport:
    """What one `drain()` did.

    `deferred` counts pending events left for later without trying them, because
    the backend (or their document) is backing off after failures.
    """

    events: int = 0
    indexed: int = 0
    deleted: int = 0
    failed: int = 0
    deferred: int = 0

    def __add__(self, other: DrainReport) -> DrainReport:
        return DrainReport(
            events=self.events + other.events,
            indexed=self.indexed + other.indexed,
            deleted=self.deleted + other.deleted,
            failed=self.failed + other.failed,
            deferred=self.deferred + other.deferred,
        )


def _changes(kind: DocumentKind, ids: Sequence[int]) -> tuple[list[Any], list[int]]:
    """What the index must do for `ids`: documents of the searchable rows, the rest to delete."""
    rows: dict[int, Any] = {}
    if ids:
        found = db.session.scalars(
            select(kind.model).where(kind.model.id.in_(ids)).options(*kind.load_options())
        )
        rows = {row.id: row for row in found}
    documents = [kind.to_document(rows[i]) for i in ids if kind.is_searchable(rows.get(i))]
    gone = [i for i in ids if not kind.is_searchable(rows.get(i))]
    return documents, gone


def apply_changes(kind: DocumentKind, index: DocumentIndex, ids: list[int]) -> tuple[int, int]:
    """Index the searchable rows among `ids`, delete the rest; (indexed, deleted)."""
    documents, gone = _changes(kind, ids)
    if documents:
        index.index(documents)
    if gone:
        index.delete(gone)
    return len(documents), len(gone)


def row_ids(keys: Sequence[str]) -> list[int]:
    """The distinct row ids among outbox event keys, in order (keys that are no id skipped)."""
    ids: dict[int, None] = {}
    for key in keys:
        try:
            ids[int(key)] = None
        except ValueError:
            continue
    return list(ids)


def pending_clause(kind: DocumentKind) -> Any:
    """Outbox events of `kind` not processed yet."""
    return (OutboxEvent.topic == kind.topic) & OutboxEvent.processed_at.is_(None)


def feed_fallback(
    fallback: SearchBackend, limit: int = 500, *, kind: DocumentKind = LISTINGS
) -> int:
    """Apply to the fallback the pending events it has not had yet; return how many documents.

    Independent of the primary: the fallback stays current while the primary is
    down. A failure is logged and retried at the next drain (the cursor stays).
    """
    state = circuit(fallback)
    cursor = state.fallback_cursors.get(kind.name, 0)
    rows = db.session.execute(
        select(OutboxEvent.id, OutboxEvent.key)
        .where(pending_clause(kind), OutboxEvent.id > cursor)
        .order_by(OutboxEvent.id)
        .limit(limit)
    ).all()
    if not rows:
        return 0
    ids = row_ids([key for _, key in rows])
    index = kind.index_of(fallback)
    try:
        apply_changes(kind, index, ids)
    except Exception:
        log.warning("search: updating the %s fallback failed; retrying one by one", fallback.name)
        applied = 0
        for row_id in ids:
            try:
                apply_changes(kind, index, [row_id])
                applied += 1
            except Exception:
                log.exception("search: %s %s could not reach the fallback", kind.name, row_id)
        if not applied:  # nothing works (disk full?): keep the cursor, try again next time
            return 0
    state.fallback_cursors[kind.name] = max(cursor, rows[-1][0])
    return len(ids)


def _pending_count(kind: DocumentKind, limit: int) -> int:
    pending_ids = select(OutboxEvent.id).where(pending_clause(kind)).limit(limit).subquery()
    return int(db.session.scalar(select(func.count()).select_from(pending_ids)) or 0)


def _targets(backend: SearchBackend | None) -> tuple[SearchBackend, SearchBackend | None]:
    if backend is not None:
        return backend, None
    from search import get_backend, get_fallback

    primary, fallback = get_backend(), get_fallback()
    return primary, (fallback if fallback is not primary else None)


def drain(
    backend: SearchBackend | None = None,
    limit: int = 500,
    *,
    now: datetime | None = None,
    kind: DocumentKind = LISTINGS,
) -> DrainReport:
    """Apply up to `limit` pending events of `kind` in bulk, then commit their bookkeeping.

    Without `backend`: the app's fallback (if any) is fed first, then the primary.
    An event is marked processed only once the primary has taken it. When the
    primary cannot be reached, every event of the batch records the attempt and
    the error and stays pending, and the primary is left alone until its
    back-off has passed (those drains return at once, with `deferred` set).
    Any other failure of a batch is retried document by document, so one bad
    row cannot hold up the others (it backs off on its own).
    """
    moment = now or clock_now()
    primary, fallback = _targets(backend)
    if fallback is not None:
        feed_fallback(fallback, limit, kind=kind)
    if retry_at(primary, moment) is not None:
        return DrainReport(deferred=_pending_count(kind, limit))
    events = pending(kind.topic, limit=limit)
    if not events:
        return DrainReport()
    state = circuit(primary)
    by_row: dict[int, list[OutboxEvent]] = {}
    deferred = 0
    for event in events:
        try:
            row_id = int(event.key)
        except ValueError:  # not a row id: nothing to index, keep a trace
            event.attempts = (event.attempts or 0) + 1
            event.last_error = f"invalid {kind.name} id {event.key!r}"
            event.processed_at = moment
            continue
        waiting = state.documents.get((kind.name, row_id))
        if waiting is not None and waiting[1] > moment:
            deferred += 1
            continue
        by_row.setdefault(row_id, []).append(event)

    indexed = deleted = 0
    ids = list(by_row)
    done: list[int] = []
    errors: dict[int, str] = {}
    if ids:
        try:
            indexed, deleted = apply_changes(kind, kind.index_of(primary), ids)
            done = ids
        except Exception as exc:
            if is_unavailable(exc):
                until = record_failure(primary, exc, moment)
                log.warning(
                    "search: %s unreachable (%s); %d %s stay pending, next try after %s",
                    primary.name, exc, len(ids), kind.name, until.isoformat(),
                )  # fmt: skip
                errors = dict.fromkeys(ids, message(exc))
            else:
                log.warning(
                    "search: batch of %d %s failed, retrying one by one", len(ids), kind.name
                )
                done, errors, indexed, deleted = _one_by_one(kind, primary, ids, moment)
        else:
            record_success(primary)
    for row_id, error in errors.items():
        for event in by_row[row_id]:
            event.attempts = (event.attempts or 0) + 1
            event.last_error = error
    for row_id in done:
        state.documents.pop((kind.name, row_id), None)
        for event in by_row[row_id]:
            event.attempts = (event.attempts or 0) + 1
            event.processed_at = moment
            event.last_error = None
    db.session.flush()
    return DrainReport(
        events=len(events), indexed=indexed, deleted=deleted, failed=len(errors), deferred=deferred
    )


def _one_by_one(
    kind: DocumentKind, backend: SearchBackend, ids: list[int], moment: datetime
) -> tuple[list[int], dict[int, str], int, int]:
    """Apply documents singly (after a batch failed): (done, errors, indexed, deleted)."""
    state = circuit(backend)
    index = kind.index_of(backend)
    done: list[int] = []
    errors: dict[int, str] = {}
    indexed = deleted = 0
    for position, row_id in enumerate(ids):
        try:
            one_indexed, one_deleted = apply_changes(kind, index, [row_id])
        except Exception as exc:
            if is_unavailable(exc):  # the node went away half-way: the rest waits too
                record_failure(backend, exc, moment)
                errors.update(dict.fromkeys(ids[position:], message(exc)))
                break
            log.exception("search: %s %s could not be indexed", kind.name, row_id)
            errors[row_id] = message(exc)
            failures = state.documents.get((kind.name, row_id), (0, moment))[0] + 1
            state.documents[(kind.name, row_id)] = (
                failures,
                moment + timedelta(seconds=backoff_seconds(failures)),
            )
        else:
            indexed += one_indexed
            deleted += one_deleted
            done.append(row_id)
    return done, errors, indexed, deleted


def drain_all(
    backend: SearchBackend | None = None,
    limit: int = 500,
    *,
    now: datetime | None = None,
    max_batches: int | None = None,
    kind: DocumentKind = LISTINGS,
) -> DrainReport:
    """Drain batch after batch until nothing is pending, or a batch fails or must wait.

    The outbox consumer's job: each batch is its own unit of work, so the progress
    of a long drain is kept batch by batch.
    """
    total = DrainReport()
    batches = 0
    while max_batches is None or batches < max_batches:
        with unit_of_work(writer=True):
            report = drain(backend, limit, now=now, kind=kind)
        total += report
        batches += 1
        if report.events < limit or report.failed or report.deferred:
            break
    return total


def has_pending(kind: DocumentKind = LISTINGS) -> bool:
    """Whether any event of `kind` waits to be applied."""
    return (
        db.session.scalar(select(OutboxEvent.id).where(pending_clause(kind)).limit(1)) is not None
    )


def searchable_count(kind: DocumentKind = LISTINGS) -> int:
    """How many rows of `kind` are searchable (what a full reindex will write)."""
    return int(
        db.session.scalar(
            select(func.count()).select_from(kind.model).where(kind.searchable_clause())
        )
        or 0
    )
