"""Fixtures of the sales tests: a second app whose sessions really commit (threads need that)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, inspect, select, text

from core.extensions import db
from marketplace import create_app


@pytest.fixture
def committing_app(app: Flask, tmp_path: Path) -> Iterator[Flask]:
    """An app on the test database whose commits are real; its rows are deleted afterwards.

    Every table's rows above the ids found at the start go, children first, so the
    savepoint-isolated tests see the database as before.
    """
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    other = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 20, "max_overflow": 10}
            if url.startswith("postgresql")
            else {},
            "SEARCH_INDEX_PATH": str(tmp_path / "search.db"),
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        }
    )
    with other.app_context():
        existing = set(inspect(db.engine).get_table_names())
        tables = [t for t in db.metadata.sorted_tables if "id" in t.c and t.name in existing]
        marks = {
            t.name: db.session.scalar(select(func.coalesce(func.max(t.c.id), 0))) for t in tables
        }
        db.session.remove()
    try:
        yield other
    finally:
        with other.app_context():
            with db.engine.begin() as connection:
                for table in reversed(tables):
                    connection.execute(
                        text(f"DELETE FROM {table.name} WHERE id > :mark"),
                        {"mark": marks[table.name]},
                    )
            db.session.remove()
            db.engine.dispose()
