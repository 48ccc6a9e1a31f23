"""The document store's contract, run against both backends: a folder and a real S3 server.

The S3 half needs S3_TEST_URL (devservices/s3.sh; `make test` starts it).
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from core import storage
from core.domain import ValidationFailed
from core.storage import DocumentStore, LocalStore
from core.storage.migrate import migrate
from tests import factories
from tests import s3 as s3_server

PNG_HEAD = b"\x89PNG\r\n\x1a\n" + b"\x00" * 300


@pytest.fixture(scope="module")
def s3_bucket() -> Iterator[tuple[Any, str]]:
    with s3_server.bucket() as found:
        yield found


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> DocumentStore:
    if request.param == "local":
        return LocalStore(tmp_path / "uploads")
    client, name = request.getfixturevalue("s3_bucket")
    return s3_server.store(client, name)


@pytest.fixture
def app_store(app: Flask, store: DocumentStore) -> Iterator[DocumentStore]:
    """The store as the app's, in an app context (the use cases find it there)."""
    with app.app_context():
        saved = app.extensions.get("document_store")
        app.extensions["document_store"] = store
        try:
            yield store
        finally:
            app.extensions["document_store"] = saved


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_put_open_info_keys_replace_delete(store: DocumentStore) -> None:
    data = factories.PDF_BYTES
    assert store.info("evidence/a.pdf") is None
    store.put("evidence/a.pdf", io.BytesIO(data), content_type="application/pdf", sha256=_sha(data))
    with store.open("evidence/a.pdf") as body:
        assert body.read() == data
    found = store.info("evidence/a.pdf")
    assert found is not None and (found.size, found.sha256) == (len(data), _sha(data))
    assert sorted(store.keys()) == ["evidence/a.pdf"]
    store.put(
        "evidence/a.pdf", io.BytesIO(PNG_HEAD), content_type="image/png", sha256=_sha(PNG_HEAD)
    )
    with store.open("evidence/a.pdf") as body:
        assert body.read() == PNG_HEAD
    store.delete("evidence/a.pdf")
    store.delete("evidence/a.pdf")  # twice is fine
    assert store.info("evidence/a.pdf") is None and list(store.keys()) == []
    with pytest.raises(FileNotFoundError):
        store.open("evidence/a.pdf")


def test_a_large_document_goes_up_in_parts_and_comes_back_whole(store: DocumentStore) -> None:
    data = b"%PDF-1.4\n" + os.urandom(9 * 1024 * 1024)  # over the 8 MiB multipart threshold
    store.put("deals/big.pdf", io.BytesIO(data), content_type="application/pdf", sha256=_sha(data))
    with store.open("deals/big.pdf") as body:
        assert _sha(body.read()) == _sha(data)


def test_uploads_are_checked_while_streaming_and_refusals_keep_nothing(
    app_store: DocumentStore, tmp_path: Path
) -> None:
    folder = tmp_path / "uploads" / "evidence"
    big = factories.PDF_BYTES + b"0" * 2_000_000  # spooled to disk past 1 MiB
    stored = storage.save_evidence(folder, io.BytesIO(big), "../证书.pdf", 3_000_000)
    assert (stored.content_type, stored.size, stored.sha256) == (
        "application/pdf",
        len(big),
        _sha(big),
    )
    assert stored.original_name == "证书.pdf" and stored.stored_name.endswith(".pdf")
    assert storage.document_exists(folder, stored.stored_name)
    for refused, limit in ((b"", 100), (b"MZ\x90\x00" * 100, 10_000), (big, 1_000_000)):
        with pytest.raises(ValidationFailed):
            storage.save_evidence(folder, io.BytesIO(refused), "x.pdf", limit)
    assert list(app_store.keys()) == [f"evidence/{stored.stored_name}"]
    storage.discard(folder, stored.stored_name)
    assert not storage.document_exists(folder, stored.stored_name)


def test_download_url_serves_the_document_briefly_where_the_backend_can(
    store: DocumentStore, s3_bucket_or_none: tuple[Any, str] | None
) -> None:
    disposition = "inline; filename=a.pdf"
    if isinstance(store, LocalStore):
        assert (
            store.download_url(
                "evidence/a.pdf", content_type="application/pdf", disposition=disposition
            )
            is None
        )
        return
    assert s3_bucket_or_none is not None
    redirecting = s3_server.store(*s3_bucket_or_none, redirect=True)
    data = factories.PDF_BYTES
    redirecting.put(
        "evidence/a.pdf", io.BytesIO(data), content_type="application/pdf", sha256=_sha(data)
    )
    url = redirecting.download_url(
        "evidence/a.pdf", content_type="application/pdf", disposition=disposition
    )
    assert url is not None and "Expires=" in url
    answer = requests.get(str(url), timeout=10)
    assert answer.status_code == 200 and answer.content == data
    assert answer.headers["Content-Disposition"] == disposition
    assert answer.headers["Content-Type"] == "application/pdf"
    assert requests.get(str(url).split("?")[0], timeout=10).status_code == 403  # unsigned


@pytest.fixture
def s3_bucket_or_none(request: pytest.FixtureRequest, store: DocumentStore) -> Any:
    return None if isinstance(store, LocalStore) else request.getfixturevalue("s3_bucket")


def test_migration_copies_verifies_and_resumes(store: DocumentStore, tmp_path: Path) -> None:
    source = LocalStore(tmp_path / "source")
    files = {f"evidence/{n}.pdf": factories.PDF_BYTES + bytes([n]) for n in range(5)}
    files["deposits/r.png"] = PNG_HEAD
    for key, data in files.items():
        source.put(key, io.BytesIO(data), content_type="", sha256="")
    first = migrate(source, store, sorted(files))
    assert (first.copied, first.skipped, first.failed) == (6, 0, [])
    store.put("evidence/0.pdf", io.BytesIO(b"damaged"), content_type="application/pdf", sha256="x")
    second = migrate(source, store, sorted(files))
    assert (second.copied, second.skipped, second.verified) == (1, 5, 6)
    for key, data in files.items():
        with store.open(key) as body:
            assert body.read() == data
