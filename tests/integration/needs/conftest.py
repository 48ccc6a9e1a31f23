"""Matching tests search an index of their own, so other tests' documents cannot interfere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from search import EXTENSION_KEY
from search.embedded import EmbeddedSearchBackend


@pytest.fixture
def fresh_search(app: Flask, tmp_path: Path) -> Iterator[EmbeddedSearchBackend]:
    """The app's search backend replaced by an empty embedded index for the test."""
    original = app.extensions[EXTENSION_KEY]
    backend = EmbeddedSearchBackend(tmp_path / "search.db")
    app.extensions[EXTENSION_KEY] = backend
    yield backend
    app.extensions[EXTENSION_KEY] = original
    backend.close()
