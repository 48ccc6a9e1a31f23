"""Each role lands on its own home after signing in, in the browser.

With E2E_SCREENSHOTS=folder the homes are photographed (docs/screenshots/home-<role>.png
are made by `bench/home_screenshots.py` over the demo market instead).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from accounts.models import User
from accounts.services import create_platform_user
from core.uow import unit_of_work
from tests import factories
from tests.conftest import FrozenClock
from tests.e2e.helpers import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

# role → the panel that is theirs alone, and one that must not be there
PANELS = {
    "seller": ("#panel-listings", "#panel-deposits"),
    "buyer": ("#panel-deposits", "#panel-listings"),
    "broker": ("#panel-broker", "#panel-review_organisations"),
    "reviewer": ("#panel-review_organisations", "#panel-broker"),
    "admin": ("#panel-statistics", "#panel-listings"),
}


def _people(app: Flask, clock: FrozenClock) -> dict[str, str]:
    """Each role's email address."""
    start = clock()
    with app.app_context():
        with unit_of_work():
            reviewer = create_platform_user(
                "homes-reviewer@e2e.test", "审核员", PASSWORD, now=start
            )
            admin = create_platform_user(
                "homes-admin@e2e.test", "管理员", PASSWORD, now=start, admin=True
            )
        people: dict[str, User] = {
            "seller": factories.seller(start, reviewer=reviewer),
            "buyer": factories.enterprise(start),
            "broker": factories.broker(start, reviewer=reviewer),
            "reviewer": reviewer,
            "admin": admin,
        }
        return {role: user.email for role, user in people.items()}


def test_each_role_lands_on_its_home(
    live_app: tuple[Flask, str],
    market_clock: FrozenClock,
    new_page: Callable[..., Page],
    screenshot_dir: Path | None,
) -> None:
    app, base = live_app
    people = _people(app, market_clock)
    for role, (own, foreign) in PANELS.items():
        page = new_page("en")
        sign_in(page, base, people[role])
        expect(page).to_have_url(re.compile(r"/home$"))
        expect(page.locator(own)).to_be_visible()
        expect(page.locator(foreign)).to_have_count(0)
        page.get_by_role("button", name="My trading").click()
        expect(page.get_by_role("link", name="My home").first).to_be_visible()
        page.keyboard.press("Escape")
        if screenshot_dir is not None:
            page.screenshot(path=str(screenshot_dir / f"home-{role}.png"), full_page=True)
        page.context.close()
