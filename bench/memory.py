"""What a gunicorn worker holds: each loaded part's memory, then the workers' RSS and PSS.

    .venv/bin/python bench/memory.py [--listings N] [--tracemalloc] [--requests 40]

One run, on a SQLite market of its own (a temporary folder: migrated, the demo market
loaded, a token issued; never instance/):

1. In a fresh interpreter, the parts a worker loads, one after the other, as
   `wsgi.warm` and the first requests load them: the app (Flask, the models'
   metadata, the blueprints), jieba's dictionary, OpenCC, CC-CEDICT's tables, the
   pinyin table, the query tools, symspellpy, the compiled templates, both message
   catalogues, then the first requests (home, search in Chinese and English, the
   API search). Each line: what the part added to the process's RSS and, with
   --tracemalloc, to the memory Python allocated (the top files and packages follow).
2. gunicorn as in production (gunicorn.conf.py: app preloaded in the master, 2 gthread
   workers x 8 threads), every page and API list of bench/http.py requested --requests
   times by 16 threads; then the master's and each worker's RSS (shared pages counted
   in full), PSS (shared pages divided among the processes sharing them) and private
   memory. Target (issue 19): worker RSS < 150 MB.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import requests

RSS_TARGET_MB = 150.0
_SMAPS_KEYS = ("Rss:", "Pss:", "Shared_Clean:", "Shared_Dirty:", "Private_Clean:", "Private_Dirty:")


def smaps(pid: int | str = "self") -> dict[str, float]:
    """A process's memory in MB, from /proc/PID/smaps_rollup."""
    found = dict.fromkeys(_SMAPS_KEYS, 0.0)
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key = line.split()[0]
            if key in found:
                found[key] = float(line.split()[1]) / 1024
    except OSError:
        pass
    return found


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return float(line.split()[1]) / 1024
    return 0.0


# --- 1. the parts, in a fresh interpreter ----------------------------------------------------


def _parts() -> list[tuple[str, Callable[[], object]]]:
    state: dict[str, object] = {}

    def app() -> None:
        from wsgi import app as flask_app

        state["app"] = flask_app

    def text(call: str) -> Callable[[], object]:
        def run() -> object:
            from search.text import cedict, clauses, pinyin_words  # noqa: F401
            from search.text.tokens import fold_traditional, jieba  # noqa: F401

            return eval(call)  # the calls below, written as in marketplace.warming

        return run

    def speller() -> None:
        from search.text.spelling import Speller

        Speller({"battery": 1})

    def templates() -> None:
        from marketplace.warming import compile_templates

        compile_templates(state["app"])  # type: ignore[arg-type]

    def catalogues() -> None:
        from flask_babel import force_locale, gettext

        from core.i18n import SUPPORTED

        with state["app"].test_request_context("/"):  # type: ignore[attr-defined]
            for locale in SUPPORTED:
                with force_locale(locale):
                    gettext("Search")

    def first_requests() -> None:
        token = os.environ["BENCH_TOKEN"]
        client = state["app"].test_client()  # type: ignore[attr-defined]
        for path in ("/", "/search?q=电池", "/search?q=battery+storage"):
            assert client.get(path).status_code == 200, path
        api = client.get(
            "/api/v1/listings/?q=battery", headers={"Authorization": f"Bearer {token}"}
        )
        assert api.status_code == 200, api.status_code

    return [
        ("app: create_app (Flask, models' metadata, blueprints)", app),
        ("jieba's dictionary", text("jieba()")),
        ("OpenCC (traditional -> simplified)", text("fold_traditional('電池')")),
        ("CC-CEDICT's tables", text("cedict.to_chinese('battery')")),
        ("pinyin word table", text("pinyin_words.hanzi_of('dianchi')")),
        ("query clauses, glossary", text("clauses.query_clauses('lithium 电池', wide=True)")),
        ("symspellpy", speller),
        ("templates compiled", templates),
        ("message catalogues (en, zh)", catalogues),
        ("first requests: home, 2 searches, API search", first_requests),
    ]


def measure_parts(traced: bool) -> None:
    """Run in the child: one JSON line per part, then the top files (with tracemalloc)."""
    import tracemalloc

    if traced:
        tracemalloc.start()
    rows = [("interpreter", rss_mb(), tracemalloc.get_traced_memory()[0] if traced else 0)]
    for label, load in _parts():
        load()
        rows.append((label, rss_mb(), tracemalloc.get_traced_memory()[0] if traced else 0))
    top: list[tuple[str, float]] = []
    packages: dict[str, float] = {}
    if traced:
        stats = tracemalloc.take_snapshot().statistics("filename")
        top = [(s.traceback[0].filename, s.size / 2**20) for s in stats[:15]]
        for s in stats:
            name = _package(s.traceback[0].filename)
            packages[name] = packages.get(name, 0.0) + s.size / 2**20
    print(json.dumps({"rows": rows, "top": top, "packages": packages}))


def _package(filename: str) -> str:
    """site-packages/jieba/__init__.py -> jieba; ROOT/search/text/x.py -> search.text."""
    path = Path(filename)
    if "site-packages" in path.parts:
        return path.parts[path.parts.index("site-packages") + 1]
    try:
        parts = path.relative_to(ROOT).parts
        return ".".join(parts[:2]) if len(parts) > 2 else parts[0]
    except ValueError:
        return "(stdlib)" if "python3" in filename else filename


def report_parts(env: dict[str, str], traced: bool) -> None:
    command = [str(ROOT / ".venv/bin/python"), __file__, "--parts"]
    out = subprocess.run(
        command + (["--tracemalloc"] if traced else []),
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    found = json.loads(out.stdout.strip().splitlines()[-1])
    print("\n1. What each part adds to a fresh process (in load order)\n")
    head = "| part | RSS MB | + RSS MB |" + (" + traced MB |" if traced else "")
    print(head)
    print("|---|---|---|" + ("---|" if traced else ""))
    previous = None
    for label, rss, traced_bytes in found["rows"]:
        added = "" if previous is None else f"{rss - previous[1]:+.1f}"
        line = f"| {label} | {rss:.1f} | {added} |"
        if traced:
            grown = "" if previous is None else f"{(traced_bytes - previous[2]) / 2**20:+.1f}"
            line += f" {grown} |"
        print(line)
        previous = (label, rss, traced_bytes)
    if traced:
        print("\nPython allocations still held, by package (MB):")
        for name, size in sorted(found["packages"].items(), key=lambda kv: -kv[1])[:12]:
            print(f"  {size:7.1f}  {name}")
        print("\nBy file (MB):")
        for filename, size in found["top"]:
            print(f"  {size:7.1f}  {_short(filename)}")


def _short(filename: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


# --- 2. gunicorn's workers -------------------------------------------------------------------


def report_workers(env: dict[str, str], found: dict[str, object], count: int) -> None:
    from bench.http import targets
    from bench.stack import serving

    with serving(env, workers=2, threads=8) as (master, base):
        paths = [(path, with_token) for _, _, path, with_token in targets(found)]
        token = str(found["token"])

        def get(item: tuple[str, bool]) -> int:
            path, with_token = item
            headers = {"Authorization": f"Bearer {token}"} if with_token else {}
            return requests.get(base + path, headers=headers, timeout=60).status_code

        started = time.monotonic()
        with ThreadPoolExecutor(16) as pool:
            codes = list(pool.map(get, [p for p in paths for _ in range(count)]))
        bad = sum(1 for code in codes if code >= 400)
        print(f"\n2. gunicorn (gunicorn.conf.py, 2 workers x 8 threads): {len(codes)} requests "
              f"over {len(paths)} URLs in {time.monotonic() - started:.0f} s, {bad} failed\n")  # fmt: skip
        print("| process | RSS MB | PSS MB | shared MB | private MB |")
        print("|---|---|---|---|---|")
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        for name, pid in [("master", master), *(("worker", int(c)) for c in children)]:
            mem = smaps(pid)
            shared = mem["Shared_Clean:"] + mem["Shared_Dirty:"]
            private = mem["Private_Clean:"] + mem["Private_Dirty:"]
            mark = ""
            if name == "worker":
                mark = " ok" if mem["Rss:"] < RSS_TARGET_MB else " HIGH"
            print(f"| {name} {pid} | {mem['Rss:']:.0f}{mark} | {mem['Pss:']:.0f} "
                  f"| {shared:.0f} | {private:.0f} |")  # fmt: skip
        print(f"\nTarget: worker RSS < {RSS_TARGET_MB:.0f} MB (issue 19).")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--listings", type=int, help="only the first N demo results")
    parser.add_argument("--requests", type=int, default=40, help="requests per URL (gunicorn)")
    parser.add_argument("--tracemalloc", action="store_true", help="also Python's allocations")
    parser.add_argument("--parts", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.parts:
        measure_parts(args.tracemalloc)
        return 0
    from bench.stack import app_env, load_market

    work = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    try:
        env = app_env(f"sqlite:///{work / 'market.db'}", work)
        print(f"Load average {os.getloadavg()[0]:.1f}; loading the demo market into {work}…")
        found = load_market(env, args.listings)
        report_parts(env | {"BENCH_TOKEN": str(found["token"])}, args.tracemalloc)
        report_workers(env, found, args.requests)
        print(f"Load average {os.getloadavg()[0]:.1f} at the end ({os.cpu_count()} CPUs).")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
