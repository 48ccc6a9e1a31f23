"""gunicorn's settings: `gunicorn wsgi:app` (or `-c gunicorn.conf.py`, the default file name).

The app, the search text tools (jieba's dictionary, CC-CEDICT and pinyin as mapped tries, OpenCC),
the compiled templates and the message catalogues are loaded once, in the master, before
it forks the workers (`preload_app`, `marketplace.warming`): the workers share those
pages and start ready, so a worker's first search is as fast as its tenth. What must
not be shared across a fork (database connections) is renewed in each worker.
"""

from __future__ import annotations

import os
from typing import Any

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
preload_app = True
MALLOC_ARENAS = int(os.environ.get("MALLOC_ARENA_MAX", "2"))


def _limit_malloc_arenas(arenas: int) -> None:
    """At most `arenas` glibc malloc arenas (default: 8 per core).

    A gthread worker's threads would each allocate from an arena of their own, and each
    arena keeps its freed memory: 7 MB of a worker's RSS after the bench/memory.py run.
    The GIL serialises most allocations anyway. Set here, in the master before the app
    loads (gunicorn reads this file first); the workers inherit it. Not glibc: no-op."""
    import ctypes
    import ctypes.util

    m_arena_max = -8  # glibc's malloc.h
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(m_arena_max, arenas)
    except (OSError, AttributeError):
        pass


_limit_malloc_arenas(MALLOC_ARENAS)


def when_ready(server: Any) -> None:
    """In the master, after the app is loaded and before the fork: load what requests use.

    Then the objects loaded so far are frozen out of the collector: a worker's collections
    would otherwise write to every one of them and so copy every page they are on."""
    import gc

    from wsgi import warm

    warm()
    gc.collect()
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    """A forked worker opens database connections of its own (never the master's)."""
    from core.extensions import db
    from wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)
