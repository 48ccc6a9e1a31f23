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
