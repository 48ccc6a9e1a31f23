"""How long `make run` takes to serve its first page: cold (fresh checkout) and warm.

    .venv/bin/python bench/startup.py [--warm-runs 3] [--no-prime] [--verbose] [--keep]

Everything happens in a scratch folder, never in this checkout (its .venv and
instance/ are left alone): the working tree's files (tracked and new, as they are
now: what a fresh `git clone` of this commit holds) are copied to a folder with no
.venv, no instance/, no compiled catalogues, and `make run PORT=<free port>` is
started there; the time is taken until http://127.0.0.1:PORT/ answers 200.

- prime (unless --no-prime): one cold start in a copy of its own, so pip's cache
  (PIP_CACHE_DIR, else ~/.cache/pip, as a developer's) holds every wheel;
- cold: a fresh copy with pip's cache warm: the virtualenv made and filled,
  catalogues compiled, the database migrated, the demo market loaded and indexed,
  the server and job worker started; the temporary folder (TMPDIR: jieba's and
  CC-CEDICT's caches) is new as well;
- warm: `make run` again in the same copy, everything installed, migrated, loaded
  (--warm-runs times; the median is the figure).

Targets (issue 19): warm < 3 s, cold < 40 s. Mail: a Mailpit already built in this
checkout's .devservices (or the main worktree's) is started with a state folder of
the run's own and stopped after it; without one, MAIL_SERVER points at an unused port
(`make run` would otherwise build Mailpit with `go install`, about a minute, once).
--verbose prints each line `make run` wrote, with its time: where the time goes.
Beside each time, the CPU seconds `make run` and the processes it started used until
then (/proc): a figure the other work on the machine's cores hardly changes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

WARM_TARGET_S, COLD_TARGET_S = 3.0, 40.0
MAILPIT_VERSION = "v1.33.1"  # devservices/mailpit.sh's
# The only variables `make run` gets from this environment: nothing of the tests' services.
_PASSED = ("PATH", "HOME", "USER", "LANG", "LC_ALL", "TERM", "PYTHON", "PIP_CACHE_DIR")


@dataclass
class Start:
    label: str
    seconds: float
    load_before: float
    load_after: float
    cpu_seconds: float | None = None
    lines: list[tuple[float, str]] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_copy(target: Path) -> Path:
    """The working tree's tracked and new (not ignored) files, copied to `target`."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def built_mailpit() -> Path | None:
    """A Mailpit binary already built by devservices/mailpit.sh here or in the main worktree."""
    common = subprocess.run(
        ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
        cwd=ROOT, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    roots = [ROOT] + ([Path(common).parent] if common else [])
    for root in roots:
        folder = root / ".devservices/mailpit/bin" / MAILPIT_VERSION
        if (folder / "mailpit").is_file():
            return folder
    return None


def make_env(scratch: Path, mailpit: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in _PASSED or k.startswith("PIP_")}
    env["TMPDIR"] = str(scratch / "tmp")
    (scratch / "tmp").mkdir(exist_ok=True)
    if mailpit is not None:
        env["MAILPIT_BIN_DIR"] = str(mailpit)
        env["MAILPIT_STATE_DIR"] = str(scratch / "mailpit")
    else:
        env["MAIL_SERVER"], env["MAIL_PORT"] = "127.0.0.1", str(free_port())
    return env


def time_make_run(label: str, checkout: Path, env: dict[str, str], timeout: float) -> Start:
    """`make run PORT=p` in `checkout` until / answers 200; then stopped as Ctrl-C stops it."""
    port = free_port()
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    process = subprocess.Popen(
        ["make", "run", f"PORT={port}"], cwd=checkout, env=env, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
    )  # fmt: skip
    lines: list[tuple[float, str]] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append((time.monotonic() - started, line.rstrip()))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    cpu_seconds = None
    try:
        seconds = _first_200(f"http://127.0.0.1:{port}/", process, started, timeout)
        cpu_seconds = tree_cpu_seconds(process.pid)
    finally:
        _stop(process)
        reader.join(timeout=5)
    if seconds is None:
        tail = "\n".join(text for _, text in lines[-30:])
        raise RuntimeError(f"{label}: no 200 from / within {timeout:.0f} s\n{tail}")
    return Start(label, seconds, load_before, os.getloadavg()[0], cpu_seconds, lines)


def tree_cpu_seconds(root: int) -> float | None:
    """The CPU time (user + system) `make run` and every process it started have used so
    far: each live process's own and that of the children it reaped (Linux's /proc; None
    elsewhere). Unlike the seconds to the first 200, it hardly depends on what else the
    machine's cores are doing. A daemon that left the tree (Mailpit) is not counted."""
    children: dict[int, list[int]] = {}
    used: dict[int, int] = {}
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return None
    for entry in entries:
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # ended meanwhile
        fields = stat.rsplit(")", 1)[1].split()  # after the command's name, which may hold spaces
        children.setdefault(int(fields[1]), []).append(int(entry))
        used[int(entry)] = sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += used.get(pid, 0)
        todo += children.get(pid, [])
    return total / os.sysconf("SC_CLK_TCK")


def _first_200(url: str, process: subprocess.Popen, started: float, timeout: float) -> float | None:
    while time.monotonic() - started < timeout and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=30) as answer:
                if answer.status == 200:
                    return time.monotonic() - started
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.05)
    return None


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)  # as Ctrl-C in the terminal
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def stop_mailpit(checkout: Path, env: dict[str, str]) -> None:
    if "MAILPIT_STATE_DIR" in env:
        subprocess.run(
            ["devservices/mailpit.sh", "stop"], cwd=checkout, env=env, capture_output=True
        )


def report(starts: list[Start], verbose: bool) -> None:
    print("\n| start | seconds to the first 200 | CPU seconds | load average before → after |")
    print("|---|---|---|---|")
    for start in starts:
        cpu = "" if start.cpu_seconds is None else f"{start.cpu_seconds:.1f}"
        print(f"| {start.label} | {start.seconds:.1f} | {cpu} | {start.load_before:.1f} → {start.load_after:.1f} |")  # fmt: skip
    cold = [s.seconds for s in starts if s.label == "cold"]
    warm = [s.seconds for s in starts if s.label.startswith("warm")]
    print(f"\n({os.cpu_count()} CPUs)")
    if cold:
        verdict = "met" if cold[0] < COLD_TARGET_S else "NOT met"
        print(f"cold start {cold[0]:.1f} s (target < {COLD_TARGET_S:.0f} s): {verdict}")
    if warm:
        median = statistics.median(warm)
        verdict = "met" if median < WARM_TARGET_S else "NOT met"
        print(f"warm start, median of {len(warm)}: {median:.1f} s "
              f"(target < {WARM_TARGET_S:.0f} s): {verdict}")  # fmt: skip
    if verbose:
        for start in starts:
            print(f"\n== {start.label}: what `make run` wrote, with the time it wrote it")
            for at, text in start.lines:
                print(f"  {at:6.1f}s  {text}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--no-prime", action="store_true", help="pip's cache is known warm")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per start")
    parser.add_argument("--verbose", action="store_true", help="make run's output, timed")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # clean up (finally) when stopped

    scratch = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    mailpit = built_mailpit()
    print(f"Scratch folder {scratch}; mail: "
          f"{'Mailpit ' + str(mailpit) if mailpit else 'MAIL_SERVER on an unused port'}")  # fmt: skip
    starts: list[Start] = []
    checkouts: list[tuple[Path, dict[str, str]]] = []
    try:
        if not args.no_prime:
            prime = fresh_copy(scratch / "prime")
            env = make_env(scratch / "prime", mailpit)
            checkouts.append((prime, env))
            print("prime: a first cold start fills pip's cache…", flush=True)
            starts.append(time_make_run("prime (pip's cache filled)", prime, env, args.timeout))
            stop_mailpit(prime, env)
        checkout = fresh_copy(scratch / "checkout")
        env = make_env(scratch / "checkout", mailpit)
        checkouts.append((checkout, env))
        print("cold start…", flush=True)
        starts.append(time_make_run("cold", checkout, env, args.timeout))
        for run in range(1, args.warm_runs + 1):
            print(f"warm start {run}…", flush=True)
            starts.append(time_make_run(f"warm {run}", checkout, env, args.timeout))
        report(starts, args.verbose)
    finally:
        for checkout, env in checkouts:
            stop_mailpit(checkout, env)
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
