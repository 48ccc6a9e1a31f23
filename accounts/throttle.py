"""Failed sign-ins counted per account and per client address, and the locks they cause.

The counts live in the rate limiter's storage (memory for one process, Redis shared by
every worker): short-lived and never in the database. An unknown email is counted and
locked exactly like a known one, so a lock tells nothing about which accounts exist.
Lock ends are compared with the injected `now`; the storage's own expiry only forgets.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any

from flask import has_app_context
from limits.storage import Storage

from accounts.lockout_rules import LockoutPolicy, SignInLocked, lock_duration
from core.breaker import Breaker, breaker
from core.domain import N_, DomainError

log = logging.getLogger(__name__)


class SignInThrottle:
    """The lockout state of sign-ins: check before a password is tried, record the outcome."""

    def __init__(
        self,
        storage: Storage,
        *,
        account: LockoutPolicy,
        address: LockoutPolicy,
        memory: timedelta,
        prefix: str = "market",
        gate: Breaker | None = None,
    ) -> None:
        """`gate`: the storage's circuit breaker, if any (the app's "redis" breaker)."""
        self._storage = storage
        self._gate = gate
        self._policies = {"account": account, "address": address}
        self._memory = int(memory.total_seconds())
        self._prefix = prefix

    @classmethod
    def from_config(cls, storage: Storage, config: Mapping[str, Any]) -> SignInThrottle:
        """The throttle the settings describe (SIGNIN_* in config.py)."""

        def policy(free_failures: int) -> LockoutPolicy:
            return LockoutPolicy(
                free_failures=free_failures,
                first_lock=timedelta(seconds=config["SIGNIN_LOCK_FIRST_SECONDS"]),
                max_lock=timedelta(seconds=config["SIGNIN_LOCK_MAX_SECONDS"]),
            )

        return cls(
            storage,
            account=policy(config["SIGNIN_ACCOUNT_FREE_FAILURES"]),
            address=policy(config["SIGNIN_ADDRESS_FREE_FAILURES"]),
            memory=timedelta(seconds=config["SIGNIN_FAILURE_MEMORY_SECONDS"]),
            prefix=config.get("RATELIMIT_KEY_PREFIX", "market"),
            gate=breaker("redis") if has_app_context() else None,
        )

    def check(self, email: str, address: str, *, now: datetime) -> None:
        """Raise SignInLocked while the account or the address is locked.

        Fails closed: while the storage (Redis) cannot be reached, or failed just now
        (the "redis" breaker is open), SignInUnavailable, never a sign-in unthrottled.
        """
        with _storage_guard(self._gate):
            until = max(self._locked_until(key) for key in self._keys(email, address).values())
        if until > now:
            raise SignInLocked(until=until, now=now)

    def failed(self, email: str, address: str, *, now: datetime) -> None:
        """Count a failed sign-in; lock the account or the address once it has failed enough.

        Raises SignInLocked when this failure starts a lock, so the page says so at once.
        """
        with _storage_guard(self._gate):
            locks = self._count_failure(email, address, now)
        if locks:
            raise SignInLocked(until=max(locks), now=now)

    def _count_failure(self, email: str, address: str, now: datetime) -> list[datetime]:
        locks = []
        for kind, key in self._keys(email, address).items():
            failures = self._storage.incr(f"{key}/failures", self._memory)
            duration = lock_duration(failures, self._policies[kind])
            if duration is not None:
                locks.append(now + duration)
                self._storage.clear(f"{key}/until")
                self._storage.incr(f"{key}/until", self._memory, int((now + duration).timestamp()))
        return locks

    def succeeded(self, email: str) -> None:
        """Forget the account's failures (not the address's: a shared address stays counted)."""
        key = self._keys(email, "")["account"]
        with _storage_guard(self._gate):
            self._storage.clear(f"{key}/failures")
            self._storage.clear(f"{key}/until")

    def _keys(self, email: str, address: str) -> dict[str, str]:
        # Emails are hashed: the shared storage holds no addresses of people.
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        base = f"{self._prefix}/signin"
        return {"account": f"{base}/account/{digest}", "address": f"{base}/address/{address}"}

    def _locked_until(self, key: str) -> datetime:
        return datetime.fromtimestamp(self._storage.get(f"{key}/until"), UTC)


class SignInUnavailable(DomainError):
    """The lockout counts cannot be read or written just now: sign-in waits (fails closed)."""

    code = "sign_in_unavailable"
    status = HTTPStatus.SERVICE_UNAVAILABLE


@contextmanager
def _storage_guard(gate: Breaker | None) -> Iterator[None]:
    """Storage calls behind the breaker `gate`; any failure of theirs refuses the sign-in."""
    if gate is not None and not gate.allow():
        raise _unavailable()
    try:
        yield
    except DomainError:
        raise
    except Exception as error:  # redis, limits: whichever error, the counts are unknown
        if gate is not None:
            gate.failure()
        log.warning("sign-in refused: the lockout storage failed: %s", error)
        raise _unavailable() from error
    if gate is not None:
        gate.success()


def _unavailable() -> SignInUnavailable:
    return SignInUnavailable(N_("Signing in is briefly unavailable. Please try again in a minute."))
