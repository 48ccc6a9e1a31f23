"""When to try a failing backend (or one failing document) again: back-off held in the process.

After a failure a backend is left alone for a back-off that doubles with
each consecutive failure (2 s, 4 s, ... up to 5 min; `retry_at()`), so a dead
node is not hammered by every request. The state is kept per backend object,
not in the database: a restarted worker simply tries again at once. Every
kind of document on one backend shares its circuit (one cluster, one outage).
"""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from search.backend import SearchUnavailable

BACKOFF_FIRST_SECONDS = 2.0
BACKOFF_MAX_SECONDS = 300.0
log = logging.getLogger(__name__)


def backoff_seconds(failures: int) -> float:
    """The pause after `failures` consecutive failures: 2 s, 4 s, 8 s, ... at most 5 min."""
    if failures <= 0:
        return 0.0
    return min(BACKOFF_FIRST_SECONDS * 2 ** min(failures - 1, 30), BACKOFF_MAX_SECONDS)


@dataclass
class Circuit:
    """What this process knows of one backend's recent failures.

    `documents` holds, per (kind, id) that failed on its own, (failures, retry at);
    `fallback_cursors` the highest event id of each kind applied to this backend
    as a fallback.
    """

    failures: int = 0
    retry_at: datetime | None = None
    last_error: str | None = None
    documents: dict[tuple[str, int], tuple[int, datetime]] = field(default_factory=dict)
    fallback_cursors: dict[str, int] = field(default_factory=dict)


_circuits: dict[int, tuple[weakref.ref[object], Circuit]] = {}
_circuits_lock = threading.Lock()


def circuit(backend: object) -> Circuit:
    """The state of `backend` (keyed by the object: a new client starts with a clean slate)."""
    with _circuits_lock:
        entry = _circuits.get(id(backend))
        if entry is not None and entry[0]() is backend:
            return entry[1]
        for key in [k for k, (ref, _) in _circuits.items() if ref() is None]:
            del _circuits[key]
        state = Circuit()
        _circuits[id(backend)] = (weakref.ref(backend), state)
        return state


def retry_at(backend: object, now: datetime) -> datetime | None:
    """When a backend that failed may be tried again; None when it may be tried now."""
    moment = circuit(backend).retry_at
    return moment if moment is not None and moment > now else None


def last_failure(backend: object) -> str | None:
    """The last error of a backend that is failing, None once it works again."""
    state = circuit(backend)
    return state.last_error if state.failures else None


def record_failure(backend: object, exc: BaseException, now: datetime) -> datetime:
    """Note that `backend` could not be reached; return when to try it again."""
    state = circuit(backend)
    state.failures += 1
    state.last_error = message(exc)
    state.retry_at = now + timedelta(seconds=backoff_seconds(state.failures))
    return state.retry_at


def record_success(backend: object) -> None:
    """`backend` answered: no more back-off."""
    state = circuit(backend)
    if state.failures or state.retry_at is not None:
        log.info("search: %s answers again", getattr(backend, "name", backend))
    state.failures = 0
    state.retry_at = None
    state.last_error = None


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


def message(exc: BaseException) -> str:
    """An error as stored in an outbox event's `last_error` (bounded)."""
    return f"{type(exc).__name__}: {exc}"[:2000]
