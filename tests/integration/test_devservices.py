"""`make run`'s Ctrl-C stops the server only: the services it started (Mailpit) run on.

A terminal's Ctrl-C sends SIGINT to its whole foreground process group, the one `make
run`, devservices/serve.sh and what they start in the background share. Mailpit (Go)
takes SIGINT back from the ignored state bash leaves a background job in, and stopped
with the server; started in a session of its own it no longer hears the terminal.
Uses the Mailpit that `make test` builds (MAILPIT_BIN_DIR names another build).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for_exec(pid: int, program: bytes) -> None:
    """Wait until the shell `pid` has become `program` (it `exec`s the server)."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    deadline = time.monotonic() + 10
    while not cmdline.read_bytes().startswith(program):
        assert time.monotonic() < deadline, f"{pid} never ran {program!r}"
        time.sleep(0.05)


def test_ctrl_c_on_make_run_leaves_mailpit_running(tmp_path: Path) -> None:
    if not os.environ.get("MAILPIT_URL"):  # as the mail tests: Mailpit is not built here
        pytest.skip("MAILPIT_URL is not set: run `devservices/mailpit.sh start`")
    env = {**os.environ, "MAILPIT_STATE_DIR": str(tmp_path / "mailpit")}
    # The terminal's foreground group: a shell that starts Mailpit as serve.sh does, then
    # waits as the server would.
    terminal = subprocess.Popen(
        ["bash", "-c", "devservices/mailpit.sh start && exec sleep 60"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert terminal.stdout is not None
        url = terminal.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        pid = int((tmp_path / "mailpit" / "pid").read_text())
        _wait_for_exec(terminal.pid, b"sleep")  # a Ctrl-C before it would reach the script
        os.killpg(terminal.pid, signal.SIGINT)  # Ctrl-C
        assert terminal.wait(timeout=10) != 0, "the server stops"
        log = tmp_path / "mailpit" / "server.log"
        time.sleep(1)  # Mailpit logs an interrupt at once, then takes ~2 s to stop
        assert "interrupt" not in log.read_text(), "Mailpit stops with the server"
        assert _alive(pid)
        assert os.getsid(pid) != terminal.pid
        with urllib.request.urlopen(f"{url}/api/v1/info", timeout=5) as answer:
            assert answer.status == 200
    finally:
        terminal.kill()
        subprocess.run(["devservices/mailpit.sh", "stop"], cwd=ROOT, env=env, check=False)
