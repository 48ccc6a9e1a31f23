"""An Elasticsearch outage in the middle of indexing loses nothing (a real node).

The app's Elasticsearch client reaches the node of ELASTICSEARCH_URL through
`NodeRelay` (tests/faults/relay.py), a TCP relay in this process. Taking the relay down is what the
app sees when its node dies: the port refuses connections and the open ones
are cut, here in the middle of a bulk request. Bringing it up again is the
node coming back on the same address, to the same client object (so the
client's own dead-node handling is exercised too). The node itself keeps
running: `devservices/elasticsearch.sh stop` would delete its data and the
next `start` picks another port, and the node is shared by the whole test
session (and maybe by other sessions), so really stopping it here would test
the script, not the app.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.extensions import db
from core.outbox import OutboxEvent
from core.uow import unit_of_work
from listings import review as listing_review
from listings.models import Listing
from listings.rules import ListingStatus
from search.backend import SearchBackend, SearchQuery
from search.indexer import TOPIC, drain, drain_all
from tests import factories
from tests.faults.relay import NodeRelay
from tests.search_primary import elasticsearch_primary

# These tests drain the outbox by hand: jobs wait in the queue instead of draining it.
pytestmark = pytest.mark.usefixtures("queued_jobs")


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def es_url() -> str:
    """The first node of ELASTICSEARCH_URL; skip on a workstation, fail in CI, without one."""
    url = os.environ.get("ELASTICSEARCH_URL", "").split(",")[0].strip()
    if not url:
        message = "ELASTICSEARCH_URL is not set: run `make test` (it starts a node)"
        if _in_ci():
            pytest.fail(f"CI: the outage tests need an Elasticsearch node. {message}")
        pytest.skip(message)
    return url


@pytest.fixture
def relay(es_url: str) -> Iterator[NodeRelay]:
    link = NodeRelay(es_url, default_port=9200)
    link.up()
    yield link
    link.down()


def _indexed(backend: SearchBackend) -> set[int]:
    result = backend.search(SearchQuery(text="", per_page=100, with_facets=False))
    assert result.total <= 100
    return {hit.id for hit in result.hits}


def _published() -> set[int]:
    return set(
        db.session.scalars(select(Listing.id).where(Listing.status == ListingStatus.PUBLISHED))
    )


def _pending() -> list[OutboxEvent]:
    return list(
        db.session.scalars(
            select(OutboxEvent).where(
                OutboxEvent.topic == TOPIC, OutboxEvent.processed_at.is_(None)
            )
        )
    )


@pytest.mark.usefixtures("db_session")
def test_node_lost_mid_indexing_then_back_every_change_is_indexed(
    app: Flask,
    client: FlaskClient,
    clock,
    upload_folder: Path,
    tmp_path: Path,
    relay: NodeRelay,
) -> None:
    with elasticsearch_primary(app, relay.url, tmp_path) as (
        primary,
        fallback,
    ):
        owner = factories.seller(clock())
        reviewer = factories.platform_reviewer(clock())

        def make(title_zh: str, title_en: str, status: ListingStatus) -> Listing:
            return factories.listing(owner, clock(), status=status, folder=upload_folder,
                                     reviewer=reviewer, title_zh=title_zh, title_en=title_en)  # fmt: skip

        old = [
            make(f"一种固态锂电池电解质的制备方法{i}", f"Solid electrolyte {i}", ListingStatus.PUBLISHED)
            for i in range(10)
        ]  # fmt: skip
        new = [
            make(f"一种钠离子电池硬碳负极材料{i}", f"Hard carbon anode {i}", ListingStatus.CONFIRMED)
            for i in range(12)
        ]  # fmt: skip
        drain_all()
        assert _indexed(primary) == {item.id for item in old}
        assert _pending() == []

        # Changes, then the node goes away in the middle of the bulk request that carries them.
        with unit_of_work():
            for item in new[:6]:
                listing_review.publish(owner, item.id, now=clock())
            listing_review.withdraw(owner, old[0].id, now=clock())
        relay.cut_after(3000)  # the request line, headers and part of the body get through
        report = drain()
        assert not relay.is_up, "the bulk request was smaller than the cut: nothing was cut"
        assert report.failed == 7 and report.indexed == 0
        waiting = _pending()
        assert len(waiting) == 7
        assert all(e.attempts == 1 and "SearchUnavailable" in e.last_error for e in waiting)

        # More changes while the node is away.
        with unit_of_work():
            for item in new[6:]:
                listing_review.publish(owner, item.id, now=clock())
            listing_review.withdraw(owner, old[1].id, now=clock())
            listing_review.withdraw(owner, new[0].id, now=clock())

        # The app does not hammer the dead node: drains return at once, without connecting.
        connections = relay.connections
        started = time.perf_counter()
        for _ in range(20):
            assert drain().deferred == len(_pending()) == 15
        assert time.perf_counter() - started < 1.0
        assert relay.connections == connections

        # Queries are answered by the embedded fallback, which has every change already.
        expected = _published()
        assert _indexed(fallback) == expected
        page = client.get("/search", query_string={"q": "钠离子电池"})
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert 'id="search-degraded"' in html
        assert all(f'/listings/{item.id}"' in html for item in new[1:])
        assert f'/listings/{new[0].id}"' not in html
        api = client.get("/api/v1/listings/", query_string={"q": "钠离子电池", "per_page": 50})
        assert api.status_code == 200
        assert {item["id"] for item in api.get_json()["items"]} == {i.id for i in new[1:]}
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.get_json() == {
            "status": "ok",
            "database": "ok",
            "search": "degraded",
            "search_backend": "elasticsearch",
            "search_fallback": "embedded",
            "storage": "ok",
            "breakers": {
                name: "closed" for name in ("search", "stripe", "smtp", "redis", "storage")
            },
        }

        # The node comes back; once the back-off has passed, the backlog drains in batches.
        relay.up()
        clock.advance(minutes=10)
        report = drain_all(limit=4)
        assert report.failed == 0 and report.events == 15
        assert _pending() == []
        assert _indexed(primary) == expected == _published()
        assert old[0].id not in expected and old[1].id not in expected
        hits = primary.search(SearchQuery(text="hard carbon anode", per_page=50)).hits
        assert {hit.id for hit in hits} == {item.id for item in new[1:]}

        health = client.get("/healthz").get_json()
        assert health["search"] == "ok" and health["status"] == "ok"
        page = client.get("/search", query_string={"q": "钠离子电池"}).get_data(as_text=True)
        assert 'id="search-degraded"' not in page
        assert all(f'/listings/{item.id}"' in page for item in new[1:])
