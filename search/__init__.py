"""Search of listings: one SearchBackend interface, embedded and Elasticsearch backends.

`init_app()` creates the backend named by SEARCH_BACKEND and keeps it in
`app.extensions["search"]`; code reaches it through `get_backend()` (the
primary). With SEARCH_BACKEND=elasticsearch the app also keeps the embedded
backend as a fallback (`get_fallback()`): the indexer feeds both, and queries
are answered from the fallback while the Elasticsearch cluster is unreachable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app

from search.backend import SearchBackend

EXTENSION_KEY = "search"
FALLBACK_KEY = "search.fallback"


def elasticsearch_urls(value: str | None) -> list[str]:
    """The nodes of ELASTICSEARCH_URL: one URL or several separated by commas."""
    return [url.strip() for url in (value or "").split(",") if url.strip()]


def create_elasticsearch_backend(config: Mapping[str, Any]) -> SearchBackend:
    """An Elasticsearch backend configured from ELASTICSEARCH_* settings."""
    from search.elasticsearch import ElasticsearchBackend, make_client

    urls = elasticsearch_urls(config.get("ELASTICSEARCH_URL"))
    if not urls:
        raise RuntimeError(
            "SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL "
            "(e.g. https://es1:9200,https://es2:9200)."
        )
    username = config.get("ELASTICSEARCH_USERNAME")
    password = config.get("ELASTICSEARCH_PASSWORD")
    client = make_client(
        urls,
        api_key=config.get("ELASTICSEARCH_API_KEY") or None,
        basic_auth=(username, password or "") if username else None,
        ca_certs=config.get("ELASTICSEARCH_CA_CERTS") or None,
        request_timeout=float(config.get("ELASTICSEARCH_TIMEOUT", 5.0)),
        max_retries=int(config.get("ELASTICSEARCH_MAX_RETRIES", 1)),
    )
    return ElasticsearchBackend(
        client,
        alias=config.get("ELASTICSEARCH_INDEX_ALIAS") or "marketplace-listings",
        settings={"number_of_replicas": int(config.get("ELASTICSEARCH_REPLICAS", 0))},
    )


def create_backend(config: Mapping[str, Any]) -> SearchBackend:
    """The backend that `config` names (SEARCH_BACKEND), configured from the same settings."""
    name = config.get("SEARCH_BACKEND", "embedded")
    if name == "embedded":
        from search.embedded import EmbeddedSearchBackend

        return EmbeddedSearchBackend(config["SEARCH_INDEX_PATH"])
    if name == "elasticsearch":
        return create_elasticsearch_backend(config)
    raise RuntimeError(f"Unknown SEARCH_BACKEND {name!r}: expected 'embedded' or 'elasticsearch'.")


def create_fallback(config: Mapping[str, Any]) -> SearchBackend | None:
    """The embedded index that answers while a remote primary is down (None if embedded is primary)."""
    if config.get("SEARCH_BACKEND", "embedded") == "embedded":
        return None
    from search.embedded import EmbeddedSearchBackend

    return EmbeddedSearchBackend(config["SEARCH_INDEX_PATH"])


def init_app(app: Flask) -> None:
    """Create the configured backends (they open their index lazily, on first use)."""
    app.extensions[EXTENSION_KEY] = create_backend(app.config)
    app.extensions[FALLBACK_KEY] = create_fallback(app.config)


def get_backend() -> SearchBackend:
    """The current app's (primary) search backend."""
    return current_app.extensions[EXTENSION_KEY]


def get_fallback() -> SearchBackend | None:
    """The backend that answers while the primary is unreachable, if the app has one."""
    return current_app.extensions.get(FALLBACK_KEY)


def all_backends() -> list[SearchBackend]:
    """The primary, then the fallback if any: every index the indexer keeps current."""
    fallback = get_fallback()
    primary = get_backend()
    return [primary] if fallback is None or fallback is primary else [primary, fallback]
