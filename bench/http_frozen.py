"""bench/http.py's extras: each worker's memory, and search with Elasticsearch frozen.

    .venv/bin/python bench/http.py --frozen-search [--seconds 10] [--connections 16]

With --frozen-search, gunicorn searches Elasticsearch (ELASTICSEARCH_URL, an index
alias of its own, dropped at the end) through a TCP relay this process owns
(tests/faults/relay.py); once the index is built and a search answered, the relay
accepts and never answers, as a node stopped with SIGSTOP (the shared node itself is
never stopped). Then /search?q=电池 and GET /api/v1/listings/?q=电池 are driven at
--connections; the target is a p99 under 500 ms (issue 21).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

import requests

FROZEN_P99_TARGET_MS = 500.0
FROZEN_ROWS = [
    ("page", "/search?q=电池 (Elasticsearch frozen)", "/search?q=%E7%94%B5%E6%B1%A0", False),
    (
        "api",
        "/api/v1/listings/?q=电池 (Elasticsearch frozen)",
        "/api/v1/listings/?q=%E7%94%B5%E6%B1%A0",
        True,
    ),
]


def worker_memory(master_pid: int) -> list[tuple[int, float, float]]:
    """(pid, RSS MB, PSS MB) of each gunicorn worker: RSS counts the pages shared with
    the master (the preloaded app, jieba) in full, PSS shares them out."""
    found = []
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        pid = int(child)
        rss = _kilobytes(Path(f"/proc/{pid}/status"), "VmRSS:")
        pss = _kilobytes(Path(f"/proc/{pid}/smaps_rollup"), "Pss:")
        found.append((pid, rss / 1024, pss / 1024))
    return found


def _kilobytes(path: Path, key: str) -> float:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key):
                return float(line.split()[1])
    except OSError:
        pass
    return 0.0


def print_worker_memory(master_pid: int, limit_mb: float = 150.0) -> None:
    for pid, rss, pss in worker_memory(master_pid):
        mark = "ok" if rss < limit_mb else "HIGH"
        print(f"worker {pid}: RSS {rss:.0f} MB ({mark}, target < {limit_mb:.0f}), PSS {pss:.0f} MB")


class FrozenSearch:
    """The relay in front of Elasticsearch and the index alias of one run."""

    def __init__(self, root: Path) -> None:
        from tests.faults.relay import NodeRelay

        url = os.environ.get("ELASTICSEARCH_URL", "").split(",")[0]
        if not url:
            raise SystemExit(
                "--frozen-search needs ELASTICSEARCH_URL (source /work/testenv-static.sh)"
            )
        self.node = url
        self.root = root
        self.alias = f"bench-http-{os.getpid()}"
        self.relay = NodeRelay(url, default_port=9200)
        self.relay.up()

    def env(self, env: dict[str, str]) -> dict[str, str]:
        return env | {
            "SEARCH_BACKEND": "elasticsearch",
            "ELASTICSEARCH_URL": self.relay.url,
            "ELASTICSEARCH_INDEX_ALIAS": self.alias,
        }

    def build(self, env: dict[str, str]) -> None:
        flask = [str(self.root / ".venv/bin/flask"), "--app", "wsgi"]
        subprocess.run(
            [*flask, "search", "reindex"], cwd=self.root, env=env, check=True, capture_output=True
        )

    def freeze(self) -> None:
        self.relay.hang()

    def close(self) -> None:
        self.relay.heal()
        self.relay.down()
        with contextlib.suppress(requests.RequestException, ValueError):
            found = requests.get(f"{self.node}/_cat/indices/{self.alias}*?format=json", timeout=30)
            for index in found.json():  # by name: a wildcard DELETE is refused by default
                requests.delete(f"{self.node}/{index['index']}", timeout=30)
