"""Search of listings: one SearchBackend interface, embedded and Elasticsearch backends.

`init_app()` creates the backend named by SEARCH_BACKEND and keeps it in
`app.extensions["search"]`; code reaches it through `get_backend()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app

from search.backend import SearchBackend

EXTENSION_KEY = "search"


def create_backend(config: Mapping[str, Any]) -> SearchBackend:
    """The backend that `config` names (SEARCH_BACKEND), configured from the same settings."""
    name = config.get("SEARCH_BACKEND", "embedded")
    if name == "embedded":
        from search.embedded import EmbeddedSearchBackend

        return EmbeddedSearchBackend(config["SEARCH_INDEX_PATH"])
    if name == "elasticsearch":
        # The Elasticsearch backend (search/elastic.py, official `elasticsearch` client,
        # ELASTICSEARCH_URL) plugs in here once it exists.
        raise RuntimeError("SEARCH_BACKEND=elasticsearch is not available yet; use 'embedded'.")
    raise RuntimeError(f"Unknown SEARCH_BACKEND {name!r}: expected 'embedded' or 'elasticsearch'.")


def init_app(app: Flask) -> None:
    """Create the configured backend (it opens its index lazily, on first use)."""
    app.extensions[EXTENSION_KEY] = create_backend(app.config)


def get_backend() -> SearchBackend:
    """The current app's search backend."""
    return current_app.extensions[EXTENSION_KEY]  # type: ignore[no-any-return]
