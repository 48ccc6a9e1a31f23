"""Huey, loaded without the database drivers this process does not use.

`huey.storage` imports `redis` and `psycopg` whenever they are installed, for its Redis
and PostgreSQL storages: 12 and 7 MB of every process that merely declares a job, a
web worker on SQLite among them. So they are hidden while Huey loads (what is already
loaded stays visible), and `redis_storage_ready()` hands Huey the Redis client when a
queue on Redis is made (`core.jobs.make_huey`). Huey's PostgreSQL storage is never used.

Import Huey's names from here (or from `core.jobs`), never from `huey` directly: the
first import of `huey` decides what it holds.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

_UNUSED_DRIVERS = ("redis", "psycopg")


@contextmanager
def _hidden(names: tuple[str, ...]) -> Iterator[None]:
    """`import NAME` raises ImportError inside the block, for the names not loaded yet."""
    hidden = [name for name in names if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


with _hidden(_UNUSED_DRIVERS):
    from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab
    from huey import storage as _storage
    from huey.api import TaskWrapper
    from huey.consumer import Consumer


def redis_storage_ready() -> None:
    """Give Huey's Redis storage the client it would have imported (idempotent)."""
    if _storage.Redis is not None:
        return
    import redis
    from redis import exceptions

    _storage.ConnectionPool = redis.ConnectionPool
    _storage.Redis = redis.Redis
    _storage.ConnectionError = exceptions.ConnectionError
    _storage.TimeoutError = exceptions.TimeoutError
    _storage.RedisStorage.redis_client = redis.Redis


__all__ = [
    "Consumer",
    "Huey",
    "MemoryHuey",
    "RedisHuey",
    "SqliteHuey",
    "TaskWrapper",
    "crontab",
    "redis_storage_ready",
]
