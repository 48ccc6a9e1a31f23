"""Evidence kept in a real S3 server: uploaded through the pages, downloaded back.

Needs S3_TEST_URL (devservices/s3.sh; `make test` starts it).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from core.extensions import db
from core.storage import build_store
from listings.models import Listing
from tests import factories
from tests import s3 as s3_server
from tests.integration.listings.test_pages_and_api import _editor_form, _sign_in

DOCUMENT = factories.PDF_BYTES + b"%% scanned certificate\n" * 4000  # about 100 kB


@pytest.fixture(scope="module")
def s3_bucket() -> Iterator[tuple[Any, str]]:
    with s3_server.bucket() as found:
        yield found


@pytest.fixture
def s3_app(app: Flask, s3_bucket: tuple[Any, str]) -> Iterator[Flask]:
    """The app configured for the bucket, as production would be (STORAGE_BACKEND=s3)."""
    _, name = s3_bucket
    settings = s3_server.app_config(name, S3_PREFIX="market")
    saved = {key: app.config.get(key) for key in settings}
    app.config.update(settings)
    with s3_server.credentials():
        app.extensions["document_store"] = build_store(app.config)
    try:
        yield app
    finally:
        app.config.update(saved)
        app.extensions.pop("document_store", None)


def _upload(client: FlaskClient, clock: Any) -> tuple[int, Listing]:
    seller = factories.seller(clock())
    _sign_in(client, seller.email)
    client.post("/listings/new", data=_editor_form("201510123456.1"))
    listing = db.session.query(Listing).one()
    client.post(
        f"/listings/{listing.id}/evidence",
        data={"kind": "certificate", "file": (io.BytesIO(DOCUMENT), "证书.pdf")},
        content_type="multipart/form-data",
    )
    return listing.evidence[0].id, listing


def test_evidence_goes_to_the_bucket_and_comes_back_to_its_owner_only(
    s3_app: Flask, s3_bucket: tuple[Any, str], client: FlaskClient, clock: Any
) -> None:
    evidence_id, listing = _upload(client, clock)
    stored_name = listing.evidence[0].stored_name
    client_s3, name = s3_bucket
    head = client_s3.head_object(Bucket=name, Key=f"market/evidence/{stored_name}")
    assert head["ContentType"] == "application/pdf" and head["ContentLength"] == len(DOCUMENT)
    assert not (Path(s3_app.config["UPLOAD_FOLDER"]) / "evidence" / stored_name).exists()

    own = client.get(f"/evidence/{evidence_id}?download=1")
    assert own.status_code == 200 and own.get_data() == DOCUMENT
    assert own.headers["Content-Type"] == "application/pdf"
    assert own.headers["X-Content-Type-Options"] == "nosniff"
    assert own.headers["Cache-Control"] == "private, no-store"
    assert "证书.pdf" in unquote(own.headers["Content-Disposition"])
    assert own.headers["Content-Disposition"].startswith("attachment")

    client.post("/signout")
    _sign_in(client, factories.seller(clock()).email)
    assert client.get(f"/evidence/{evidence_id}").status_code == 404


def test_redirect_mode_hands_the_owner_a_short_lived_link(
    s3_app: Flask, client: FlaskClient, clock: Any
) -> None:
    s3_app.config["S3_DOWNLOADS"] = "redirect"
    with s3_server.credentials():
        s3_app.extensions["document_store"] = build_store(s3_app.config)
    evidence_id, _ = _upload(client, clock)
    answer = client.get(f"/evidence/{evidence_id}")
    assert answer.status_code == 303 and "X-Amz-Expires=60" in answer.headers["Location"]
    served = requests.get(answer.headers["Location"], timeout=10)
    assert served.status_code == 200 and served.content == DOCUMENT
    assert served.headers["Content-Type"] == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("inline")
    client.post("/signout")
    assert client.get(f"/evidence/{evidence_id}").status_code == 302  # to sign-in, no link
