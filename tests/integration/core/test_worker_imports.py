"""A web worker loads what serving needs: not Alembic, unused database drivers, Stripe,
Pillow nor icalendar, which load when used (issue 19).

Alembic (Flask-Migrate) loads when a migration runs; Huey's Redis and PostgreSQL drivers
when a queue on them is made (core.migrations, core.huey_loader). Each check runs in a
fresh interpreter: this test process has loaded everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from flask import Flask

from config import BASE_DIR

NOT_LOADED_BY_SERVING = (
    *("alembic", "flask_migrate", "mako", "redis", "psycopg"),
    *("stripe", "requests", "PIL.Image", "icalendar"),
)

_CHILD = """
import json, os, sys
import wsgi
loaded = [name for name in sys.argv[1:] if name in sys.modules]
from core.jobs import make_huey
huey = make_huey({"REDIS_URL": os.environ["QUEUE_URL"], "JOBS_QUEUE_NAME": "imports-test"})
import redis
queued = None
if os.environ.get("REDIS_TEST_URL"):
    huey.storage.enqueue(b"a message")
    queued = huey.pending_count()
    huey.flush()
print(json.dumps({"loaded": loaded, "client": isinstance(huey.storage.conn, redis.Redis),
                  "queued": queued}))
"""


def test_the_web_app_loads_no_alembic_nor_unused_drivers_and_redis_queues_still_work(
    tmp_path: Path,
) -> None:
    redis_url = os.environ.get("REDIS_TEST_URL", "").strip()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "LIVE_REDIS_URL", "DATABASE_URL")
    }
    env |= {
        "APP_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'market.db'}",
        "INSTANCE_PATH": str(tmp_path),
        "QUEUE_URL": redis_url or "redis://127.0.0.1:9/0",  # made, never reached without Redis
    }
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, *NOT_LOADED_BY_SERVING],
        cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["loaded"] == []
    assert found["client"] is True  # Huey's Redis storage got the client it was hidden from
    if redis_url:
        assert found["queued"] == 1


def test_flask_db_still_runs_alembic(app: Flask) -> None:
    cli = app.test_cli_runner()
    listed = cli.invoke(args=["db", "--help"])
    assert listed.exit_code == 0, listed.output
    assert "upgrade" in listed.output and "downgrade" in listed.output
    heads = cli.invoke(args=["db", "heads"])  # Alembic prints to the real stdout
    assert heads.exit_code == 0, heads.output
    assert cli.invoke(args=["db", "no-such-command"]).exit_code == 2
