"""The fixed small market of tests/statistics_world.py, inside the test's transaction."""

from __future__ import annotations

import pytest

from tests.statistics_world import World, build_world


@pytest.fixture
def world(db_session: object) -> World:
    return build_world()
