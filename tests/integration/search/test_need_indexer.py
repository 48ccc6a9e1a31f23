"""The outbox keeps the needs of each index in step with the database; a reindex rebuilds them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from core.extensions import db
from core.outbox import OutboxEvent
from listings import needs
from search.backend import SearchQuery
from search.embedded import EmbeddedSearchBackend
from search.indexer import drain, searchable_count
from search.need_documents import NEEDS
from search.rebuild import reindex
from tests import factories

# These tests drain the outbox by hand: jobs wait in the queue instead of draining it.
pytestmark = pytest.mark.usefixtures("queued_jobs")


class BrokenNeeds:
    """A needs index whose writes fail, as an unreachable Elasticsearch node would."""

    def index(self, documents):  # type: ignore[no-untyped-def]
        raise ConnectionError("needs index unavailable")

    delete = index


class BrokenBackend(EmbeddedSearchBackend):
    needs = BrokenNeeds()  # type: ignore[assignment]


def _pending() -> list[OutboxEvent]:
    return list(
        db.session.scalars(
            select(OutboxEvent).where(
                OutboxEvent.topic == NEEDS.topic, OutboxEvent.processed_at.is_(None)
            )
        )
    )


@pytest.mark.usefixtures("db_session")
def test_drain_indexes_open_needs_keeps_events_through_an_outage_and_removes_closed_ones(
    clock, tmp_path: Path
) -> None:
    backend = EmbeddedSearchBackend(tmp_path / "search.db")
    buyer = factories.enterprise(clock(), name="示范储能科技有限公司")
    posted = factories.need(buyer, clock(), title="寻求储能电站热失控预警技术")

    report = drain(BrokenBackend(tmp_path / "broken.db"), now=clock(), kind=NEEDS)
    assert report.failed >= 1
    assert _pending() and all("unavailable" in e.last_error for e in _pending())

    report = drain(backend, now=clock(), kind=NEEDS)
    assert report.failed == 0 and report.indexed >= 1 and _pending() == []
    assert [h.id for h in backend.needs.search(SearchQuery(text="热失控")).hits] == [posted.id]
    assert [h.id for h in backend.needs.search(SearchQuery(text="示范储能")).hits] == [posted.id]

    needs.close_need(buyer, posted.id, now=clock.advance(hours=1))
    drain(backend, now=clock(), kind=NEEDS)
    assert backend.needs.search(SearchQuery(text="热失控")).total == 0


@pytest.mark.usefixtures("db_session")
def test_reindex_rebuilds_the_needs_from_the_database(clock, tmp_path: Path) -> None:
    backend = EmbeddedSearchBackend(tmp_path / "search.db")
    buyer = factories.enterprise(clock())
    made = [factories.need(buyer, clock(), title=f"寻求石墨烯散热膜方案{i}") for i in range(3)]
    needs.withdraw_need(buyer, made[0].id, now=clock())
    counted: list[int] = []
    expected = searchable_count(NEEDS)
    assert reindex(backend, batch_size=2, progress=counted.append, kind=NEEDS) == expected >= 2
    assert sum(counted) == expected == backend.needs.count()
    assert _pending() == []
    found = {
        h.id for h in backend.needs.search(SearchQuery(text="石墨烯散热膜", per_page=100)).hits
    }
    assert {made[1].id, made[2].id} <= found and made[0].id not in found


def test_the_reindex_command_rebuilds_listings_and_needs(app, db_session, clock) -> None:
    buyer = factories.enterprise(clock())
    factories.need(buyer, clock(), title="寻求一种海水淡化膜材料")
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "technology needs" in result.output
    status = app.test_cli_runner().invoke(args=["search", "status"])
    assert "open technology needs: " in status.output


def test_reindex_if_empty_still_fills_an_empty_needs_index(
    app, db_session, clock, upload_folder: Path
) -> None:
    from listings.rules import ListingStatus
    from search import EXTENSION_KEY

    owner = factories.seller(clock())
    factories.listing(owner, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder)
    factories.need(factories.enterprise(clock()), clock(), title="寻求一种海水淡化膜材料")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "reindex"]).exit_code == 0
    backend = app.extensions[EXTENSION_KEY]
    backend.needs.clear()  # as an index built before needs existed
    result = runner.invoke(args=["search", "reindex", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "not rebuilding it" in result.output and "technology needs" in result.output
    assert backend.needs.count() == searchable_count(NEEDS) >= 1
