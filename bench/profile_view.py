"""Where a page's or API call's time goes: cProfile over repeated requests, on the bench's data.

    .venv/bin/python bench/profile_view.py PATH [PATH ...] [--requests 200] [--token]
                                           [--database-url URL] [--sort cumulative] [--top 40]

The same database as bench/http.py (its own PostgreSQL database, migrated and filled
with the demo market, dropped at the end) and the same production settings; the app
runs in this process under Flask's test client. Each PATH (`{listing}` and `{auction}`
stand for the ids bench/http.py visits) is requested twice to warm, then --requests
times under cProfile; prints ms per request, SQL statements per request and the top
functions. `--token` sends the demo buyer's API token (for /api/ paths).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import argparse
import cProfile
import os
import pstats
import time

from bench.stack import add_server_arguments, app_in_process, count_statements, load_market, scratch


def profile(paths: list[str], found: dict[str, object], args) -> None:  # type: ignore[no-untyped-def]
    from wsgi import app, warm

    if not args.cold:
        warm()
    shown: list[str] = []
    counter = count_statements(app, shown)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {found['token']}"} if args.token else {}
    for raw in paths:
        path = raw.format(**found)
        for attempt in range(2):
            shown.clear()
            started = time.perf_counter()
            status = client.get(path, headers=headers).status_code
            if attempt == 0:
                print(
                    f"\n{path}: the first request {(time.perf_counter() - started) * 1000:.0f} ms"
                )
        if args.sql:
            print(f"\n--- {path}: the statements of one request", *shown, sep="\n  ")
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.requests):
            client.get(path, headers=headers)
        wall = (time.perf_counter() - wall) / args.requests * 1000
        cpu = (time.process_time() - cpu) / args.requests * 1000
        print(f"\n=== {path}: {status}, unprofiled {wall:.2f} ms/request, "
              f"{cpu:.2f} ms CPU/request, load {os.getloadavg()[0]:.1f}")  # fmt: skip
        counter[0] = 0
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for _ in range(args.requests):
            client.get(path, headers=headers)
        profiler.disable()
        elapsed = (time.perf_counter() - started) / args.requests * 1000
        print(f"    profiled {elapsed:.2f} ms/request, "
              f"{counter[0] / args.requests:.1f} statements/request")  # fmt: skip
        restrictions = [args.only, args.top] if args.only else [args.top]
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(*restrictions)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--token", action="store_true")
    add_server_arguments(parser)
    parser.add_argument("--listings", type=int)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument(
        "--cold", action="store_true", help="without wsgi.warm() (what gunicorn's master loads)"
    )
    parser.add_argument("--only", help="a regular expression: only functions whose file matches")
    parser.add_argument("--sql", action="store_true", help="print one request's statements")
    args = parser.parse_args()
    with (
        scratch(args.database_url, "profile", start=args.start_postgres) as place,
        app_in_process(place.env),
    ):
        found = load_market(place.env, args.listings)
        profile(args.paths, found, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
