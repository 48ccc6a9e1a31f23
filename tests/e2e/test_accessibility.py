"""Every main page passes axe-core: as each role, in Chinese and English, at 1280 and 390 px.

No serious or critical violation, and no text under 4.5:1 contrast. One walk per role:
a browser context per language, the same page resized to each width. On a phone
the auction room's bid form comes before the bid history. With E2E_SCREENSHOTS=folder
the phone views of the auction room, a listing, search and the deal are photographed
(docs/screenshots/phone-*.png).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import axe_playwright_python
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from accounts.models import OrganisationKind
from accounts.services import create_platform_user
from auctions import bidding, closing, services
from core.extensions import db
from core.uow import unit_of_work
from deals import services as deal_services
from deals.models import Deal, DealStatus
from listings.rules import ListingStatus
from marketplace.demo.catalogue import DETAILS
from marketplace.demo.pictures import draw_png
from payments import deposits
from payments.bank_transfer import deposit_reference
from tests import factories
from tests.factories import PASSWORD, PDF_BYTES
from tests.integration.auctions.conftest import announce

pytestmark = pytest.mark.e2e

WIDTHS = (1280, 390)
LOCALES = ("zh-CN", "en")
BLOCKING = {"serious", "critical"}
# axe-core itself (MPL-2.0), as shipped by axe-playwright-python: injected into every
# document of a context by an init script, so a page's run needs no 500 kB evaluate.
AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
AXE_RUN = "axe.run(document, {resultTypes: ['violations']})"


# The listings walked: the demo's first result, its figure and its details in both languages.
_FIRST = DETAILS["Fast-ion-conductor-coated high-nickel NCM cathode and its preparation"]
FIGURE = _FIRST.picture
BILINGUAL = {
    "title_en": "Fast-ion-conductor-coated high-nickel NCM cathode",
    "summary_en": "Capacity retention after 1,000 cycles rises from 78% to 92%.",
    "application": _FIRST.application,
    "application_en": _FIRST.application_en,
    "problem": "高镍三元材料循环后期容量衰减快、高温产气严重。",
    "problem_en": _FIRST.problem_en,
    "advantage_en": _FIRST.advantage_en,
}


@dataclass(frozen=True)
class A11yMarket:
    """The pages' ids and the people who see them."""

    listing_id: int
    running_auction_id: int
    deal_id: int
    seller: str
    buyer: str
    reviewer: str


def _deposit_held(buyer, auction_id: int, uploads: Path, reviewer, now) -> None:
    deposit = services.join_auction(buyer, auction_id, now=now)
    deposits.submit_receipt(
        buyer, deposit.id, stream=io.BytesIO(PDF_BYTES), filename="deposit.pdf",
        bank_reference=deposit_reference(deposit), folder=uploads / "deposits",
        max_bytes=1_000_000, now=now,
    )  # fmt: skip
    deposits.confirm_deposit(reviewer, deposit.id, now=now)


def _auction(seller, reviewer, listing_id: int, start, hours: int):
    terms = services.AuctionInput(
        starting_price_minor=10_000_000, increment_minor=100_000, starts_at=start,
        ends_at=start + timedelta(hours=hours), reserve_price_minor=None, deposit_bps=1000,
    )  # fmt: skip
    return announce(seller, reviewer, listing_id, terms)


@pytest.fixture(scope="module")
def a11y_market(live_app: tuple[Flask, str]) -> A11yMarket:
    """A running auction with bids, a won auction's deal; nothing left in a review queue
    (another walk's reviewer takes the first listing or organisation waiting)."""
    app, _ = live_app
    start = datetime.now(UTC).replace(microsecond=0)
    uploads = Path(app.config["UPLOAD_FOLDER"])
    with app.app_context():
        with unit_of_work(writer=True):
            reviewer = create_platform_user("a11y-reviewer@e2e.test", "审核员", PASSWORD, now=start)
            seller = factories.seller(start, reviewer=reviewer, name="江城理工大学")
            buyer = factories.seller(
                start, reviewer=reviewer, kind=OrganisationKind.ENTERPRISE,
                name="深蓝泵业科技股份有限公司（长名称测试）",
            )  # fmt: skip
            published = [
                factories.listing(  # with a figure and its details in both languages
                    seller,
                    start,
                    status=ListingStatus.PUBLISHED,
                    reviewer=reviewer,
                    folder=uploads / "evidence",
                    pictures=uploads / "images",
                    picture_body=draw_png(FIGURE, seed=1),
                    **BILINGUAL,
                )
                for _ in range(2)
            ]
            won = _auction(seller, reviewer, published[1].id, start, hours=30)
            _deposit_held(buyer, won.id, uploads, reviewer, start)
            bidding.place_bid(buyer, won.id, 10_000_000, now=start)
            assert closing.close_auction(won.id, now=start + timedelta(hours=31))
            deal_id = db.session.scalar(
                select(Deal.id).where(Deal.source_type == "auction", Deal.source_id == won.id)
            )
            deal_services.advance(seller, deal_id, DealStatus.SIGNED, now=start)  # a dated step
            rival = factories.enterprise(start, name="Northern Hydraulic Engineering Co., Ltd.")
            running = _auction(seller, reviewer, published[0].id, start, hours=24 * 29)
            for bidder in (buyer, rival):
                _deposit_held(bidder, running.id, uploads, reviewer, start)
            for step in range(12):  # a history long enough to push a form below it
                bidder = (rival, buyer)[step % 2]
                bidding.place_bid(bidder, running.id, 10_000_000 + step * 100_000, now=start)
        market = A11yMarket(
            published[0].id, running.id, deal_id,
            seller.email, buyer.email, reviewer.email,
        )  # fmt: skip
        db.session.remove()
    return market


def _violations(page: Page) -> list[str]:
    """Serious and critical axe violations, and every contrast failure, as readable lines."""
    found = []
    for violation in page.evaluate(AXE_RUN)["violations"]:
        if violation["impact"] in BLOCKING or violation["id"] == "color-contrast":
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return found


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/signin")
    page.locator("#f-email").fill(email)
    page.locator("#f-password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(f"{base}/signin")


Check = Callable[[Page, int], None]  # the page, its width


def _walk(
    browser: Browser,
    base: str,
    paths: list[str],
    email: str | None,
    shots: dict[str, str],
    checks: dict[str, Check],
) -> list[str]:
    """axe's findings on each page, in each language and width.

    `checks[path]` runs on the page at each width and language; at phone width in
    Chinese `shots[path]` names its screenshot (taken when E2E_SCREENSHOTS names a folder).
    """
    folder = os.environ.get("E2E_SCREENSHOTS")
    problems: list[str] = []
    for locale in LOCALES:
        context = browser.new_context(locale=locale, viewport={"width": WIDTHS[0], "height": 900})
        context.add_init_script(path=AXE_JS)
        page = context.new_page()
        if email:
            _sign_in(page, base, email)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 844 if width < 768 else 900})
            for path in paths:
                response = page.goto(f"{base}{path}")
                assert response is not None and response.status < 400, f"{path}: {response}"
                problems += [f"{locale} {width}px {path}: {v}" for v in _violations(page)]
                if path in checks:
                    checks[path](page, width)
                if width < 768 and locale == "zh-CN" and folder and path in shots:
                    page.screenshot(path=str(Path(folder) / shots[path]))
        context.close()
    return problems


@pytest.fixture(scope="module")
def walk(live_app: tuple[Flask, str], browser: Browser) -> Iterator:
    _, base = live_app

    def run(paths, email=None, shots=None, checks=None):  # type: ignore[no-untyped-def]
        return _walk(browser, base, paths, email, shots or {}, checks or {})

    yield run


def _bid_form_before_history(page: Page, width: int) -> None:
    """On a phone the bid form is on the first screens, above the bid history."""
    if width >= 768:
        return
    form = page.locator("#f-amount").bounding_box()
    history = page.locator("#history-heading").bounding_box()
    assert form is not None and history is not None
    assert form["y"] < history["y"], "the bid form comes after the bid history"
    assert form["y"] < 2 * 844, f"the bid form is {form['y']:.0f} px down"


def _names_on_one_line(page: Page, width: int) -> None:
    """A bidder's label in the history never breaks one character per line."""
    cell = page.locator('[data-field="history"] tr td:nth-child(2)').first
    box = cell.bounding_box()
    assert box is not None and box["width"] >= 100, f"bidder column {box}"


def _milestones_read_whole(page: Page, width: int) -> None:
    """Each milestone's name keeps to one line beside or above its date: at phone width a
    dated step's name broke between its letters ("Complete / d")."""
    lines = page.locator("#milestones + ol > li .fw-semibold").evaluate_all(
        """labels => labels.map(label => {
            const range = document.createRange();
            range.selectNodeContents(label);
            const tops = [...range.getClientRects()].map(rect => Math.round(rect.top));
            return [label.textContent.trim(), new Set(tops).size];
        })"""
    )
    assert lines and all(count == 1 for _, count in lines), f"milestones at {width}px: {lines}"


def _subtitle_centred(page: Page, width: int) -> None:
    """A record's Chinese subtitle (English pages) is centred under its heading, not in a
    box at the left of the page."""
    subtitle = page.locator("main h1 + p.text-center")
    if not subtitle.count():
        return  # Chinese pages have none
    heading, under = page.locator("main h1").bounding_box(), subtitle.bounding_box()
    assert heading is not None and under is not None
    centres = (heading["x"] + heading["width"] / 2, under["x"] + under["width"] / 2)
    assert abs(centres[0] - centres[1]) < 2, f"subtitle centred at {centres} at {width}px"


def _search_box_usable(page: Page, width: int) -> None:
    """The header's search box keeps room for a query beside a reviewer's long menus
    (it had shrunk to a square in English at 1280 px); collapsed, it hides in the menu."""
    box = page.locator("#nav input[type=search]")
    if box.is_visible():
        size = box.bounding_box()
        assert size is not None and size["width"] >= 150, f"search box {size} at {width}px"
    else:
        assert width < 1200, f"the search box is hidden at {width}px"


def test_public_pages_pass_axe_for_a_visitor(walk, a11y_market: A11yMarket) -> None:
    m = a11y_market
    search, listing = f"/search?q={quote('正极材料')}", f"/listings/{m.listing_id}"
    paths = [
        "/", search, listing, f"/auctions/{m.running_auction_id}", "/needs", "/brokers",
        "/signup",
    ]  # fmt: skip
    shots = {search: "phone-search.png", listing: "phone-listing.png"}
    problems = walk(paths, shots=shots)
    assert not problems, "\n".join(problems)


def test_a_bidders_pages_pass_axe(walk, a11y_market: A11yMarket) -> None:
    m = a11y_market
    room, deal = f"/auctions/{m.running_auction_id}", f"/deals/{m.deal_id}"
    paths = ["/home", room, deal, "/my/deals"]
    shots = {room: "phone-auction-room.png", deal: "phone-deal.png"}
    checks = {
        room: lambda p, w: (_bid_form_before_history(p, w), _names_on_one_line(p, w)),
        deal: _milestones_read_whole,
    }
    problems = walk(paths, m.buyer, shots=shots, checks=checks)
    assert not problems, "\n".join(problems)


def test_a_sellers_pages_pass_axe(walk, a11y_market: A11yMarket) -> None:
    m = a11y_market
    editor = f"/listings/{m.listing_id}/edit"  # its pictures, described, in the editor
    rights = f"/listings/{m.listing_id}/rights"  # offers, licences, rights holders
    record = f"/deals/{m.deal_id}/registration"  # 技术合同认定登记, with its subtitle
    paths = ["/home", "/my/listings", editor, f"/deals/{m.deal_id}", record, rights, "/rewards"]
    problems = walk(paths, m.seller, checks={record: _subtitle_centred})
    assert not problems, "\n".join(problems)


def test_a_reviewers_pages_pass_axe(walk, a11y_market: A11yMarket) -> None:
    m = a11y_market
    paths = ["/review/", f"/review/listings/{m.listing_id}", "/review/audit"]
    problems = walk(paths, m.reviewer, checks={"/review/": _search_box_usable})
    assert not problems, "\n".join(problems)


def test_the_page_asking_to_accept_new_terms_passes_axe(walk, live_app) -> None:
    """A member who accepted an earlier version of the terms is sent to it on signing in."""
    app, _ = live_app
    now = datetime.now(UTC).replace(microsecond=0)
    with app.app_context():
        with unit_of_work(writer=True):
            member = factories.seller(now, verified=False)
            member.terms_version = "2026-12"  # the placeholders of the first sign-ups
        email = member.email
        db.session.remove()
    problems = walk(["/terms/accept"], email, checks={"/terms/accept": _asks_to_accept})
    assert not problems, "\n".join(problems)


def _asks_to_accept(page: Page, width: int) -> None:
    """The page itself (not the home it would pass on to), whole at a phone's width."""
    expect(page.locator("#f-consent")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
