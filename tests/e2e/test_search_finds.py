"""Journey: a visitor types what people type (an abbreviation, English for a Chinese
listing, a typo, a patent number with its prefix, pinyin) and finds the listing meant;
on a phone the results come before the filters.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from core.extensions import db
from core.uow import unit_of_work
from listings import review
from listings.rules import IPKind, ListingStatus
from listings.services import IPAssetInput
from search import all_backends
from tests import factories
from tests.conftest import FrozenClock

pytestmark = pytest.mark.e2e


def test_what_people_type_finds_the_listing_they_mean(
    live_app: tuple[Flask, str],
    new_page: Callable[..., Page],
    market_clock: FrozenClock,
) -> None:
    app, base = live_app
    now = market_clock()
    upload = Path(app.config["UPLOAD_FOLDER"]) / "evidence"
    with app.app_context():
        for backend in all_backends():  # other browser tests' listings would change the idf
            backend.clear()
        owner = factories.seller(now)
        published = {}
        for key, title_zh, title_en, number in (
            ("cell", "一种锂离子电池隔膜及其制备方法", "", "201510123456.1"),
            ("bms", "", "Battery management system with active balancing", None),
            ("solar", "钙钛矿太阳能电池组件", "", None),
        ):
            asset = IPAssetInput(IPKind.CN_APPLICATION, number or factories.cn_application())
            listing = factories.listing(
                owner, now, status=ListingStatus.CONFIRMED, folder=upload,
                title_zh=title_zh, title_en=title_en, summary_zh="", ip_assets=(asset,),
            )  # fmt: skip
            with unit_of_work():
                review.publish(owner, listing.id, now=now)
            published[key] = listing.id
        db.session.remove()

    page: Page = new_page("en")
    for typed, meant in (
        ("锂电池", "cell"),
        ("lithium", "cell"),
        ("CN201510123456.1", "cell"),
        ("lizidianchi", "cell"),
        ("batery", "bms"),
    ):
        page.goto(f"{base}/search?q={typed}")
        cards = page.locator("article.listing-card")
        expect(cards.first).to_be_visible()
        hrefs = cards.evaluate_all(
            "cards => cards.map(c => c.querySelector('a').getAttribute('href'))"
        )
        # Other browser tests' listings share the live app: of this test's, the meant one leads.
        ours = [href for href in hrefs if href in {f"/listings/{i}" for i in published.values()}]
        assert ours[:1] == [f"/listings/{published[meant]}"], (typed, hrefs)
    expect(page.locator("#search-did-you-mean")).to_contain_text("battery")

    phone: Page = new_page("zh-CN")
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{base}/search?q=钙钛矿")
    results = phone.locator("article.listing-card").first.bounding_box()
    toggle = phone.locator("#search-filters-toggle")
    expect(toggle).to_be_visible()
    expect(phone.locator("#search-filters")).not_to_be_visible()
    assert results is not None and results["y"] < 900  # the first result is on the first screen
    toggle.click()
    expect(phone.locator("#search-filters")).to_be_visible()
