"""Journey: a licence with royalties, in the browser.

A university offers an exclusive licence of its result (field of use, provinces, term and
royalty terms) on the listing's rights page and grants it to an enterprise by its credit
code; the contract is signed; after the first quarter the licensee reports its net sales on
the deal page; both parties then see the royalty in the licence's history.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from accounts.models import OrganisationKind
from accounts.services import create_platform_user
from core.extensions import db
from core.uow import unit_of_work
from listings.rules import ListingStatus
from tests import factories
from tests.conftest import FrozenClock
from tests.e2e.helpers import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def _people(app: Flask, clock: FrozenClock) -> tuple[str, str, str, int]:
    now = clock()
    with app.app_context():
        with unit_of_work(writer=True):  # committed: the browser's server reads it
            reviewer = create_platform_user("royalties@e2e.test", "Royalty reviewer", PASSWORD, now=now)  # fmt: skip
        licensor = factories.seller(now, reviewer=reviewer, name="江城师范大学")
        listing = factories.listing(
            licensor, now, status=ListingStatus.PUBLISHED, reviewer=reviewer,
            folder=Path(app.config["UPLOAD_FOLDER"]) / "evidence", title_zh="一种钠离子电池正极材料",
        )  # fmt: skip
        licensee = factories.seller(now, reviewer=reviewer, kind=OrganisationKind.ENTERPRISE, name="Lakeside Batteries Ltd.")  # fmt: skip
        assert licensee.organisation is not None
        found = (
            licensor.email,
            licensee.email,
            licensee.organisation.credit_code or "",
            listing.id,
        )
        db.session.remove()
    return found


def test_a_licensee_reports_net_sales_and_both_parties_see_the_royalty(
    live_app: tuple[Flask, str], market_clock: FrozenClock, new_page: Callable[[str], Page]
) -> None:
    app, base = live_app
    licensor_email, licensee_email, licensee_code, listing_id = _people(app, market_clock)
    licensor, licensee = new_page("en"), new_page("en")

    sign_in(licensor, base, licensor_email)
    licensor.goto(f"{base}/listings/{listing_id}")
    licensor.get_by_role("link", name="Rights and licences").click()
    offer = licensor.locator("#offer-exclusive")
    offer.get_by_label("exclusive (独占)").check()
    offer.get_by_label("Entry fee (yuan)").fill("100,000")
    offer.get_by_label("Term (years)").fill("5")
    offer.get_by_label("Royalty (% of net sales)").fill("4")
    offer.get_by_label("Minimum a year (yuan)").fill("0")
    offer.get_by_label("New energy", exact=True).check()
    offer.get_by_label("Provinces (none chosen: all of China)").select_option(["上海", "江苏"])
    licensor.get_by_role("button", name="Save the offers").click()
    expect(licensor.get_by_text("The offers are saved.")).to_be_visible()

    grant = licensor.locator("#grant")
    grant.get_by_label("Licensee's unified social credit code").fill(licensee_code)
    grant.get_by_label("Entry fee (yuan)").fill("100,000")
    grant.get_by_role("button", name="Grant the licence").click()
    expect(licensor).to_have_url(re.compile(r"/deals/\d+"))
    deal_url = licensor.url.split("#")[0]
    panel = licensor.locator("#royalties")
    expect(panel).to_contain_text("exclusive (独占)")
    expect(panel).to_contain_text("4% of net sales")
    licensor.get_by_role("button", name="Record the signed contract").click()
    expect(licensor.get_by_text("Step recorded.")).to_be_visible()

    market_clock.advance(days=95)  # the first quarter has ended
    sign_in(licensee, base, licensee_email)
    licensee.goto(deal_url)
    licensee.get_by_label(re.compile(r"Net sales of period 1")).fill("1,234,567.00")
    licensee.get_by_role("button", name="Report").click()
    expect(licensee.get_by_text("The royalty is computed and posted on the deal's ledger.")).to_be_visible()  # fmt: skip
    for page in (licensee, licensor):
        page.goto(deal_url)
        row = page.locator("#royalties .royalty-row")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("1,234,567.00")
        expect(row).to_contain_text("49,382.68")  # 4% of the net sales, to the fen
