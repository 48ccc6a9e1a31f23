"""`flask serve`: `make run`'s one Python process. It sets up, starts the job worker and serves.

`make run` used to start Python four times before the first page (`pybabel compile`,
`flask db upgrade`, `flask demo load`, then `flask jobs worker` beside `flask run`),
each importing the whole app: about 6 s on a warm start. Here the app is imported
once; the job worker is this process forked right after the import (it shares the
imported code and waits until the set-up is done, as the worker started after
`make demo` did); the database is migrated only when a migration is pending (by a
forked child too; a new, empty database is made from the models and stamped, as
Alembic advises: `create_schema`), the demo market only into an empty market (`flask demo load`);
`make translations` compiles a catalogue only when its .po changed. On a new machine,
search's word tables are built by another forked child meanwhile (search.text.prebuild):
the demo's indexing, at the end, waits for them.
"""

from __future__ import annotations

import ast
import os
import re
import secrets
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from sqlalchemy import inspect, text
from werkzeug.serving import run_simple

from core import forked

STOP_WAIT_SECONDS = 10.0


class ForkedJobWorker:
    """`flask jobs worker`, as a child forked from this process before it opens anything.

    The child waits on a pipe: one byte once the set-up is done (it then runs the
    queue's consumer until stopped), end of file if the parent gave up.
    """

    def __init__(self, app: Flask, workers: int) -> None:
        read, self._write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            os.close(self._write)
            status = 1
            try:
                if os.read(read, 1):
                    _run_jobs(app, workers)
                status = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(status)  # never the parent's clean-up (its connections, its server)
        os.close(read)

    def start(self) -> None:
        os.write(self._write, b"1")
        os.close(self._write)
        self._write = -1

    def stop(self) -> None:
        """Ctrl-C reaches the worker too (same process group); a worker still running
        after the server stopped is asked to stop, then killed."""
        if self._write != -1:
            os.close(self._write)  # the child, still waiting, exits
        deadline = time.monotonic() + STOP_WAIT_SECONDS
        signalled = False
        while time.monotonic() < deadline:
            if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                return
            if not signalled:
                os.kill(self.pid, signal.SIGTERM)
                signalled = True
            time.sleep(0.05)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


_INHERITED: list[object] = []  # the parent's open handles: kept, never closed by the child


def _run_jobs(app: Flask, workers: int) -> None:
    """In the forked child: connections of its own, then the consumer (core.jobs_cli.worker)."""
    import search
    from core import jobs
    from core.extensions import db

    with app.app_context():
        _INHERITED.append(dict(app.extensions))
        db.engine.dispose(close=False)  # the parent's pooled connections stay the parent's
        jobs.init_app(app)  # a queue connection of the child's own
        search.init_app(app)  # and search indices opened by the child
        runner = jobs.runner()
        click.echo(f"jobs: {workers} worker(s) on {type(runner.huey.storage).__name__}")
        runner.consumer(workers=workers).run()


def migrations_pending(app: Flask) -> bool:
    """Whether the database is behind the migrations' head.

    Asked by every `make run`: the heads are read from the scripts' `revision` and
    `down_revision` lines and the database's from its version table, without Alembic,
    which would import Alembic and every script (a third of a second); Alembic answers
    when a script is not written as expected."""
    from core.extensions import db

    config = app.extensions["migrate"]
    heads = script_heads(Path(config.directory) / "versions")
    if heads is None:
        heads = _alembic_heads(app)
    with db.engine.connect() as connection:
        current: set[str] = set()
        if inspect(connection).has_table(VERSION_TABLE):
            current = set(connection.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}")))
    return current != heads


VERSION_TABLE = "alembic_version"
_ASSIGNMENT = re.compile(
    r"^(revision|down_revision|depends_on)\s*(?::[^=\n]+)?=\s*(.+?)\s*$", re.MULTILINE
)


def script_heads(folder: Path) -> set[str] | None:
    """The revisions no other script names as its `down_revision`, read without importing
    the scripts; None when one is not as expected (a revision missing or computed, a
    `depends_on`): then ask Alembic."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in folder.glob("*.py"):
        found = dict(_ASSIGNMENT.findall(script.read_text(encoding="utf-8")))
        try:
            revision = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found.get("down_revision", "None"))
            depends_on = ast.literal_eval(found.get("depends_on", "None"))
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str) or depends_on is not None:
            return None
        downs = down if isinstance(down, tuple | list) else (down,)
        if not all(isinstance(parent, str | None) for parent in downs):
            return None
        revisions.add(revision)
        parents.update(parent for parent in downs if parent)
    return revisions - parents if revisions else None


def _alembic_heads(app: Flask) -> set[str]:
    from alembic.script import ScriptDirectory

    config = app.extensions["migrate"].migrate.get_config()
    return set(ScriptDirectory.from_config(config).get_heads())


def migrate(app: Flask) -> None:
    """`flask db upgrade`, in a child forked from this process: alembic's env.py configures
    logging from alembic.ini (it would silence this server's loggers); the child has the
    app imported already (a new `flask db upgrade` would import it again)."""
    import flask_migrate

    from core.extensions import db

    def upgrade() -> None:
        with app.app_context():
            db.engine.dispose(close=False)  # the parent's connections stay the parent's
            flask_migrate.upgrade()

    pid = forked.fork(upgrade)
    _, status = os.waitpid(pid, 0)
    db.engine.dispose()  # read the migrated schema afresh
    if os.waitstatus_to_exitcode(status) != 0:
        raise click.ClickException("the migrations failed (see above)")


def database_is_new(app: Flask) -> bool:
    """Whether the database holds no table at all (a new SQLite file, an empty schema)."""
    from core.extensions import db

    with db.engine.connect() as connection:
        return not inspect(connection).get_table_names()


# The rows the migrations write into a new database (op.bulk_insert, op.execute of data),
# each by the revision that writes it: a new database made from the models gets them too.
# tests/integration/test_migrations.py checks that a database so made holds the same
# tables, columns, keys, indexes, constraints and rows as one the migrations made.
def _seeded_rows() -> list[tuple[str, Any, list[dict[str, Any]]]]:
    from search.alert_index import STATE_ID
    from search.models import SavedSearchGeneration

    return [
        (
            "0019_alert_keys",
            SavedSearchGeneration.__table__,
            [{"id": STATE_ID, "generation": 0, "token": secrets.token_hex(16)}],
        ),
    ]


def create_schema(app: Flask) -> None:
    """A new, empty database made from the models (`create_all`) and stamped with the
    migrations' head, as Alembic's documentation advises for new databases, instead of
    replaying every migration (1.2 s of CPU, and Alembic imported, on a new checkout's
    `make run`); the rows the migrations seed are written too. A database that has
    tables is migrated (`migrate`)."""
    from sqlalchemy import Column, MetaData, PrimaryKeyConstraint, String, Table, insert

    from core.extensions import db

    heads = script_heads(Path(app.extensions["migrate"].directory) / "versions")
    if heads is None:
        heads = _alembic_heads(app)
    version = Table(  # as Alembic makes its version table
        VERSION_TABLE,
        MetaData(),
        Column("version_num", String(32), nullable=False),
        PrimaryKeyConstraint("version_num", name=f"{VERSION_TABLE}_pkc"),
    )
    with db.engine.begin() as connection:
        db.metadata.create_all(connection)
        version.create(connection)
        connection.execute(insert(version), [{"version_num": head} for head in sorted(heads)])
        for _revision, table, rows in _seeded_rows():
            connection.execute(insert(table), rows)
    db.engine.dispose()


def cache_compiled_templates(app: Flask) -> None:
    """Keep the templates Jinja compiles under instance/jinja-cache: the next `make run`
    loads them (the first page was a quarter of a second slower compiling its templates).
    Jinja checks each against its source, so an edited template is compiled again."""
    from jinja2 import FileSystemBytecodeCache

    folder = Path(app.instance_path) / "jinja-cache"
    folder.mkdir(parents=True, exist_ok=True)
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(folder))


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--job-workers",
    default=2,
    show_default=True,
    type=click.IntRange(0, 32),
    help="Threads of the job worker beside the server (0: no job worker).",
)
@click.option("--demo/--no-demo", default=True, help="Load the demo market into an empty one.")
@click.option("--mail-banner", default="", help="Where the mail goes, for the banner.")
@click.option(
    "--reindex-if-empty",
    is_flag=True,
    help="Build the search index when it is empty (Elasticsearch).",
)
@click.pass_context
def serve_command(
    ctx: click.Context,
    host: str,
    port: int,
    job_workers: int,
    demo: bool,
    mail_banner: str,
    reindex_if_empty: bool,
) -> None:
    """Migrate when needed, load the demo once, start the job worker, serve (make run)."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    worker = ForkedJobWorker(app, job_workers) if job_workers else None
    from search.text import prebuild

    prebuild.start()  # search's word tables, when missing, built beside the set-up
    cache_compiled_templates(app)
    try:
        if migrations_pending(app):
            if database_is_new(app):
                create_schema(app)
            else:
                migrate(app)
        if demo:
            from marketplace.demo.cli import load_command

            ctx.invoke(load_command, listing_count=None)
        if reindex_if_empty:
            from search.cli import reindex_command

            ctx.invoke(reindex_command, batch_size=500, if_empty=True)
        from core.extensions import db

        db.session.remove()
        db.engine.dispose()  # the set-up's connections: the server's threads open their own
        if worker is not None:
            worker.start()
        click.echo(f"\n  The market:  http://{host}:{port}")
        if worker is not None:
            click.echo(f"  Job worker:  running (pid {worker.pid})")
        if mail_banner:
            click.echo(f"  Email:       {mail_banner}")
        click.echo()
        # What `flask run` does without --debug: threads, no reloader, no debugger.
        run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=app.debug)
    finally:
        if worker is not None:
            worker.stop()
