"""The cluster the tests of tests/cluster share: two gunicorn nodes, A and B, on one
PostgreSQL database, one Redis (queue, limits, live rooms), one Elasticsearch node and
one S3 bucket, each node with a folder of its own (so a document can only cross through
the bucket). Workers (`flask jobs worker`) start where a test needs them.

Started once for the directory (a session fixture): tests that kill a node restart it
with `ensure_up()`. Needs PostgreSQL (CLUSTER_DATABASE_URL, else a PostgreSQL
TEST_DATABASE_URL: a database of its own is created there and dropped afterwards),
REDIS_TEST_URL, ELASTICSEARCH_URL and S3_TEST_URL: skipped without one of them on a
workstation, failed under CI.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
from flask import Flask
from sqlalchemy.engine import make_url

from tests import s3 as s3_server
from tests.cluster.nodes import Node, Worker, free_port, worker_env


def needed(name: str, value: str | None) -> str:
    """A service's setting, or skip (a workstation) / fail (CI) without it."""
    if not value:
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail(f"{name} is not set: CI runs the cluster tests")
        pytest.skip(f"{name} is not set")
    return value


@dataclass
class Cluster:
    """The two nodes, the settings they share, and an app (in this process) on the same
    database and bucket, to seed data and to read what the nodes did."""

    a: Node
    b: Node
    env: dict[str, str]
    app: Flask
    s3: Any
    bucket: str
    work: Path

    def up(self) -> None:
        self.a.ensure_up()
        self.b.ensure_up()

    @contextlib.contextmanager
    def database(self) -> Iterator[None]:
        """This process's app on the cluster's database (seeding, reading what happened)."""
        from core.extensions import db

        with self.app.app_context():
            try:
                yield
            finally:
                db.session.remove()


@pytest.fixture(scope="session")
def cluster_database() -> Iterator[str]:
    """A fresh database on the test PostgreSQL server, dropped at the end."""
    given = os.environ.get("CLUSTER_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if given and not given.startswith("postgresql"):
        given = None
    url = make_url(needed("CLUSTER_DATABASE_URL (PostgreSQL)", given))
    name = f"market_cluster_{uuid.uuid4().hex[:8]}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _seed_app(database: str, work: Path, storage: dict[str, Any], redis: str, queue: str) -> Flask:
    """The app of this process on the cluster's database, bucket and queue, migrated."""
    from flask_migrate import upgrade

    from marketplace import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database,
            "SEARCH_INDEX_PATH": str(work / "seed-search.db"),
            "UPLOAD_FOLDER": str(work / "seed-uploads"),
            "REDIS_URL": redis,
            "JOBS_QUEUE_NAME": queue,
            "JOBS_IMMEDIATE": False,
            **storage,
        }
    )
    with app.app_context():
        upgrade()
    return app


def _drop_indices(url: str, alias: str) -> None:
    with contextlib.suppress(requests.RequestException, ValueError):
        found = requests.get(f"{url}/_alias/{alias}", timeout=10)
        for index in found.json() if found.status_code == 200 else {}:
            requests.delete(f"{url}/{index}", timeout=10)


@pytest.fixture(scope="session")
def cluster(cluster_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    redis = needed("REDIS_TEST_URL", os.environ.get("REDIS_TEST_URL"))
    search = needed("ELASTICSEARCH_URL", os.environ.get("ELASTICSEARCH_URL")).split(",")[0]
    needed("S3_TEST_URL", os.environ.get("S3_TEST_URL"))
    work = tmp_path_factory.mktemp("cluster")
    queue = f"cluster-{uuid.uuid4().hex[:8]}"
    alias = f"test-cluster-{uuid.uuid4().hex[:8]}"
    with s3_server.bucket() as (client, bucket):
        storage = s3_server.app_config(bucket, S3_PREFIX="cluster")
        env = {
            **{key: str(value) for key, value in storage.items()},
            "S3_SERVER_SIDE_ENCRYPTION": "0",  # S3Proxy refuses the header
            "AWS_ACCESS_KEY_ID": s3_server.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": s3_server.SECRET_KEY,
            "DATABASE_URL": cluster_database,
            "REDIS_URL": redis,
            "JOBS_QUEUE_NAME": queue,
            "RATELIMIT_KEY_PREFIX": queue,
            "SEARCH_BACKEND": "elasticsearch",
            "ELASTICSEARCH_URL": search,
            "ELASTICSEARCH_INDEX_ALIAS": alias,
            # Nothing listens there: mail stays queued (the tests read notifications).
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(free_port()),
        }
        a, b = Node("a", env, work), Node("b", env, work)
        a.start()  # they import the app while this process migrates the database
        b.start()
        try:
            app = _seed_app(cluster_database, work, storage, redis, queue)
            a.wait_up()
            b.wait_up()
            yield Cluster(a, b, env, app, client, bucket, work)
        finally:
            a.stop()
            b.stop()
            _drop_indices(search, alias)


@pytest.fixture
def workers(cluster: Cluster) -> Iterator[list[Worker]]:
    """A job worker beside each node (same settings), its app imported but its consumer
    not started (the test starts them once its data is in place), stopped after the test."""
    started = [Worker(name, worker_env(cluster.env, cluster.work, name)) for name in "ab"]
    for worker in started:
        worker.prepare()
    try:
        yield started
    finally:
        for worker in started:
            worker.stop()
