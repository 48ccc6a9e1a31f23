"""Search backends under test: the contract suite runs against each of them.

To add a backend, add its name to SEARCH_BACKENDS and a branch in `search_backend`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search.backend import SearchBackend

SEARCH_BACKENDS = ["embedded"]  # later: "elasticsearch" (a node from devservices/)


@pytest.fixture(params=SEARCH_BACKENDS)
def search_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    """An empty backend of each kind, private to the test."""
    if request.param == "embedded":
        from search.embedded import EmbeddedSearchBackend

        backend = EmbeddedSearchBackend(tmp_path / "search.db")
        yield backend
        backend.close()
    else:  # pragma: no cover - each backend gets its branch when it exists
        pytest.skip(f"no fixture for the {request.param} backend")
