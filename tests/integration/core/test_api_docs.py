"""The OpenAPI document written on its first read is the one written while the app starts.

`core.api_docs` defers the document and stops flask-smorest's deep copies; a client of
/api/v1/openapi.json must not notice either.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from core.api_docs import LazySpecApi, doc_copy
from core.extensions import api
from marketplace import create_app


def _app(folder: Path) -> Flask:
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'docs.db'}",
            "SEARCH_INDEX_PATH": str(folder / "search.db"),
            "UPLOAD_FOLDER": str(folder / "uploads"),
        }
    )


def _served(app: Flask) -> dict[str, Any]:
    answer = app.test_client().get("/api/v1/openapi.json")
    assert answer.status_code == 200
    found: dict[str, Any] = json.loads(answer.data)
    return found


def test_the_document_read_later_is_the_one_written_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same paths, schemas, tags and order; the blueprints' own documentation is intact after
    one app wrote its document (a second app registering them writes the same)."""
    lazy = _served(_app(tmp_path))
    monkeypatch.setattr(LazySpecApi, "describe_later", lambda self, describe: describe(self.spec))
    eager = _served(_app(tmp_path))
    assert json.dumps(lazy) == json.dumps(eager)  # the order of keys included
    assert len(lazy["paths"]) > 100
    assert "/api/v1/listings/" in lazy["paths"]
    assert "WebhookEvent" in lazy["components"]["schemas"]
    assert lazy["webhooks"]


def test_readers_at_once_all_get_the_whole_document(tmp_path: Path) -> None:
    """Four threads read the document the app has not written yet: none gets half of it."""
    app = _app(tmp_path)
    with ThreadPoolExecutor(4) as pool:
        documents = list(pool.map(lambda _: json.dumps(_served(app)), range(4)))
    assert len(set(documents)) == 1
    with app.app_context():
        paths = api.spec.to_dict()["paths"]  # type: ignore[union-attr]
    assert any(path.startswith("/api/v1/rewards") for path in paths)
    assert any(path.startswith("/api/v1/listings") for path in paths)


def test_doc_copy_copies_containers_and_shares_the_rest() -> None:
    schema = object()
    original = {"responses": {200: [{"schema": schema}]}, "tags": ("a", ["b"])}
    copied = doc_copy(original)
    copied["responses"][200][0]["schema"] = "replaced"
    copied["responses"][200].append("more")
    copied["tags"][1].append("c")
    assert original == {"responses": {200: [{"schema": schema}]}, "tags": ("a", ["b"])}
    assert doc_copy(original)["responses"][200][0]["schema"] is schema
