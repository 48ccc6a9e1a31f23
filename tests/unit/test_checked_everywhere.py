"""Every app package is under the layers contract and the type checker: a package added to
one list and forgotten in the other goes unchecked silently."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _app_packages() -> set[str]:
    """Top-level folders with Python code that are not tests, benchmarks or migrations."""
    outside = {"tests", "bench", "migrations", "devservices", "translations", "instance"}
    return {
        path.parent.name
        for path in ROOT.glob("*/__init__.py")
        if path.parent.name not in outside and not path.parent.name.startswith(".")
    }


def test_every_app_package_is_layered_and_type_checked() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = _app_packages()
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    assert packages - set(layers) == set(), "packages missing from the layers contract"
    assert packages - set(config["tool"]["mypy"]["files"]) == set(), "packages mypy skips"
    assert packages == set(config["tool"]["importlinter"]["root_packages"])
