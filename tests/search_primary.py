"""The app as with SEARCH_BACKEND=elasticsearch for one test: a fresh alias on a node (or a
relay in front of it) and an embedded fallback, put back as they were afterwards."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask

from search import EXTENSION_KEY, FALLBACK_KEY
from search.backend import SearchBackend
from search.circuit import reset_backoff


@contextlib.contextmanager
def elasticsearch_primary(
    app: Flask, url: str, tmp_path: Path, **client: Any
) -> Iterator[tuple[SearchBackend, SearchBackend]]:
    """`client` overrides the production client's settings (e.g. request_timeout)."""
    from search.elasticsearch import ElasticsearchBackend, make_client
    from search.embedded import EmbeddedSearchBackend

    primary = ElasticsearchBackend(
        make_client([url], **client),
        alias=f"test-{uuid.uuid4().hex[:10]}",
        refresh_on_write=True,
    )
    fallback = EmbeddedSearchBackend(tmp_path / "fallback.db")
    saved = app.extensions[EXTENSION_KEY], app.extensions.get(FALLBACK_KEY)
    app.extensions[EXTENSION_KEY], app.extensions[FALLBACK_KEY] = primary, fallback
    reset_backoff()
    try:
        yield primary, fallback
    finally:
        app.extensions[EXTENSION_KEY], app.extensions[FALLBACK_KEY] = saved
        reset_backoff()
        fallback.close()
        for index in (primary, *primary.opened_indices()):  # the needs index too, if used
            with contextlib.suppress(Exception):
                index.drop()
