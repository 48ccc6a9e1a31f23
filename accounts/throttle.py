"""Failed sign-ins counted per account and per client address, and the locks they cause.

The counts live in the rate limiter's storage (memory for one process, Redis shared by
every worker): short-lived and never in the database. An unknown email is counted and
locked exactly like a known one, so a lock tells nothing about which accounts exist.
Lock ends are compared with the injected `now`; the storage's own expiry only forgets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from limits.storage import Storage

from accounts.lockout_rules import LockoutPolicy, SignInLocked, lock_duration


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
    ) -> None:
        self._storage = storage
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
        )

    def check(self, email: str, address: str, *, now: datetime) -> None:
        """Raise SignInLocked while the account or the address is locked."""
        until = max(self._locked_until(key) for key in self._keys(email, address).values())
        if until > now:
            raise SignInLocked(until=until, now=now)

    def failed(self, email: str, address: str, *, now: datetime) -> None:
        """Count a failed sign-in; lock the account or the address once it has failed enough.

        Raises SignInLocked when this failure starts a lock, so the page says so at once.
        """
        locks = []
        for kind, key in self._keys(email, address).items():
            failures = self._storage.incr(f"{key}/failures", self._memory)
            duration = lock_duration(failures, self._policies[kind])
            if duration is not None:
                locks.append(now + duration)
                self._storage.clear(f"{key}/until")
                self._storage.incr(f"{key}/until", self._memory, int((now + duration).timestamp()))
        if locks:
            raise SignInLocked(until=max(locks), now=now)

    def succeeded(self, email: str) -> None:
        """Forget the account's failures (not the address's: a shared address stays counted)."""
        key = self._keys(email, "")["account"]
        self._storage.clear(f"{key}/failures")
        self._storage.clear(f"{key}/until")

    def _keys(self, email: str, address: str) -> dict[str, str]:
        # Emails are hashed: the shared storage holds no addresses of people.
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        base = f"{self._prefix}/signin"
        return {"account": f"{base}/account/{digest}", "address": f"{base}/address/{address}"}

    def _locked_until(self, key: str) -> datetime:
        return datetime.fromtimestamp(self._storage.get(f"{key}/until"), UTC)
