"""The indexer and the queries when the search cluster fails; suggestions; similar listings.

Against a real Elasticsearch node (ELASTICSEARCH_URL; skipped on a workstation
without one, failing in CI) and a real dead address: a local port whose
listener accepts connections and drops them at once, counting them, so the
tests can tell how often the app knocked.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from core.extensions import db
from core.outbox import OutboxEvent
from core.uow import unit_of_work
from listings import review as listing_review
from listings.rules import ListingStatus
from search import EXTENSION_KEY, FALLBACK_KEY
from search.backend import SearchBackend, SearchQuery
from search.circuit import backoff_seconds, retry_at
from search.indexer import TOPIC, drain, drain_all
from search.rebuild import reindex
from tests import factories
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
            pytest.fail(f"CI: the resilience tests need an Elasticsearch node. {message}")
        pytest.skip(message)
    return url


class DeadNode:
    """A port where connections are accepted and dropped at once; counts them."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.connections = 0
        self._running = True
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while self._running:
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._running = False
        self._thread.join()
        self._listener.close()


@pytest.fixture
def dead_node() -> Iterator[DeadNode]:
    node = DeadNode()
    yield node
    node.close()


class CountingBackend:
    """Counts the write requests a backend gets (each index()/delete() call is one bulk request)."""

    def __init__(self, inner: SearchBackend) -> None:
        self.inner = inner
        self.name = inner.name
        self.bulk_requests = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def index(self, documents):  # type: ignore[no-untyped-def]
        self.bulk_requests += 1
        return self.inner.index(documents)

    def delete(self, ids):  # type: ignore[no-untyped-def]
        self.bulk_requests += 1
        return self.inner.delete(ids)


@contextlib.contextmanager
def embedded_primary(app: Flask, tmp_path: Path) -> Iterator[SearchBackend]:
    """The app as with SEARCH_BACKEND=embedded, on an index of its own (not the session's)."""
    from search.embedded import EmbeddedSearchBackend

    primary = EmbeddedSearchBackend(tmp_path / "primary.db")
    saved = app.extensions[EXTENSION_KEY], app.extensions.get(FALLBACK_KEY)
    app.extensions[EXTENSION_KEY], app.extensions[FALLBACK_KEY] = primary, None
    try:
        yield primary
    finally:
        app.extensions[EXTENSION_KEY], app.extensions[FALLBACK_KEY] = saved
        primary.close()


def _primary(kind: str, app: Flask, es_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / kind
    if kind == "elasticsearch":
        return elasticsearch_primary(app, es_url, folder)
    return embedded_primary(app, folder)


def _pending() -> list[OutboxEvent]:
    return list(
        db.session.scalars(
            select(OutboxEvent).where(
                OutboxEvent.topic == TOPIC, OutboxEvent.processed_at.is_(None)
            )
        )
    )


def _ids(backend: SearchBackend, text: str = "") -> set[int]:
    return {hit.id for hit in backend.search(SearchQuery(text=text, per_page=100)).hits}


def test_backoff_doubles_up_to_five_minutes() -> None:
    assert [backoff_seconds(n) for n in range(0, 5)] == [0, 2, 4, 8, 16]
    assert backoff_seconds(8) == 256 and backoff_seconds(9) == backoff_seconds(50) == 300


@pytest.mark.usefixtures("db_session")
def test_a_dead_node_is_not_hammered_and_no_event_is_lost(
    app: Flask, client: FlaskClient, clock, upload_folder: Path, tmp_path: Path, dead_node: DeadNode
) -> None:
    with elasticsearch_primary(app, dead_node.url, tmp_path) as (
        primary,
        fallback,
    ):
        owner = factories.seller(clock())
        made = [
            factories.listing(owner, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder,
                              title_zh=f"一种风电叶片无损检测装置{i}")
            for i in range(3)
        ]  # fmt: skip
        waiting = len(_pending())
        assert waiting >= 3

        started = time.perf_counter()
        first = drain()
        assert first.failed >= 3 and first.indexed == 0
        after_first = dead_node.connections
        assert 1 <= after_first <= 2  # one request and the client's one retry
        assert retry_at(primary, clock()) == clock() + timedelta(seconds=2)

        # Every request drains first: none of them knocks again before the back-off is over.
        for _ in range(25):
            assert client.get("/search", query_string={"q": "风电叶片"}).status_code == 200
            assert drain().deferred == waiting
        elapsed = time.perf_counter() - started
        assert dead_node.connections == after_first
        assert elapsed < 5.0, f"{elapsed:.1f} s for 50 drains against a dead node"

        # After the back-off, one more try, and the next pause is twice as long.
        clock.advance(seconds=3)
        assert drain().failed >= 3
        assert after_first < dead_node.connections <= 2 * after_first
        assert retry_at(primary, clock()) == clock() + timedelta(seconds=4)

        # Nothing was lost: every event waits, with its attempts and the error.
        events = _pending()
        assert len(events) == waiting
        assert all(e.attempts == 2 and "SearchUnavailable" in e.last_error for e in events)
        # ... and the fallback already answers with the new listings.
        assert _ids(fallback, "风电叶片") == {item.id for item in made}
        page = client.get("/search", query_string={"q": "风电叶片"}).get_data(as_text=True)
        assert 'id="search-degraded"' in page
        assert all(f'/listings/{item.id}"' in page for item in made)
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.get_json()["search"] == "degraded"
        suggestions = client.get("/search/suggest", query_string={"q": "一种风电"}).get_json()
        assert set(suggestions["suggestions"]) == {f"一种风电叶片无损检测装置{i}" for i in range(3)}


@pytest.mark.usefixtures("db_session")
def test_the_backlog_drains_in_bulk_batches(
    app: Flask, clock, upload_folder: Path, tmp_path: Path, es_url: str
) -> None:
    with elasticsearch_primary(app, es_url, tmp_path) as (
        primary,
        fallback,
    ):
        owner = factories.seller(clock())
        reviewer = factories.platform_reviewer(clock())
        made = [
            factories.listing(owner, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder,
                              reviewer=reviewer, title_zh=f"一种光伏组件清洗机器人{i}")
            for i in range(9)
        ]  # fmt: skip
        # Collapse the history of each listing into one pending event (a realistic backlog).
        latest = {event.key: event.id for event in _pending()}
        for event in _pending():
            if latest[event.key] != event.id:
                event.processed_at = clock()
        db.session.commit()
        assert len(_pending()) == 9

        counting = CountingBackend(primary)
        app.extensions[EXTENSION_KEY] = counting
        try:
            report = drain_all(limit=4)
        finally:
            app.extensions[EXTENSION_KEY] = primary
        assert report.events == 9 and report.indexed == 9 and report.failed == 0
        assert counting.bulk_requests == 3  # 4 + 4 + 1 listings, one bulk request each
        assert _pending() == []
        assert _ids(primary) == _ids(fallback) == {item.id for item in made}


@pytest.mark.usefixtures("db_session")
def test_reindex_builds_a_new_index_and_search_never_goes_dark(
    app: Flask, clock, upload_folder: Path, tmp_path: Path, es_url: str
) -> None:
    with elasticsearch_primary(app, es_url, tmp_path) as (
        primary,
        fallback,
    ):
        owner = factories.seller(clock())
        reviewer = factories.platform_reviewer(clock())
        made = [
            factories.listing(owner, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder,
                              reviewer=reviewer, title_zh=f"一种海水淡化反渗透膜{i}")
            for i in range(5)
        ]  # fmt: skip
        drain_all()
        client = primary.client  # type: ignore[attr-defined]
        alias = primary.alias  # type: ignore[attr-defined]
        before = set(client.indices.get_alias(name=alias).body)

        seen: list[int] = []

        def progress(step: int) -> None:  # half-way through the build, search still answers
            seen.append(primary.search(SearchQuery(text="海水淡化")).total)

        assert reindex(primary, batch_size=2, progress=progress) == 5
        assert seen == [5, 5, 5]
        after = set(client.indices.get_alias(name=alias).body)
        assert len(after) == 1 and after != before
        assert not client.indices.exists(index=",".join(before))  # the old index is gone
        assert _ids(primary, "海水淡化") == {item.id for item in made}

        # The command does the same, with a progress bar, and rebuilds the fallback too.
        fallback.clear()
        result = app.test_cli_runner().invoke(args=["search", "reindex", "--batch-size", "2"])
        assert result.exit_code == 0, result.output
        assert "Embedded fallback" in result.output and "Elasticsearch (new index)" in result.output
        assert "elasticsearch: indexed 5 listings" in result.output
        assert _ids(fallback, "海水淡化") == _ids(primary, "海水淡化") == {i.id for i in made}
        assert set(client.indices.get_alias(name=alias).body) != after

        skipped = app.test_cli_runner().invoke(args=["search", "reindex", "--if-empty"])
        assert skipped.exit_code == 0 and "not rebuilding" in skipped.output


@pytest.mark.usefixtures("db_session")
def test_suggestions_as_you_type(
    app: Flask, client: FlaskClient, clock, upload_folder: Path, tmp_path: Path, es_url: str
) -> None:
    owner = factories.seller(clock())
    factories.listing(owner, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder,
                      title_zh="一种锂电池隔膜涂层材料", title_en="Lithium battery separator coating")  # fmt: skip
    factories.listing(owner, clock(), title_zh="一种锂电池回收工艺")  # a draft: not suggested

    for primary in ("embedded", "elasticsearch"):
        with _primary(primary, app, es_url, tmp_path):
            reindex()  # a fresh index of this kind, from the database
            zh = client.get("/search/suggest", query_string={"q": "一种锂电"})
            assert zh.status_code == 200 and zh.is_json
            assert zh.get_json() == {"suggestions": ["一种锂电池隔膜涂层材料"]}, primary
            en = client.get("/api/v1/search/suggest", query_string={"q": "lithium bat"})
            assert en.get_json() == {"suggestions": ["Lithium battery separator coating"]}, primary
            for nothing in ("", "   ", "完全不相干的词"):
                assert client.get("/search/suggest", query_string={"q": nothing}).get_json() == {
                    "suggestions": []
                }
            assert client.get("/search/suggest", query_string={"limit": "x"}).status_code == 200

    page = client.get("/search").get_data(as_text=True)
    assert 'list="search-q-suggestions"' in page and '<datalist id="search-q-suggestions">' in page
    assert 'data-suggest-url="/search/suggest"' in page
    assert "search-degraded" not in page


@pytest.mark.usefixtures("db_session")
def test_similar_listings_on_the_detail_page(
    app: Flask, client: FlaskClient, clock, upload_folder: Path, tmp_path: Path, es_url: str
) -> None:
    owner = factories.seller(clock())
    reviewer = factories.platform_reviewer(clock())

    def make(title: str, field: str = "energy"):  # type: ignore[no-untyped-def]
        return factories.listing(owner, clock(), status=ListingStatus.PUBLISHED, reviewer=reviewer,
                                 folder=upload_folder, title_zh=title, field=field)  # fmt: skip

    base = make("一种钙钛矿太阳能电池的封装方法")
    alike = [
        make(f"一种钙钛矿太阳能电池{part}") for part in ("电子传输层", "空穴传输层", "叠层结构")
    ]
    alone = make("中药饮片炮制设备", field="biomed")  # no word in common, no other biomed listing
    draft = factories.listing(owner, clock(), title_zh="一种钙钛矿太阳能电池草稿")

    for primary in ("embedded", "elasticsearch"):
        with _primary(primary, app, es_url, tmp_path):
            reindex()  # a fresh index of this kind, from the database
            html = client.get(f"/listings/{base.id}").get_data(as_text=True)
            assert 'id="similar-listings"' in html, primary
            section = html.split('id="similar-listings"', 1)[1]
            for item in alike:
                assert f'/listings/{item.id}"' in section, primary
            assert f'/listings/{draft.id}"' not in section
            assert f'/listings/{base.id}"' not in section
            assert section.count('class="card h-100 listing-card"') <= 4

            lonely = client.get(f"/listings/{alone.id}").get_data(as_text=True)
            assert 'id="similar-listings"' not in lonely, primary

    # A withdrawn listing shows no similar listings (it is off the market).
    with unit_of_work():
        listing_review.withdraw(owner, base.id, now=clock())
    page = client.get(f"/listings/{base.id}")
    assert 'id="similar-listings"' not in page.get_data(as_text=True)


@pytest.mark.usefixtures("db_session")
def test_similar_and_suggest_fall_back_when_the_node_is_dead(
    app: Flask, client: FlaskClient, clock, upload_folder: Path, tmp_path: Path, dead_node: DeadNode
) -> None:
    owner = factories.seller(clock())
    reviewer = factories.platform_reviewer(clock())
    a, b = (
        factories.listing(owner, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder,
                          reviewer=reviewer, title_zh=f"一种氢燃料电池双极板{n}")
        for n in ("甲", "乙")
    )  # fmt: skip
    with elasticsearch_primary(app, dead_node.url, tmp_path):
        drain()  # fails on the primary, feeds the fallback
        html = client.get(f"/listings/{a.id}").get_data(as_text=True)
        assert f'/listings/{b.id}"' in html.split('id="similar-listings"', 1)[1]
        assert client.get("/search/suggest", query_string={"q": "一种氢燃料"}).get_json()[
            "suggestions"
        ]
