"""The licensing tests' world (tests/integration/licences/licensing.py builds it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FrozenClock
from tests.integration.licences.licensing import build_world
from tests.integration.licences.test_open_licences import quick_passwords  # noqa: F401


@pytest.fixture
def world(db_session: object, clock: FrozenClock, upload_folder: Path, quick_passwords: None) -> dict:  # noqa: F811  # fmt: skip
    return build_world(clock.current, upload_folder)
