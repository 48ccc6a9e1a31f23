"""Keeps the search indices in step with the database, which stays the source of truth.

Listing services emit an outbox event ("search.listing", listing id) in the
transaction that changes a listing; `drain()` applies pending events after the
commit (index a published listing, remove anything else) in bulk, and
`reindex()` rebuilds a whole index from the database. Only published listings
are searchable.

Outages. An event is marked processed only once the primary backend has taken
it, so an unreachable Elasticsearch cluster loses nothing: the events stay
pending with `attempts` and `last_error` recorded. After a failure the
primary is left alone for a back-off that doubles with each consecutive
failure (2 s, 4 s, ... up to 5 min; `retry_at()`), so a dead node is not
hammered by every request; when it answers again the backlog drains in
batches (`drain_all()`). The back-off is held in the process (per backend
object), not in the database: a restarted worker simply tries again at once.

The fallback. With SEARCH_BACKEND=elasticsearch the embedded index is kept
current too, independently of the primary: each drain first applies the
pending events it has not applied yet (a cursor on the event id, kept in the
process; re-applying is idempotent, so a restart only repeats some work).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from core.clock import as_utc
from core.clock import now as clock_now
from core.extensions import db
from core.outbox import OutboxEvent, pending
from listings.models import Listing
from listings.rules import ListingStatus, ipc_section, price_band
from search.backend import SearchBackend, SearchDocument, SearchUnavailable

TOPIC = "search.listing"
BACKOFF_FIRST_SECONDS = 2.0
BACKOFF_MAX_SECONDS = 300.0
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


# -- back-off: when to try a failing backend (or one failing listing) again --------------------


def backoff_seconds(failures: int) -> float:
    """The pause after `failures` consecutive failures: 2 s, 4 s, 8 s, ... at most 5 min."""
    if failures <= 0:
        return 0.0
    return min(BACKOFF_FIRST_SECONDS * 2 ** min(failures - 1, 30), BACKOFF_MAX_SECONDS)


@dataclass
class _Circuit:
    """What this process knows of one backend's recent failures."""

    failures: int = 0
    retry_at: datetime | None = None
    last_error: str | None = None
    listings: dict[int, tuple[int, datetime]] = field(default_factory=dict)
    fallback_cursor: int = 0  # highest event id applied to this backend as a fallback


_circuits: dict[int, tuple[weakref.ref[object], _Circuit]] = {}
_circuits_lock = threading.Lock()


def _circuit(backend: object) -> _Circuit:
    """The state of `backend` (keyed by the object: a new client starts with a clean slate)."""
    with _circuits_lock:
        entry = _circuits.get(id(backend))
        if entry is not None and entry[0]() is backend:
            return entry[1]
        for key in [k for k, (ref, _) in _circuits.items() if ref() is None]:
            del _circuits[key]
        circuit = _Circuit()
        _circuits[id(backend)] = (weakref.ref(backend), circuit)
        return circuit


def retry_at(backend: object, now: datetime) -> datetime | None:
    """When a backend that failed may be tried again; None when it may be tried now."""
    moment = _circuit(backend).retry_at
    return moment if moment is not None and moment > now else None


def last_failure(backend: object) -> str | None:
    """The last error of a backend that is failing, None once it works again."""
    circuit = _circuit(backend)
    return circuit.last_error if circuit.failures else None


def record_failure(backend: object, exc: BaseException, now: datetime) -> datetime:
    """Note that `backend` could not be reached; return when to try it again."""
    circuit = _circuit(backend)
    circuit.failures += 1
    circuit.last_error = _message(exc)
    circuit.retry_at = now + timedelta(seconds=backoff_seconds(circuit.failures))
    return circuit.retry_at


def record_success(backend: object) -> None:
    """`backend` answered: no more back-off."""
    circuit = _circuit(backend)
    if circuit.failures or circuit.retry_at is not None:
        log.info("search: %s answers again", getattr(backend, "name", backend))
    circuit.failures = 0
    circuit.retry_at = None
    circuit.last_error = None


def reset_backoff(backend: object | None = None) -> None:
    """Forget failures (of one backend, or of all): the next drain tries at once."""
    with _circuits_lock:
        if backend is None:
            _circuits.clear()
        else:
            _circuits.pop(id(backend), None)


def is_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the backend cannot be reached (rather than that one request was bad)."""
    return isinstance(exc, SearchUnavailable | ConnectionError | TimeoutError | OSError)


def _message(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


# -- applying events -------------------------------------------------------------------------


@dataclass(frozen=True)
class DrainReport:
    """What one `drain()` did.

    `deferred` counts pending events left for later without trying them, because
    the backend (or their listing) is backing off after failures.
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


def _backend(backend: SearchBackend | None) -> SearchBackend:
    if backend is not None:
        return backend
    from search import get_backend

    return get_backend()


def _load(ids: Sequence[int]) -> dict[int, Listing]:
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Listing).where(Listing.id.in_(ids)).options(selectinload(Listing.ip_assets))
    )
    return {listing.id: listing for listing in rows}


def _changes(ids: Sequence[int]) -> tuple[list[SearchDocument], list[int]]:
    """What the index must do for `ids`: documents of the published ones, the rest to delete."""
    listings = _load(ids)
    documents = [document_for(listings[i]) for i in ids if is_searchable(listings.get(i))]
    gone = [i for i in ids if not is_searchable(listings.get(i))]
    return documents, gone


def _send(backend: SearchBackend, documents: list[SearchDocument], gone: list[int]) -> None:
    """One bulk write of documents and one of deletions."""
    if documents:
        backend.index(documents)
    if gone:
        backend.delete(gone)


def _apply(backend: SearchBackend, ids: list[int]) -> tuple[int, int]:
    """Index the published listings among `ids`, delete the rest; (indexed, deleted)."""
    documents, gone = _changes(ids)
    _send(backend, documents, gone)
    return len(documents), len(gone)


def _listing_ids(keys: Sequence[str]) -> list[int]:
    ids: dict[int, None] = {}
    for key in keys:
        try:
            ids[int(key)] = None
        except ValueError:
            continue
    return list(ids)


def feed_fallback(fallback: SearchBackend, limit: int = 500) -> int:
    """Apply to the fallback the pending events it has not had yet; return how many listings.

    Independent of the primary: the fallback stays current while the primary is
    down. A failure is logged and retried at the next drain (the cursor stays).
    """
    circuit = _circuit(fallback)
    rows = db.session.execute(
        select(OutboxEvent.id, OutboxEvent.key)
        .where(
            OutboxEvent.topic == TOPIC,
            OutboxEvent.processed_at.is_(None),
            OutboxEvent.id > circuit.fallback_cursor,
        )
        .order_by(OutboxEvent.id)
        .limit(limit)
    ).all()
    if not rows:
        return 0
    ids = _listing_ids([key for _, key in rows])
    try:
        _apply(fallback, ids)
    except Exception:
        log.warning("search: updating the %s fallback failed; retrying one by one", fallback.name)
        applied = 0
        for listing_id in ids:
            try:
                _apply(fallback, [listing_id])
                applied += 1
            except Exception:
                log.exception("search: listing %s could not reach the fallback", listing_id)
        if not applied:  # nothing works (disk full?): keep the cursor, try again next time
            return 0
    circuit.fallback_cursor = max(circuit.fallback_cursor, rows[-1][0])
    return len(ids)


def _pending_count(limit: int) -> int:
    pending_ids = (
        select(OutboxEvent.id)
        .where(OutboxEvent.topic == TOPIC, OutboxEvent.processed_at.is_(None))
        .limit(limit)
        .subquery()
    )
    return int(db.session.scalar(select(func.count()).select_from(pending_ids)) or 0)


def _targets(backend: SearchBackend | None) -> tuple[SearchBackend, SearchBackend | None]:
    if backend is not None:
        return backend, None
    from search import get_backend, get_fallback

    primary, fallback = get_backend(), get_fallback()
    return primary, (fallback if fallback is not primary else None)


def drain(
    backend: SearchBackend | None = None, limit: int = 500, *, now: datetime | None = None
) -> DrainReport:
    """Apply up to `limit` pending "search.listing" events in bulk, then commit their bookkeeping.

    Without `backend`: the app's fallback (if any) is fed first, then the primary.
    An event is marked processed only once the primary has taken it. When the
    primary cannot be reached, every event of the batch records the attempt and
    the error and stays pending, and the primary is left alone until its
    back-off has passed (those drains return at once, with `deferred` set).
    Any other failure of a batch is retried listing by listing, so one bad
    listing cannot hold up the others (it backs off on its own).
    """
    moment = now or clock_now()
    primary, fallback = _targets(backend)
    if fallback is not None:
        feed_fallback(fallback, limit)
    if retry_at(primary, moment) is not None:
        return DrainReport(deferred=_pending_count(limit))
    events = pending(TOPIC, limit=limit)
    if not events:
        return DrainReport()
    circuit = _circuit(primary)
    by_listing: dict[int, list[OutboxEvent]] = {}
    deferred = 0
    for event in events:
        try:
            listing_id = int(event.key)
        except ValueError:  # not a listing id: nothing to index, keep a trace
            event.attempts = (event.attempts or 0) + 1
            event.last_error = f"invalid listing id {event.key!r}"
            event.processed_at = moment
            continue
        waiting = circuit.listings.get(listing_id)
        if waiting is not None and waiting[1] > moment:
            deferred += 1
            continue
        by_listing.setdefault(listing_id, []).append(event)

    indexed = deleted = 0
    ids = list(by_listing)
    done: list[int] = []
    errors: dict[int, str] = {}
    if ids:
        try:
            indexed, deleted = _apply(primary, ids)
            done = ids
        except Exception as exc:
            if is_unavailable(exc):
                until = record_failure(primary, exc, moment)
                log.warning(
                    "search: %s unreachable (%s); %d listings stay pending, next try after %s",
                    primary.name, exc, len(ids), until.isoformat(),
                )  # fmt: skip
                errors = dict.fromkeys(ids, _message(exc))
            else:
                log.warning("search: batch of %d listings failed, retrying one by one", len(ids))
                done, errors, indexed, deleted = _one_by_one(primary, ids, moment)
        else:
            record_success(primary)
    for listing_id, message in errors.items():
        for event in by_listing[listing_id]:
            event.attempts = (event.attempts or 0) + 1
            event.last_error = message
    for listing_id in done:
        circuit.listings.pop(listing_id, None)
        for event in by_listing[listing_id]:
            event.attempts = (event.attempts or 0) + 1
            event.processed_at = moment
            event.last_error = None
    db.session.commit()
    return DrainReport(
        events=len(events), indexed=indexed, deleted=deleted, failed=len(errors), deferred=deferred
    )


def _one_by_one(
    backend: SearchBackend, ids: list[int], moment: datetime
) -> tuple[list[int], dict[int, str], int, int]:
    """Apply listings singly (after a batch failed): (done, errors, indexed, deleted)."""
    circuit = _circuit(backend)
    done: list[int] = []
    errors: dict[int, str] = {}
    indexed = deleted = 0
    for position, listing_id in enumerate(ids):
        try:
            one_indexed, one_deleted = _apply(backend, [listing_id])
        except Exception as exc:
            if is_unavailable(exc):  # the node went away half-way: the rest waits too
                record_failure(backend, exc, moment)
                errors.update(dict.fromkeys(ids[position:], _message(exc)))
                break
            log.exception("search: listing %s could not be indexed", listing_id)
            errors[listing_id] = _message(exc)
            failures = circuit.listings.get(listing_id, (0, moment))[0] + 1
            circuit.listings[listing_id] = (
                failures,
                moment + timedelta(seconds=backoff_seconds(failures)),
            )
        else:
            indexed += one_indexed
            deleted += one_deleted
            done.append(listing_id)
    return done, errors, indexed, deleted


def drain_all(
    backend: SearchBackend | None = None,
    limit: int = 500,
    *,
    now: datetime | None = None,
    max_batches: int | None = None,
) -> DrainReport:
    """Drain batch after batch until nothing is pending, or a batch fails or must wait."""
    total = DrainReport()
    batches = 0
    while max_batches is None or batches < max_batches:
        report = drain(backend, limit, now=now)
        total += report
        batches += 1
        if report.events < limit or report.failed or report.deferred:
            break
    return total


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


# -- full rebuilds -----------------------------------------------------------------------------


def _published_batches(batch_size: int) -> Iterator[list[Listing]]:
    last_id = 0
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
            return
        yield batch
        last_id = batch[-1].id


def is_versioned(backend: object) -> bool:
    """Whether the backend builds new indices behind an alias (Elasticsearch)."""
    return all(
        callable(getattr(backend, name, None))
        for name in ("new_index", "index_into", "switch_alias")
    )


def _rebuild_versioned(
    backend: SearchBackend, batch_size: int, progress: Callable[[int], object] | None
) -> int:
    """Fill a new index, then point the alias at it in one step (the old index is removed)."""
    name = backend.new_index()  # type: ignore[attr-defined]
    total = 0
    try:
        for batch in _published_batches(batch_size):
            documents = [document_for(listing) for listing in batch]
            total += backend.index_into(name, documents, chunk_size=batch_size)  # type: ignore[attr-defined]
            if progress is not None:
                progress(len(batch))
        backend.switch_alias(name)  # type: ignore[attr-defined]
    except BaseException:
        drop = getattr(backend, "delete_index", None)
        if callable(drop):
            try:
                drop(name)
            except Exception:
                log.exception("search: the half-built index %s could not be removed", name)
        raise
    return total


def _rebuild_in_place(
    backend: SearchBackend, batch_size: int, progress: Callable[[int], object] | None
) -> int:
    backend.clear()
    total = 0
    for batch in _published_batches(batch_size):
        total += backend.index(document_for(listing) for listing in batch)
        if progress is not None:
            progress(len(batch))
    optimize = getattr(backend, "optimize", None)
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
) -> int:
    """Rebuild an index (the primary by default) from the database; return how many were indexed.

    A backend with versioned indices (Elasticsearch) gets a new index filled
    with bulk requests, then the alias moves to it atomically: searches never
    see an empty or half-built index. Others are cleared and refilled.

    Events pending when the rebuild starts are covered by it and, with
    `mark_processed`, marked processed; events emitted meanwhile stay pending
    for the next drain (and, for a versioned rebuild, the listings they name are
    applied again to the new index once the alias has moved, in case a drain
    wrote them to the old one while the new one was being filled).
    """
    backend = _backend(backend)
    moment = now or clock_now()
    covered = db.session.scalar(
        select(func.max(OutboxEvent.id)).where(
            OutboxEvent.topic == TOPIC, OutboxEvent.processed_at.is_(None)
        )
    )
    started_after = db.session.scalar(
        select(func.max(OutboxEvent.id)).where(OutboxEvent.topic == TOPIC)
    )
    if is_versioned(backend):
        total = _rebuild_versioned(backend, batch_size, progress)
        newer = db.session.scalars(
            select(OutboxEvent.key).where(
                OutboxEvent.topic == TOPIC, OutboxEvent.id > (started_after or 0)
            )
        ).all()
        ids = _listing_ids(newer)
        for start in range(0, len(ids), batch_size):
            _apply(backend, ids[start : start + batch_size])
    else:
        total = _rebuild_in_place(backend, batch_size, progress)
    record_success(backend)
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
