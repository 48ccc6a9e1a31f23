"""devservices/make_venv.py finds the pip wheel bundled with this Python (else `make`
falls back to `python -m venv`, whose pip takes twice the CPU to install requirements)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _make_venv() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_venv", ROOT / "devservices/make_venv.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bundled_pip_wheel_is_found() -> None:
    wheel = _make_venv().bundled_pip_wheel()
    assert wheel is not None and wheel.is_file()
    assert wheel.name.startswith("pip-") and wheel.suffix == ".whl"


def test_without_a_bundled_wheel_make_falls_back(monkeypatch: pytest.MonkeyPatch) -> None:
    module = _make_venv()
    monkeypatch.setattr(module, "bundled_pip_wheel", lambda: None)
    assert module.main(str(ROOT / "no-such-venv")) == 3
    assert not (ROOT / "no-such-venv").exists()
