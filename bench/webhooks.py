"""Benchmark of outbound webhooks: what publishing costs a use case, and delivery throughput.

    .venv/bin/python bench/webhooks.py [--events 500] [--database-url URL]

In a database (SQLite in a temporary directory by default; --database-url names
another one, WHICH IS EMPTIED FIRST), one organisation has no endpoint and another has
one at a receiver on 127.0.0.1 that answers 204 at once. It times `webhooks.events.publish`
for each (what every `notify_org` now adds to its transaction; µs, p50/p95), then
publishes --events events to the endpoint and times one run of the delivery job
(`webhooks.delivery.deliver_due`): deliveries per second, and the POSTs' p50/p95 in
ms from the attempt log. One worker, sequential POSTs: the job's floor, not a ceiling.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from flask_migrate import upgrade
from sqlalchemy import select, text

from accounts.models import Organisation, OrganisationKind, User, VerificationStatus
from core.extensions import db
from core.uow import unit_of_work
from marketplace import create_app
from webhooks import delivery, endpoints, events
from webhooks.models import WebhookAttempt

NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


class _Quick(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _admin(n: int) -> User:
    org = Organisation(
        name=f"基准测试机构{n}",
        kind=OrganisationKind.ENTERPRISE,
        credit_code=f"91310000BENCH{n:05d}"[:18],
        region="上海市",
        status=VerificationStatus.VERIFIED,
        created_at=NOW,
    )
    db.session.add(org)
    db.session.flush()
    user = User(
        email=f"bench{n}@example.com",
        name=f"基准{n}",
        password_hash="x",
        organisation_id=org.id,
        org_role="admin",
        created_at=NOW,
    )
    db.session.add(user)
    db.session.flush()
    return user


def _percentiles(values: list[float]) -> str:
    cuts = statistics.quantiles(values, n=20)
    return f"p50 {statistics.median(values):.1f}, p95 {cuts[18]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    url = args.database_url or f"sqlite:///{work / 'bench.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SEARCH_INDEX_PATH": str(work / "s.db")})
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Quick)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with app.app_context():
        if url.startswith("postgresql"):
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        with unit_of_work(writer=True):
            quiet, hooked = _admin(1), _admin(2)
            endpoints.register(
                hooked,
                endpoints.NewEndpoint(
                    f"http://127.0.0.1:{server.server_address[1]}/", ["deal.created"]
                ),
                now=NOW,
                allow_local_http=True,
            )
            quiet_org, hooked_org = quiet.organisation_id, hooked.organisation_id
        app.extensions["jobs"].huey.immediate = False  # the job runs once, timed, below
        for label, org_id in (("no endpoint", quiet_org), ("one endpoint", hooked_org)):
            costs = []
            for _ in range(args.events):
                with unit_of_work(writer=True):
                    started = time.perf_counter()
                    events.publish(org_id, "deal.created", data={"title": "x"}, now=NOW)
                    costs.append((time.perf_counter() - started) * 1e6)
            print(f"publish, organisation with {label}: {_percentiles(costs)} µs")
        started = time.perf_counter()
        delivered = delivery.deliver_due(lambda: NOW)
        elapsed = time.perf_counter() - started
        durations = list(db.session.scalars(select(WebhookAttempt.duration_ms)))
        print(
            f"delivery job: {delivered} delivered in {elapsed:.2f} s "
            f"({delivered / elapsed:.0f}/s); POST {_percentiles([float(d) for d in durations])} ms"
        )
    server.shutdown()


if __name__ == "__main__":
    main()
