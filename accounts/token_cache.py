"""What each worker remembers of the API tokens it has checked, for a short while.

Every API call presents its token. Looking it up each time costs a query and the
rows' processing; a token's facts (its owner, scope, expiry) do not change, and its
revocation is the one change that matters. So a worker keeps, per token digest, those
facts for TTL_SECONDS: a call within that time reads only its user (by primary key).

Staleness: revoking a token forgets it at once in the revoking process
(`forget`); other worker processes may accept it for at most TTL_SECONDS more. The
expiry is checked against the clock on every call, and the user's `active` flag is
read fresh with the user, so neither is stale.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import datetime

from accounts.models import TokenScope
from core.timed_map import TimedMap

TTL_SECONDS = 30.0
MAX_TOKENS = 10_000


@dataclass(frozen=True)
class KnownToken:
    """A valid token's facts as read from the database (revoked ones are never kept)."""

    token_id: int
    user_id: int
    scope: TokenScope
    expires_at: datetime
    last_used_at: datetime | None


_lock = threading.Lock()
_known: TimedMap[str, KnownToken] = TimedMap(TTL_SECONDS, MAX_TOKENS)


def recall(token_hash: str) -> KnownToken | None:
    """The token's facts if this worker read them less than TTL_SECONDS ago."""
    with _lock:
        return _known.get(token_hash)


def remember(token_hash: str, token: KnownToken) -> None:
    """Keep a valid token's facts for TTL_SECONDS (the oldest go past MAX_TOKENS)."""
    with _lock:
        _known.put(token_hash, token)


def noted_use(token_hash: str, moment: datetime) -> None:
    """The token's last use was written: remember it, so it is not written again soon."""
    with _lock:
        found = _known.get(token_hash)
        if found is not None:
            _known.update(token_hash, replace(found, last_used_at=moment))


def forget(token_hash: str) -> None:
    """The token was revoked: this worker no longer remembers it."""
    with _lock:
        _known.pop(token_hash)


def clear() -> None:
    """Forget every token (tests)."""
    with _lock:
        _known.clear()
