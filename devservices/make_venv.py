"""Make the virtualenv with a current pip, quickly (`make run`'s first step on a new checkout).

    python3 devservices/make_venv.py .venv     # exit status 0: .venv is ready for pip

Run by the system's Python (the standard library only). `python -m venv` installs the pip
bundled with Python through ensurepip, which compiles every one of pip's modules (about
5 s of CPU); that pip (23.2 with Python 3.11) then took 19 s of CPU to install
requirements.txt from a warm cache, most of it judging the tens of thousands of files
the index lists for botocore, stripe and the like; a current pip (25 and later) takes 8 s.
So the virtualenv is made without pip, and the bundled pip, run from its wheel as
ensurepip runs it, installs a current pip without compiling it (3 s of CPU). Without
network, the bundled pip itself is installed from its wheel. Exit status 3: no bundled
wheel was found (Debian without python3-venv, say); the Makefile then falls back to
`python -m venv`.
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

CURRENT_PIP = "pip>=25.1"
QUIET = ["--disable-pip-version-check", "--no-compile", "-q"]


def bundled_pip_wheel() -> Path | None:
    """The pip wheel ensurepip would install, or None (ensurepip missing or unlike 3.11-3.13's)."""
    try:
        import ensurepip
    except ImportError:
        return None
    packages = getattr(ensurepip, "_get_packages", None)  # Python 3.11
    if packages is not None:
        try:
            pip = packages()["pip"]
        except (KeyError, OSError):
            return None
        if getattr(pip, "wheel_path", None):
            return Path(pip.wheel_path)
        return Path(ensurepip.__file__).parent / "_bundled" / pip.wheel_name
    finder = getattr(ensurepip, "_get_pip_whl_path_ctx", None)  # Python 3.12 and later
    if finder is None:
        return None
    try:
        with finder() as path:
            return Path(path) if Path(path).is_file() and Path(path).suffix == ".whl" else None
    except (OSError, TypeError):
        return None


def main(target: str) -> int:
    wheel = bundled_pip_wheel()
    if wheel is None or not wheel.is_file():
        print("make_venv: no pip wheel bundled with this Python", file=sys.stderr)
        return 3
    venv.EnvBuilder(with_pip=False, clear=True, symlinks=sys.platform != "win32").create(target)
    python = str(Path(target) / "bin" / "python")
    pip_from_wheel = [python, f"{wheel}/pip", "install", *QUIET]
    if subprocess.run([*pip_from_wheel, CURRENT_PIP], check=False).returncode != 0:
        print("make_venv: no current pip to be had; installing the bundled one", file=sys.stderr)
        subprocess.run([*pip_from_wheel, "--no-index", str(wheel)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ".venv"))
