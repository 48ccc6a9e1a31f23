"""A seller values its listing in the browser; visitors then see the indicative range."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.clock import now
from listings.rules import ListingStatus
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

# The worked example of DOMAIN.md (revenue in yuan; rates in percent).
WORKED = {
    "revenue_1": "10000000",
    "revenue_2": "12000000",
    "revenue_3": "14000000",
    "revenue_4": "15000000",
    "revenue_5": "15000000",
    "royalty": "3",
    "tax": "25",
    "legal_life_years": "5",
    "economic_life_years": "5",
    "risk_free": "15",
    "technology": "0",
    "market": "0",
    "funding": "0",
    "management": "0",
}


def _shot(page: Page, folder: Path | None, name: str) -> None:
    if folder is not None:
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_seller_values_a_listing_and_visitors_see_the_indicative_range(
    live_app, new_page, screenshot_dir: Path | None
) -> None:
    app, base = live_app
    with app.app_context():
        moment = now()
        reviewer = factories.platform_reviewer(moment)
        seller = factories.seller(moment, reviewer=reviewer, name="估值浏览器测试大学")
        listing = factories.listing(
            seller,
            moment,
            status=ListingStatus.PUBLISHED,
            reviewer=reviewer,
            folder=Path(app.config["UPLOAD_FOLDER"]) / "evidence",
            title_zh="一种浏览器测试用的锂电池隔膜",
        )
        email, listing_id = seller.email, listing.id

    page = new_page()
    page.goto(f"{base}/signin")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()

    page.goto(f"{base}/listings/{listing_id}")
    page.locator(f"#valuation-panel a[href='/listings/{listing_id}/valuation']").click()
    for name, value in WORKED.items():
        page.locator(f"input[name={name}]").fill(value)
    page.locator("input[name=use_market]").uncheck()
    page.locator("button[value=compute]").click()
    # The income value of the worked example, and both charts with their titles.
    expect(page.get_by_text("¥967,692.44").first).to_be_visible()
    expect(page.locator("svg#v-ranges title")).to_have_count(1)
    expect(page.locator("svg#v-sensitivity title")).to_have_count(1)
    _shot(page, screenshot_dir, "valuation-preview")

    page.locator("button[value=save]").click()
    expect(page.locator("#signature")).to_have_count(0)  # indicative: no signature
    expect(page.get_by_text("¥967,692.44").first).to_be_visible()

    visitor = new_page()
    visitor.goto(f"{base}/listings/{listing_id}")
    panel = visitor.locator("#valuation-panel")
    expect(panel).to_contain_text("万元")
    expect(panel.locator("a[href^='/valuations/']")).to_have_count(1)
    _shot(visitor, screenshot_dir, "valuation-on-listing")
