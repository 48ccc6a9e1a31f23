"""A worker's short memory: a map whose entries expire a few seconds after they were put,
holding at most so many (the least recently put go first).

Not thread-safe by itself: its owner holds a lock around each use (what it checks and
puts together must not interleave with another thread's).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class TimedMap(Generic[K, V]):
    """Entries kept `seconds` after they were put, `most` of them at the most."""

    def __init__(self, seconds: float, most: int) -> None:
        self.seconds, self.most = seconds, most
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The value put less than `seconds` ago, else None (an expired entry is dropped)."""
        found = self._entries.get(key)
        if found is None:
            return None
        if found[0] <= time.monotonic():
            del self._entries[key]
            return None
        return found[1]

    def put(self, key: K, value: V) -> None:
        """Keep `value` for `seconds` from now, as the most recent entry."""
        self._entries[key] = (time.monotonic() + self.seconds, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.most:
            self._entries.popitem(last=False)

    def update(self, key: K, value: V) -> None:
        """Change a kept entry's value, not its expiry (nothing if it is not kept)."""
        found = self._entries.get(key)
        if found is not None:
            self._entries[key] = (found[0], value)

    def pop(self, key: K) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries.clear()
