"""CPU ms per request of bench/http.py's URLs, in-process: a load-independent view of issue 19.

    .venv/bin/python bench/cpu_per_request.py [--requests 300] [--database-url URL]
                                              [--loaded DATABASE_URL --work DIR --token TOKEN]

The same database and production settings as bench/http.py (a database of its own,
migrated and filled with the demo market, dropped at the end; or --loaded: one already
filled by bench/http.py's load_market, with its work folder and a token of the demo buyer), the app under Flask's test client after
`wsgi.warm()`. Each URL is requested 5 times to warm, then --requests times;
`time.process_time()` around them gives CPU ms per request, and its ratio to the ceiling
(GET /api/v1/tokens/ping) estimates the throughput ratio bench/http.py measures
(pages >= 0.4, API lists >= 0.5) on a CPU-bound server. Statements per request beside.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import argparse
import os
import time
from contextlib import ExitStack

from bench.http import API_TARGET, PAGE_TARGET, targets
from bench.stack import (
    add_server_arguments,
    app_env,
    app_in_process,
    count_statements,
    load_market,
    scratch,
)


def table(found: dict[str, object], requests: int) -> None:
    from wsgi import app, warm

    warm()
    statements = count_statements(app)
    client = app.test_client()
    token = {"Authorization": f"Bearer {found['token']}"}
    rows = [("ceiling", "ceiling: GET /api/v1/tokens/ping", "/api/v1/tokens/ping", True)]
    ceiling_ms = 0.0
    print(
        f"| {'URL':44} | status | CPU ms | statements | ceiling / this |\n|{'-' * 46}|--------|--------|------------|----------------|"
    )
    for kind, label, path, with_token in rows + targets(found):
        headers = token if with_token else {}
        for _ in range(5):
            status = client.get(path, headers=headers).status_code
        statements[0] = 0
        started = time.process_time()
        for _ in range(requests):
            client.get(path, headers=headers)
        cpu_ms = (time.process_time() - started) / requests * 1000
        ceiling_ms = ceiling_ms or cpu_ms
        ratio = ceiling_ms / cpu_ms
        target = {"page": PAGE_TARGET, "api": API_TARGET}.get(kind)
        mark = "" if target is None else (" ok" if ratio >= target else " LOW")
        print(
            f"| {label:44} | {status:6} | {cpu_ms:6.2f} | {statements[0] / requests:10.1f} | {ratio:11.2f}{mark:4} |",
            flush=True,
        )
    print(f"\nload average {os.getloadavg()[0]:.1f}, {requests} requests a URL")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300)
    add_server_arguments(parser)
    parser.add_argument("--loaded", help="a database already filled with the demo market")
    parser.add_argument("--work", help="with --loaded: its work folder (the search index)")
    parser.add_argument("--token", help="with --loaded: an API token of the demo buyer")
    args = parser.parse_args()
    with ExitStack() as cleanup:
        if args.loaded:
            env = app_env(args.loaded, Path(args.work))
            found: dict[str, object] = {"token": args.token, "listing": 1, "auction": 1}
        else:
            env = cleanup.enter_context(
                scratch(args.database_url, "cpu", start=args.start_postgres)
            ).env
            found = load_market(env)
        cleanup.enter_context(app_in_process(env))
        table(found, args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
