"""A worker keeps a pooled PostgreSQL connection for each of its threads.

With SQLAlchemy's default of five under gunicorn's eight busy threads, most requests
beyond the fifth opened a server connection and closed it again (bench/http.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from marketplace import create_app

POSTGRES = "postgresql+psycopg://market@127.0.0.1:1/market"  # never connected to here


def pool_size(tmp_path: Path, **config: object) -> int:
    app = create_app({"SEARCH_INDEX_PATH": str(tmp_path / "search.db"), **config})
    with app.app_context():
        from core.extensions import db

        size: int = db.engine.pool.size()  # type: ignore[attr-defined]
        return size


def test_postgresql_keeps_a_connection_per_thread_and_two_spare(tmp_path: Path) -> None:
    assert pool_size(tmp_path, SQLALCHEMY_DATABASE_URI=POSTGRES) == 8 + 2
    assert pool_size(tmp_path, SQLALCHEMY_DATABASE_URI=POSTGRES, DATABASE_POOL_SIZE=20) == 20


def test_engine_options_that_name_a_pool_size_keep_it(tmp_path: Path) -> None:
    options = {"pool_size": 2, "max_overflow": 2}
    assert (
        pool_size(tmp_path, SQLALCHEMY_DATABASE_URI=POSTGRES, SQLALCHEMY_ENGINE_OPTIONS=options)
        == 2
    )


@pytest.mark.parametrize("size", [0, -1, 101])
def test_a_pool_size_out_of_bounds_stops_the_start_with_the_reason(
    tmp_path: Path, size: int
) -> None:
    with pytest.raises(ValueError, match="DATABASE_POOL_SIZE must be 1 to 100"):
        pool_size(tmp_path, SQLALCHEMY_DATABASE_URI=POSTGRES, DATABASE_POOL_SIZE=size)
