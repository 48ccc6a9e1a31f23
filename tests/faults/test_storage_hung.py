"""The documents' S3 server frozen behind a relay: a download or an upload answers within
STORAGE_BUDGET_MS with "documents are briefly unavailable" (503), never hangs; /healthz
names the outage; documents come back by themselves after a cool-down.

Needs S3_TEST_URL (devservices/s3.sh).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from core.extensions import db
from core.storage import build_store
from listings.models import Listing
from tests import factories
from tests import s3 as s3_server
from tests.faults.conftest import COOLDOWN, SLACK, timed
from tests.faults.relay import NodeRelay
from tests.integration.listings.test_pages_and_api import _editor_form, _sign_in

BUDGET = 0.3  # STORAGE_BUDGET_MS here
UNAVAILABLE = "文件暂时无法访问"  # "Documents are briefly unavailable", as a reader sees it


@pytest.fixture
def s3_relay(app: Flask, fault_settings: object) -> Iterator[NodeRelay]:
    """The app's documents in a bucket of the test S3 server, reached through a relay."""
    relay = NodeRelay(s3_server.endpoint())
    relay.up()
    with s3_server.bucket() as (_, name):
        settings = s3_server.app_config(
            name, S3_ENDPOINT_URL=relay.url, STORAGE_BUDGET_MS=int(BUDGET * 1000)
        )
        saved = {key: app.config.get(key) for key in settings}
        app.config.update(settings)
        with s3_server.credentials():
            app.extensions["document_store"] = build_store(app.config)
            try:
                yield relay
            finally:
                relay.heal()
                relay.down()
                app.config.update(saved)
                app.extensions.pop("document_store", None)


def _upload(client: FlaskClient, listing_id: int) -> Any:
    return client.post(
        f"/listings/{listing_id}/evidence",
        data={"kind": "certificate", "file": (io.BytesIO(factories.PDF_BYTES), "证书.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_s3_hung_documents_fail_fast_and_clearly_then_recover(
    client: FlaskClient, clock: Any, s3_relay: NodeRelay
) -> None:
    seller = factories.seller(clock())
    _sign_in(client, seller.email)
    client.post("/listings/new", data=_editor_form("201510123456.1"))
    listing = db.session.query(Listing).one()
    _upload(client, listing.id)
    [evidence] = listing.evidence
    url = f"/evidence/{evidence.id}"
    assert client.get(url).get_data() == factories.PDF_BYTES  # warm: the route, the pool

    s3_relay.hang()
    costs = []
    for _ in range(3):  # two wait out the budget and open the breaker; the third does not
        answer, took = timed(lambda: client.get(url))
        assert answer.status_code == 503, answer.status_code
        assert UNAVAILABLE in answer.get_data(as_text=True)
        costs.append(took)
    # What S3 cost each download: its time less the page's own work (the third's).
    assert all(took - costs[-1] < BUDGET + SLACK for took in costs), f"downloads took {costs} s"
    assert costs[-1] < BUDGET / 3, f"with the breaker open a download took {costs[-1]:.3f} s"
    print(f"\nS3 frozen, budget {BUDGET} s: downloads took {[round(c, 3) for c in costs]} s")

    uploaded, took = timed(lambda: _upload(client, listing.id))
    assert took < BUDGET + SLACK and UNAVAILABLE in uploaded.get_data(as_text=True)
    db.session.refresh(listing)
    assert len(listing.evidence) == 1  # the refused upload left no record behind

    health, took = timed(lambda: client.get("/healthz"))
    assert health.status_code == 200 and took < BUDGET + SLACK  # the market is up
    assert health.get_json()["storage"] == "unavailable"
    assert health.get_json()["breakers"]["storage"] == "open"
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["storage"] == "error"

    s3_relay.heal()
    time.sleep(COOLDOWN)
    assert client.get(url).get_data() == factories.PDF_BYTES
    assert client.get("/healthz").get_json()["breakers"]["storage"] == "closed"
    assert "证书.pdf" in _upload(client, listing.id).get_data(as_text=True)
    db.session.refresh(listing)
    assert len(listing.evidence) == 2


def test_s3_down_a_download_answers_at_once(
    client: FlaskClient, clock: Any, s3_relay: NodeRelay
) -> None:
    """A dead server (connections refused) costs no budget at all: 503 straight away."""
    seller = factories.seller(clock())
    _sign_in(client, seller.email)
    client.post("/listings/new", data=_editor_form("201510123456.1"))
    listing = db.session.query(Listing).one()
    _upload(client, listing.id)
    [evidence] = listing.evidence
    s3_relay.down()
    answer, took = timed(lambda: client.get(f"/evidence/{evidence.id}"))
    assert answer.status_code == 503 and took < BUDGET, f"{took:.3f} s"
