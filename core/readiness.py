"""Reachability of the job queue and the file storage, for /readyz (never raises)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)


def queue_state() -> str:
    """The job queue's state: "ok" when it answers (Redis or the SQLite file), else "error".

    Redis waits are bounded by the client's timeouts (core.jobs.make_huey).
    """
    try:
        current_app.extensions["jobs"].huey.storage.queue_size()
    except Exception:  # a probe reports, it does not fail
        log.warning("readiness: the job queue cannot be reached", exc_info=True)
        return "error"
    return "ok"


def storage_state() -> str:
    """The storage's state: "ok" when the upload folder exists (or can be made) and is
    writable, or the bucket answers (within STORAGE_BUDGET_MS, behind the "storage"
    breaker: while it is open, "error" at once), else "error"."""
    from core.storage import document_store
    from core.storage.guard import GuardedStore

    store = document_store()
    if isinstance(store, GuardedStore):
        return "ok" if store.reachable() else "error"
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        log.warning("readiness: the upload folder %s cannot be made", folder, exc_info=True)
        return "error"
    return "ok" if os.access(folder, os.W_OK) else "error"
