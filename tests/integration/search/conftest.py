"""Search backends under test: the contract suite runs against each of them.

The Elasticsearch backend runs on the node named by ELASTICSEARCH_URL (`make
test` starts one with devservices/elasticsearch.sh). Without it the
Elasticsearch cases are skipped on a workstation and fail in CI (CI=true): a
missing service there is a broken build, not a reason to pass.

To add a backend, add its name to SEARCH_BACKENDS and a branch in `search_backend`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from search.backend import SearchBackend

SEARCH_BACKENDS = ["embedded", "elasticsearch"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def elasticsearch_url() -> str:
    """The node to test against; skip (workstation) or fail (CI) when there is none."""
    url = os.environ.get("ELASTICSEARCH_URL", "").strip()
    if not url:
        message = (
            "ELASTICSEARCH_URL is not set: start a node with "
            "`devservices/elasticsearch.sh start` (or run `make test`)"
        )
        if _in_ci():
            pytest.fail(f"CI: the Elasticsearch contract tests need a node. {message}")
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def es_client():  # type: ignore[no-untyped-def]
    """One client for the session, for the node of ELASTICSEARCH_URL."""
    from search.elasticsearch import make_client

    client = make_client(elasticsearch_url().split(","), request_timeout=30)
    yield client
    client.close()


@pytest.fixture
def es_backend(es_client) -> Iterator[SearchBackend]:  # type: ignore[no-untyped-def]
    """An Elasticsearch backend on a fresh alias of its own, removed afterwards.

    Writes refresh at once, so a test sees what it just indexed.
    """
    from search.elasticsearch import ElasticsearchBackend

    backend = ElasticsearchBackend(
        es_client, alias=f"test-{uuid.uuid4().hex[:12]}", refresh_on_write=True
    )
    backend.ensure_index()
    yield backend
    backend.drop()
    for index in backend.opened_indices():  # the test used the needs index: remove it too
        index.drop()


@pytest.fixture(params=SEARCH_BACKENDS)
def search_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    """An empty backend of each kind, private to the test."""
    if request.param == "embedded":
        from search.embedded import EmbeddedSearchBackend

        backend = EmbeddedSearchBackend(tmp_path / "search.db")
        yield backend
        backend.close()
    elif request.param == "elasticsearch":
        yield request.getfixturevalue("es_backend")
    else:  # pragma: no cover - each backend gets its branch when it exists
        pytest.skip(f"no fixture for the {request.param} backend")
