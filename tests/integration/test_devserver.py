"""`flask serve` (make run): migrates only when a migration is pending; its job worker
runs nothing until the set-up is done."""

from __future__ import annotations

import os
import time
from pathlib import Path

from flask import Flask

from marketplace import create_app
from marketplace.devserver import ForkedJobWorker, migrate, migrations_pending


def _fresh_app(folder: Path) -> Flask:
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'market.db'}",
            "SEARCH_INDEX_PATH": str(folder / "search.db"),
            "UPLOAD_FOLDER": str(folder / "uploads"),
            "JOBS_SQLITE_PATH": str(folder / "jobs.sqlite3"),
            "JOBS_IMMEDIATE": False,
        }
    )


def test_an_empty_database_is_migrated_then_left_alone(tmp_path: Path) -> None:
    app = _fresh_app(tmp_path)
    with app.app_context():
        assert migrations_pending(app)
        migrate(app)  # in a forked child
        assert not migrations_pending(app)
        from sqlalchemy import inspect

        from core.extensions import db

        assert "listings" in inspect(db.engine).get_table_names()


def test_the_job_worker_waits_for_the_set_up_and_ends_with_the_server(tmp_path: Path) -> None:
    app = _fresh_app(tmp_path)
    worker = ForkedJobWorker(app, workers=1)
    time.sleep(0.3)
    assert os.waitpid(worker.pid, os.WNOHANG) == (0, 0)  # alive, waiting for the set-up
    started = time.monotonic()
    worker.stop()  # the set-up failed: the worker never starts and exits
    assert time.monotonic() - started < 5


def _script(folder: Path, revision: str, down: str) -> None:
    (folder / f"{revision}.py").write_text(
        f'"""{revision}"""\nrevision = "{revision}"\ndown_revision = {down}\n'
        "branch_labels = None\ndepends_on = None\n"
    )


def test_the_heads_are_read_from_the_scripts_as_alembic_reads_them(tmp_path: Path) -> None:
    from marketplace.devserver import _alembic_heads, script_heads

    app = _fresh_app(tmp_path)
    with app.app_context():
        real = Path(app.extensions["migrate"].directory) / "versions"
        assert script_heads(real) == _alembic_heads(app)
    _script(tmp_path, "a", "None")
    _script(tmp_path, "b", "'a'")
    _script(tmp_path, "c", "'a'")
    assert script_heads(tmp_path) == {"b", "c"}  # two branches
    _script(tmp_path, "d", "('b', 'c')")
    assert script_heads(tmp_path) == {"d"}  # merged
    (tmp_path / "e.py").write_text("revision = make_id()\ndown_revision = 'd'\n")
    assert script_heads(tmp_path) is None  # not as expected: Alembic is asked


def test_serve_keeps_the_compiled_templates_for_the_next_start(tmp_path: Path) -> None:
    from marketplace.devserver import cache_compiled_templates

    app = _fresh_app(tmp_path)
    app.instance_path = str(tmp_path / "instance")
    cache_compiled_templates(app)
    with app.test_request_context("/"):
        app.jinja_env.get_template("base.html")
    assert list((tmp_path / "instance" / "jinja-cache").glob("__jinja2_*.cache"))
