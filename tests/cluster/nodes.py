"""The processes of the cluster tests: gunicorn nodes and job workers, each in a session
(process group) of its own, so a test can kill one whole node with SIGKILL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 45


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def worker_env(shared: dict[str, str], work: Path, name: str) -> dict[str, str]:
    """The environment of node `name`'s processes: the shared settings, its own folders."""
    return {
        **os.environ,
        **shared,
        "APP_ENV": "production",
        "SECRET_KEY": "cluster-test",
        "INSTANCE_PATH": str(work / f"instance-{name}"),
        "SEARCH_INDEX_PATH": str(work / f"search-{name}.db"),
        # A folder of its own: a document on node A's disk would never reach node B.
        "UPLOAD_FOLDER": str(work / f"uploads-{name}"),
    }


def _group(process: subprocess.Popen[bytes] | None, sig: signal.Signals) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, sig)


def _stop(process: subprocess.Popen[bytes] | None, sig: signal.Signals) -> None:
    """Signal the process group to stop, SIGKILL it if it lingers (the tests have read
    what they needed; nothing of theirs depends on a clean exit)."""
    if process is None or process.poll() is not None:
        return
    _group(process, sig)
    try:
        process.wait(timeout=3)
    except subprocess.TimeoutExpired:
        _group(process, signal.SIGKILL)
        process.wait(timeout=5)


class Node:
    """One application node: gunicorn (a master, one gthread worker of 8 threads) on a port
    of its own."""

    def __init__(self, name: str, shared: dict[str, str], work: Path) -> None:
        self.name = name
        self.env = worker_env(shared, work, name)
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        # production's gunicorn.conf.py (preloaded app), with one worker of 8 threads
        command = [str(ROOT / ".venv/bin/gunicorn"), "-w", "1", "--threads", "8"]
        command += ["-b", f"127.0.0.1:{self.port}", "--log-level", "warning", "wsgi:app"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)

    def wait_up(self) -> None:
        """Until the node answers (its worker has imported the app and reached the database)."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, (
                f"node {self.name} exited"
            )
            try:
                if requests.get(f"{self.base}/readyz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError(f"node {self.name} did not start")

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ensure_up(self) -> None:
        """Start the node again if a test killed it; wait until it answers."""
        if not self.running:
            self.start()
        self.wait_up()

    def kill(self) -> None:
        """SIGKILL the whole node (master and worker): no request it holds finishes."""
        _group(self.process, signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """gunicorn's quick shutdown (SIGQUIT): an open event stream does not hold it up."""
        _stop(self.process, signal.SIGQUIT)


# What `flask jobs worker --workers 2` runs, split in two: import the app (seconds) while
# the test seeds its data, run the consumer when the test says so (a line on stdin).
_WORKER = """
import sys
from wsgi import app
from core.jobs import runner
sys.stdin.readline()
with app.app_context():
    runner().consumer(workers=2).run()
"""


class Worker:
    """A job worker with a node's settings: queued jobs and the periodic sweeps (Huey
    enqueues every sweep as it starts, then each minute); its output goes to a file."""

    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name = name
        self.env = env
        self.log = Path(env["INSTANCE_PATH"]).parent / f"worker-{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def prepare(self) -> None:
        """Start the process: it imports the app, then waits for `start()`."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [str(ROOT / ".venv/bin/python"), "-c", _WORKER],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start(self) -> None:
        """Run the consumer now."""
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(b"go\n")
        self.process.stdin.flush()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Huey's immediate stop (SIGTERM)."""
        _stop(self.process, signal.SIGTERM)
