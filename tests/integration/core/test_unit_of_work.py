"""The unit of work: one commit per use case, steps after the commit or the rollback, no writes on GET."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import func, select

from core import outbox
from core.extensions import db
from core.outbox import OutboxEvent
from core.uow import after_commit, on_rollback, permit_get_write, unit_of_work
from marketplace import create_app

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def _events() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxEvent)) or 0


def test_a_unit_of_work_commits_once_then_runs_its_after_commit_steps(db_session, clock) -> None:
    ran: list[str] = []
    with unit_of_work():
        outbox.emit("test.uow", 1, now=clock())
        after_commit(lambda: ran.append("after commit"))
        on_rollback(lambda: ran.append("after rollback"))
        assert ran == []  # nothing runs before the commit
    assert ran == ["after commit"]
    assert _events() == 1


def test_a_failing_use_case_changes_nothing_and_runs_its_rollback_steps(db_session, clock) -> None:
    ran: list[str] = []
    with pytest.raises(ValueError), unit_of_work():
        outbox.emit("test.uow", 1, now=clock())
        db.session.flush()
        after_commit(lambda: ran.append("after commit"))
        on_rollback(lambda: ran.append("after rollback"))
        raise ValueError("refused half-way")
    assert ran == ["after rollback"]
    assert _events() == 0


def test_a_failing_after_commit_step_does_not_undo_the_commit(db_session, clock) -> None:
    ran: list[str] = []

    def broken() -> None:
        raise RuntimeError("the mail server is down")

    with unit_of_work():
        outbox.emit("test.uow", 1, now=clock())
        after_commit(broken)
        after_commit(lambda: ran.append("next step"))
    assert ran == ["next step"]
    assert _events() == 1


@pytest.fixture
def probe_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A fresh app with routes that write on GET, to watch the request checks at work."""
    work = tmp_path_factory.mktemp("uow")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'uow.db'}",
            "SEARCH_INDEX_PATH": str(work / "search.db"),
            "UPLOAD_FOLDER": str(work / "uploads"),
            "CHECK_GET_WRITES": True,
        }
    )

    def write() -> str:
        outbox.emit("test.uow", 1, now=NOW)
        db.session.flush()
        return "wrote"

    @app.get("/probe/write-on-get")
    def write_on_get() -> str:
        with unit_of_work():
            return write()

    @app.get("/probe/permitted")
    def permitted() -> str:
        permit_get_write("a token's last use, in this test")
        with unit_of_work():
            return write()

    @app.post("/probe/forgot-the-unit-of-work")
    def forgot() -> str:
        return write()

    with app.app_context():
        db.create_all()
    yield app


def test_a_get_request_that_writes_fails_under_test(probe_app: Flask) -> None:
    client = probe_app.test_client()
    with pytest.raises(RuntimeError, match="GET request wrote to the database"):
        client.get("/probe/write-on-get")


def test_documented_get_writes_are_allowed(probe_app: Flask) -> None:
    client = probe_app.test_client()
    assert client.get("/probe/permitted").status_code == 200


def test_writes_outside_a_unit_of_work_fail_under_test(probe_app: Flask) -> None:
    client = probe_app.test_client()
    with pytest.raises(RuntimeError, match="wrote outside a unit of work"):
        client.post("/probe/forgot-the-unit-of-work")


def test_a_nested_unit_of_work_joins_the_outer_one(db_session, clock) -> None:
    with pytest.raises(ValueError), unit_of_work():
        with unit_of_work():
            outbox.emit("test.uow", 1, now=clock())
        assert _events() == 1  # flushed, not yet committed
        raise ValueError("the outer use case fails after the inner one")
    assert _events() == 0
