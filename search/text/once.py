"""Tables a process builds once, by one thread: the others wait for it, never build too.

`functools.cache` lets every thread that arrives before the first result build it
again: a fresh gunicorn worker's eight threads, on their first English queries, each
built CC-CEDICT's tables (half a second of CPU apiece) at once. gunicorn loads them in
the master before the fork (`wsgi.warm`), so workers share them; `once` keeps any
other server from paying for them more than once.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def once(build: Callable[[], T]) -> Callable[[], T]:
    """`build()` called the first time only, by one thread; its result ever after."""
    lock = threading.Lock()
    built: list[T] = []

    @functools.wraps(build)
    def get() -> T:
        if not built:
            with lock:
                if not built:
                    built.append(build())
        return built[0]

    return get
