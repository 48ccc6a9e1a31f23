"""What the benchmarks on PostgreSQL share: a scratch database and work folder of the run's
own, the app's production settings on them, the demo market with a token, gunicorn as in
production, and the app in this process with its SQL statements counted.

    with scratch(args.database_url, "http") as place:   # dropped and removed at the end
        found = load_market(place.env)                    # the demo market, a token, ids
        with serving(place.env, workers=2, threads=8) as (master_pid, base): ...

    with scratch(args.database_url, "cpu") as place, app_in_process(place.env):
        found = load_market(place.env)
        from wsgi import app                              # built on the scratch database

PostgreSQL: the server of --database-url, else BENCH_DATABASE_URL; the cluster of
`devservices/postgres.sh start` only when asked (--start-postgres): never a second cluster
by surprise. Each run's database is named after its purpose and process id, so several
benchmarks may run at once on one server.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import requests
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent


# --- the database -----------------------------------------------------------------------------


NO_SERVER = (
    "No PostgreSQL server given: pass --database-url URL (any database on the server, e.g."
    " PG_ADMIN_URL of /work/testenv-static.sh) or set BENCH_DATABASE_URL; --start-postgres"
    " starts the cluster of devservices/postgres.sh instead."
)


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    """--database-url and --start-postgres, as `server_url` reads them."""
    parser.add_argument("--database-url", help="a database on the PostgreSQL server to use")
    parser.add_argument(
        "--start-postgres",
        action="store_true",
        help="without a URL, start devservices/postgres.sh's cluster (never done unasked)",
    )


def server_url(given: str | None, *, start: bool = False) -> str:
    """The PostgreSQL server to use (SQLAlchemy URL of any database on it): the one given,
    else BENCH_DATABASE_URL, else (only when `start`) devservices/postgres.sh's cluster;
    otherwise the run ends saying how to name one."""
    if given:
        return given
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    if not start:
        raise SystemExit(NO_SERVER)
    out = subprocess.run(
        [str(ROOT / "devservices/postgres.sh"), "start"], check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def libpq(url: str) -> str:
    """The psycopg conninfo of a SQLAlchemy URL."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def recreate_database(url: str, name: str) -> str:
    """Drop and create the database `name` on the server of `url`; its SQLAlchemy URL."""
    drop_database(url, name)
    with psycopg.connect(_admin(url), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str, name: str) -> None:
    with psycopg.connect(_admin(url), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _admin(url: str) -> str:
    return libpq(str(make_url(url).set(database="postgres")))


@contextmanager
def scratch_database(given: str | None, purpose: str, *, start: bool = False) -> Iterator[str]:
    """A new database `marketplace_bench_<purpose>_<pid>` on the server; dropped at the end."""
    server = server_url(given, start=start)
    name = f"marketplace_bench_{purpose}_{os.getpid()}"
    url = recreate_database(server, name)
    try:
        yield url
    finally:
        drop_database(server, name)


# --- the app's settings -------------------------------------------------------------------------


def app_env(url: str, work: Path) -> dict[str, str]:
    """This environment with the app's production settings on `url` and the folder `work`."""
    return {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": "bench",
        "DATABASE_URL": url,
        "INSTANCE_PATH": str(work / "instance"),
        "SEARCH_INDEX_PATH": str(work / "search.db"),
        "UPLOAD_FOLDER": str(work / "uploads"),
        "SEARCH_BACKEND": "embedded",
    }


@dataclass(frozen=True)
class Scratch:
    url: str  # the database's SQLAlchemy URL
    work: Path  # instance folder, search index, uploads
    env: dict[str, str]  # app_env(url, work)


@contextmanager
def scratch(given: str | None, purpose: str, *, start: bool = False) -> Iterator[Scratch]:
    """A database and a work folder of this run's own, and the settings on them; both gone
    at the end."""
    with scratch_database(given, purpose, start=start) as url:
        work = Path(tempfile.mkdtemp(prefix=f"bench-{purpose}-"))
        try:
            yield Scratch(url, work, app_env(url, work))
        finally:
            shutil.rmtree(work, ignore_errors=True)


# --- the demo market ------------------------------------------------------------------------------


# Run in the app (subprocess): a write token of the demo buyer, and ids to visit.
_SETUP = """
import json
from sqlalchemy import select
from accounts import tokens
from accounts.models import User
from auctions.models import Auction
from core.clock import now
from core.uow import unit_of_work
from listings.models import Listing
from wsgi import app
with app.app_context(), unit_of_work(writer=True):
    user = User.query.filter_by(email="buyer@demo.market").one()
    secret = tokens.issue_token(user, tokens.NewToken("bench"), now=now(), max_days=365).secret
    listing = min(Listing.query.filter_by(status="published").with_entities(Listing.id))[0]
    auction = Auction.query.order_by(Auction.id).first()
    print(json.dumps({"token": secret, "listing": listing, "auction": auction.id if auction else None}))
"""


def load_market(env: dict[str, str], listings: int | None = None) -> dict[str, object]:
    """Migrate, load the demo market (all of it, or its first `listings` results), issue a
    token; the token and the ids to visit."""
    flask = [str(ROOT / ".venv/bin/flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    only = ["--listings", str(listings)] if listings else []
    subprocess.run(
        [*flask, "demo", "load", *only], cwd=ROOT, env=env, check=True, capture_output=True
    )
    out = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "-c", _SETUP],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    found: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


# --- CPU ---------------------------------------------------------------------------------------


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its descendants (gunicorn's master and workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parent, cpu = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child = int(stat.parent.name)
        parent[child] = int(fields[1])
        cpu[child] = (int(fields[11]) + int(fields[12])) / ticks
    tree, total = {pid}, 0.0
    for child in sorted(parent):  # children have higher ids than their parents, mostly
        if parent[child] in tree:
            tree.add(child)
    for child in tree:
        total += cpu.get(child, 0.0)
    return total


def postgres_cpu_seconds() -> float:
    """User + system CPU of the processes named postgres (server, backends, workers)."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
        except OSError:
            continue
        name, fields = raw[raw.find("(") + 1 : raw.rfind(")")], raw[raw.rfind(")") + 2 :].split()
        if name.startswith("postgres"):
            total += int(fields[11]) + int(fields[12])
    return total / ticks


# --- gunicorn -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(env: dict[str, str], workers: int, threads: int) -> tuple[subprocess.Popen, str]:
    """gunicorn as in production (gunicorn.conf.py: the app preloaded, gthread workers) on a
    free port, once it answers /healthz; the process and its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"),
         "--workers", str(workers), "--threads", str(threads),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=10).status_code < 500:
                return process, base
        except requests.RequestException:  # not listening yet, or slow on a busy machine
            time.sleep(0.3)
    stop_gunicorn(process)
    raise RuntimeError("gunicorn did not start")


@contextmanager
def serving(env: dict[str, str], workers: int, threads: int) -> Iterator[tuple[int, str]]:
    """start_gunicorn for a block: gunicorn's master pid and base URL; stopped at the end."""
    process, base = start_gunicorn(env, workers, threads)
    try:
        yield process.pid, base
    finally:
        stop_gunicorn(process)


def stop_gunicorn(process: subprocess.Popen) -> None:
    """TERM to gunicorn's process group; KILL if it has not stopped within 20 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# --- the app in this process -----------------------------------------------------------------------


@contextmanager
def app_in_process(env: dict[str, str]) -> Iterator[None]:
    """The settings `env` in this process's environment (before the app is first imported);
    at the end, the app's connections closed, so that its database can be dropped."""
    os.environ.update(env)
    try:
        yield
    finally:
        if "wsgi" in sys.modules:
            from core.extensions import db

            with sys.modules["wsgi"].app.app_context():
                db.engine.dispose()


def count_statements(app: Any, shown: list[str] | None = None) -> list[int]:
    """A counter (`counter[0]`) of the SQL statements the app sends: SQLAlchemy's, and the
    plain ones of `core.plain_sql` (run straight on psycopg's connection, which SQLAlchemy's
    events never see); each one's text, shortened, appended to `shown` when given."""
    import psycopg
    from sqlalchemy import event

    from core.extensions import db

    counter = [0]

    def note(text: str) -> None:
        counter[0] += 1
        if shown is not None:
            shown.append(" ".join(text.split())[:300])

    def count(_conn: Any, _cursor: Any, statement: str, *_: object) -> None:
        note(statement)

    plain_execute = psycopg.Connection.execute

    def counted(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        note(f"(plain) {query}")
        return plain_execute(self, query, *args, **kwargs)

    psycopg.Connection.execute = counted  # type: ignore[method-assign]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    return counter
