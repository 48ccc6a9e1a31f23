"""Circuit breakers around the app's external dependencies, and request time budgets.

A breaker counts a dependency's failures (errors and timeouts). After
`failures` of them within `window` seconds it opens: callers skip the
dependency and take their fallback at once, for `cooldown` seconds. Then the
breaker is half-open: one caller makes a trial call; its success closes the
breaker, its failure opens it for another cool-down. Every opening counts as
a trip (`trips`, for the metrics).

State is per worker process (one `Breakers` per app): a shared state would
live in Redis, itself a dependency that can hang. Each worker learns of an
outage after `failures` calls that each cost at most their budget.

A budget (`within(seconds)`) bounds how long the code under it may wait for
dependencies: clients read `remaining()` and shorten their timeouts.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flask import current_app, has_app_context

log = logging.getLogger(__name__)
EXTENSION_KEY = "breakers"
# The dependencies /healthz reports, in this order (others appear once used).
KNOWN = ("search", "stripe", "smtp", "redis", "storage")


class State(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


@dataclass(frozen=True)
class Policy:
    """When a breaker opens (`failures` within `window` s) and how long it stays open."""

    failures: int = 3
    window: float = 30.0
    cooldown: float = 30.0


class Breaker:
    """One dependency's breaker: `allow()` before a call, then `success()` or `failure()`."""

    def __init__(
        self, name: str, policy: Policy, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.name = name
        self.policy = policy
        self.trips = 0
        self._clock = clock
        self._failures: deque[float] = deque()
        self._opened_at: float | None = None
        self._trial_at: float | None = None  # a half-open trial call is under way since
        self._lock = threading.Lock()

    @property
    def state(self) -> State:
        """Closed, open, or half-open (the cool-down is over: the next call is a trial)."""
        with self._lock:
            return self._state(self._clock())

    def _state(self, now: float) -> State:
        if self._opened_at is None:
            return State.CLOSED
        if now - self._opened_at < self.policy.cooldown:
            return State.OPEN
        return State.HALF_OPEN

    @property
    def recent_failures(self) -> int:
        """Failures counted towards opening (since the last success, within the window)."""
        with self._lock:
            return len(self._failures)

    def allow(self) -> bool:
        """Whether to call the dependency now: always when closed, never when open;
        half-open, only the one trial call (another once a trial has gone unanswered
        for a whole cool-down)."""
        with self._lock:
            now = self._clock()
            state = self._state(now)
            if state is State.CLOSED:
                return True
            if state is State.OPEN:
                return False
            if self._trial_at is not None and now - self._trial_at < self.policy.cooldown:
                return False
            self._trial_at = now
            return True

    def success(self) -> None:
        """The dependency answered: a half-open (or open) breaker closes."""
        with self._lock:
            was_open = self._opened_at is not None
            self._opened_at = self._trial_at = None
            self._failures.clear()
        if was_open:
            log.warning("breaker %s closed: the dependency answers again", self.name)

    def failure(self) -> None:
        """The dependency failed or timed out: count it; open when the window is full,
        or again at once when it was the half-open trial."""
        with self._lock:
            now = self._clock()
            if self._opened_at is not None:
                if self._trial_at is None:
                    return  # a call begun before the breaker opened
                self._open(now)
                return
            self._failures.append(now)
            while self._failures and now - self._failures[0] > self.policy.window:
                self._failures.popleft()
            if len(self._failures) >= self.policy.failures:
                self._open(now)

    def trip(self) -> None:
        """Open at once (a caller knows the dependency is gone, e.g. it refused a whole batch)."""
        with self._lock:
            if self._opened_at is None:
                self._open(self._clock())

    def _open(self, now: float) -> None:
        self._opened_at, self._trial_at = now, None
        self._failures.clear()
        self.trips += 1
        log.warning(
            "breaker %s opened (trip %d): callers fall back for %.1f s",
            self.name, self.trips, self.policy.cooldown,
        )  # fmt: skip


class Breakers:
    """The breakers of one app (one worker), created on first use from its settings."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self._config = config
        self._made: dict[str, Breaker] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> Breaker:
        with self._lock:
            found = self._made.get(name)
            if found is None:
                found = self._made[name] = Breaker(name, policy_of(self._config, name))
            return found

    def states(self) -> dict[str, str]:
        """Each dependency's state by name: the known ones, then any other used so far."""
        names = list(dict.fromkeys([*KNOWN, *self._made]))
        return {name: self.get(name).state.value for name in names}

    def all(self) -> list[Breaker]:
        return [self.get(name) for name in dict.fromkeys([*KNOWN, *self._made])]

    def reset(self) -> None:
        with self._lock:
            self._made.clear()


def policy_of(config: Mapping[str, Any], name: str) -> Policy:
    """BREAKER_<NAME>_FAILURES / _WINDOW_SECONDS / _COOLDOWN_SECONDS, else BREAKER_*."""
    prefix = f"BREAKER_{name.upper()}_"

    def setting(key: str, default: float) -> float:
        return float(config.get(prefix + key, config.get("BREAKER_" + key, default)))

    return Policy(
        failures=max(1, int(setting("FAILURES", 3))),
        window=setting("WINDOW_SECONDS", 30.0),
        cooldown=setting("COOLDOWN_SECONDS", 30.0),
    )


def init_app(app: Any) -> None:
    app.extensions[EXTENSION_KEY] = Breakers(app.config)


def breakers() -> Breakers:
    """The current app's breakers (made on first use)."""
    made = current_app.extensions.get(EXTENSION_KEY)
    if made is None:
        made = current_app.extensions[EXTENSION_KEY] = Breakers(current_app.config)
    return made


def breaker(name: str) -> Breaker:
    """The current app's breaker of the dependency `name`."""
    return breakers().get(name)


# --- budgets ------------------------------------------------------------------------------

_deadline: ContextVar[float | None] = ContextVar("dependency_deadline", default=None)


@contextmanager
def within(seconds: float | None) -> Iterator[None]:
    """Bound the dependency calls under it to `seconds` in all (None: no bound of its own)."""
    if seconds is None:
        yield
        return
    outer = _deadline.get()
    deadline = time.monotonic() + max(0.0, seconds)
    token = _deadline.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining() -> float | None:
    """Seconds left of the current budget (0 when spent), None outside any budget."""
    deadline = _deadline.get()
    return None if deadline is None else max(0.0, deadline - time.monotonic())


def budget_seconds(setting: str, default_ms: int) -> float | None:
    """A budget setting (milliseconds in the configuration) in seconds; None outside an app."""
    if not has_app_context():
        return None
    return int(current_app.config.get(setting, default_ms)) / 1000.0
