"""Elasticsearch frozen (accepts connections, answers nothing): pages and the API answer
within their budgets from the embedded index, and all recovers by itself afterwards."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.breaker import State
from core.extensions import db
from core.outbox import OutboxEvent
from core.uow import unit_of_work
from listings import review as listing_review
from listings.rules import ListingStatus
from search.backend import SearchBackend, SearchQuery
from search.indexer import TOPIC, drain_all
from tests import factories
from tests.conftest import breakers_of
from tests.faults.conftest import COOLDOWN, SLACK, timed
from tests.faults.relay import NodeRelay

pytestmark = pytest.mark.usefixtures("queued_jobs")  # jobs wait in the queue, as in production

PAGE, API = 0.3, 1.0


def _ids(backend: SearchBackend, text: str) -> list[int]:
    return [hit.id for hit in backend.search(SearchQuery(text=text, per_page=50)).hits]


def _pending() -> list[OutboxEvent]:
    return list(
        db.session.scalars(
            select(OutboxEvent).where(
                OutboxEvent.topic == TOPIC, OutboxEvent.processed_at.is_(None)
            )
        )
    )


def test_search_hung_answers_within_budget_and_recovers_within_a_cooldown(
    app: Flask,
    client: FlaskClient,
    clock,
    upload_folder: Path,
    es_relay: NodeRelay,
    search_behind: tuple[SearchBackend, SearchBackend],
) -> None:
    primary, fallback = search_behind
    owner = factories.seller(clock())
    reviewer = factories.platform_reviewer(clock())

    def make(title: str, status: ListingStatus = ListingStatus.PUBLISHED):  # type: ignore[no-untyped-def]
        return factories.listing(owner, clock(), status=status, folder=upload_folder,
                                 reviewer=reviewer, title_zh=title)  # fmt: skip

    shown = [make(f"一种风电叶片无损检测装置{i}") for i in range(2)]
    later = make("一种风电叶片除冰涂层", ListingStatus.CONFIRMED)
    drain_all()
    assert _pending() == []
    # Warm: the first render of each page compiles its templates.
    assert client.get("/search", query_string={"q": "风电叶片"}).status_code == 200
    assert client.get(f"/listings/{shown[0].id}").status_code == 200
    _, unhurt = timed(lambda: client.get(f"/listings/{shown[0].id}"))

    es_relay.hang()  # SIGSTOP: the port accepts, nothing answers
    for _ in range(4):  # the first two wait their budget and open the breaker; then none waits
        page, took = timed(lambda: client.get("/search", query_string={"q": "风电叶片"}))
        assert took < PAGE + SLACK, f"search page {took:.3f} s with Elasticsearch hung"
        html = page.get_data(as_text=True)
        assert 'id="search-degraded"' in html
        assert all(f'/listings/{item.id}"' in html for item in shown)
    api, took = timed(lambda: client.get("/api/v1/listings/", query_string={"q": "风电叶片"}))
    assert api.status_code == 200 and took < API + SLACK
    assert {item["id"] for item in api.get_json()["items"]} == {item.id for item in shown}
    listing, took = timed(lambda: client.get(f"/listings/{shown[0].id}"))
    assert listing.status_code == 200 and took < PAGE + SLACK, (took, unhurt)
    health, took = timed(lambda: client.get("/healthz"))
    assert took < PAGE + SLACK
    assert health.status_code == 200
    assert health.get_json()["search"] == "degraded"
    assert health.get_json()["breakers"]["search"] == "open"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["search"] == "degraded"

    # A change while the node is frozen waits in the outbox.
    with unit_of_work():
        listing_review.publish(owner, later.id, now=clock())
    assert len(_pending()) == 1

    # The node thaws: after one cool-down the next call is the breaker's trial (here the
    # health probe's), which closes it; searches go to Elasticsearch again (the API's, with
    # its 1 s budget: on a loaded machine a page's 300 ms may not hold a real query).
    es_relay.heal()
    time.sleep(COOLDOWN)
    health = client.get("/healthz").get_json()
    assert health["search"] == "ok" and health["breakers"]["search"] == "closed"
    api = client.get("/api/v1/listings/", query_string={"q": "风电叶片"})
    assert {item["id"] for item in api.get_json()["items"]} == {item.id for item in shown}
    gate = breakers_of(app).get("search")
    assert gate.state is State.CLOSED and gate.recent_failures == 0  # Elasticsearch answered

    # The backlog drains once: every change in the index, nothing left, nothing twice.
    report = drain_all()
    assert report.failed == 0
    assert _pending() == []
    expected = {item.id for item in [*shown, later]}
    assert sorted(_ids(primary, "风电叶片")) == sorted(expected)
    assert sorted(_ids(fallback, "风电叶片")) == sorted(expected)
