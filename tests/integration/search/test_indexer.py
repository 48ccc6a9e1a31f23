"""The outbox keeps the index in step with the database; a reindex rebuilds it (app + db)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.extensions import db
from core.outbox import OutboxEvent
from listings import review as listing_review
from listings.rules import ListingStatus
from search.backend import SearchQuery
from search.embedded import EmbeddedSearchBackend
from search.indexer import TOPIC, drain, searchable_count
from search.rebuild import reindex
from tests import factories

# These tests drain the outbox by hand: jobs wait in the queue instead of draining it.
pytestmark = pytest.mark.usefixtures("queued_jobs")


class BrokenBackend(EmbeddedSearchBackend):
    """A backend whose writes fail, as an unreachable Elasticsearch node would."""

    def index(self, documents):  # type: ignore[no-untyped-def]
        raise ConnectionError("index unavailable")


def _pending() -> list[OutboxEvent]:
    return list(
        db.session.scalars(
            select(OutboxEvent).where(
                OutboxEvent.topic == TOPIC, OutboxEvent.processed_at.is_(None)
            )
        )
    )


@pytest.mark.usefixtures("db_session")
def test_drain_indexes_published_listings_and_removes_withdrawn_ones(
    clock, upload_folder: Path, tmp_path: Path
) -> None:
    backend = EmbeddedSearchBackend(tmp_path / "search.db")
    now = clock()
    owner = factories.seller(now)
    published = factories.listing(owner, now, status=ListingStatus.PUBLISHED, folder=upload_folder,
                                  title_zh="一种固态锂电池电解质的制备方法")  # fmt: skip
    draft = factories.listing(owner, now, title_zh="一种未发布的电池技术")

    broken = BrokenBackend(tmp_path / "broken.db")
    report = drain(broken, now=now)
    assert report.failed >= 1
    events = _pending()
    assert events and all(e.attempts >= 1 and "index unavailable" in e.last_error for e in events)

    report = drain(backend, now=now)
    assert report.failed == 0 and report.indexed >= 1
    assert _pending() == []
    hits = backend.search(SearchQuery(text="电解质")).hits
    assert [hit.id for hit in hits] == [published.id]
    assert draft.id not in [hit.id for hit in hits]

    listing_review.withdraw(owner, published.id, now=clock.advance(hours=1))
    drain(backend, now=clock())
    assert backend.search(SearchQuery(text="电解质")).total == 0


@pytest.mark.usefixtures("db_session")
def test_reindex_rebuilds_from_the_database(clock, upload_folder: Path, tmp_path: Path) -> None:
    backend = EmbeddedSearchBackend(tmp_path / "search.db")
    backend.index([])  # a stale index with nothing right in it
    now = clock()
    owner = factories.seller(now)
    made = [
        factories.listing(
            owner,
            now,
            status=ListingStatus.PUBLISHED,
            folder=upload_folder,
            title_zh=f"一种石墨烯导热膜{i}",
        )
        for i in range(3)
    ]
    counted: list[int] = []
    published = searchable_count()  # (3, or more if another test's listings are visible)
    assert reindex(backend, batch_size=2, progress=counted.append, now=now) == published >= 3
    assert sum(counted) == published == backend.count()
    assert _pending() == []
    result = backend.search(SearchQuery(text="石墨烯导热膜", per_page=100))
    assert {item.id for item in made} <= {hit.id for hit in result.hits}
