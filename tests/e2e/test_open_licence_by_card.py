"""Journey: an open licence (专利开放许可) from declaration to a licence paid by card.

A university declares an open licence of its patent with a lump-sum fee; a reviewer
publishes it; an enterprise gives written notice on the published terms and pays by card
(Stripe Checkout, here stripe-mock: the checkout page is stubbed and Stripe's signed report
of the payment is delivered to the webhook as Stripe would); the enterprise then sees its
licence granted, with its number and term.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import stripe
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from accounts.models import OrganisationKind
from accounts.services import create_platform_user
from core.extensions import db
from core.uow import unit_of_work
from licences.deal_models import LicenceDeal
from licences.models import OpenLicenceDeclaration
from listings.rules import ListingStatus
from payments import stripe_channel
from payments.models import Payment
from tests import factories
from tests.conftest import FrozenClock
from tests.e2e.helpers import sign_in
from tests.factories import PASSWORD
from tests.integration.payments.helpers import WEBHOOK_SECRET, session, stripe_mock_url

pytestmark = pytest.mark.e2e


@pytest.fixture
def stripe_live(live_app: tuple[Flask, str]) -> Iterator[None]:
    """The live app's card channel pointed at stripe-mock for this walk."""
    app, _ = live_app
    url = stripe_mock_url()
    saved = {name: app.config.get(name) for name in (*stripe_channel.REQUIRED_SETTINGS, "STRIPE_API_BASE")}  # fmt: skip
    app.config.update(
        STRIPE_SECRET_KEY="sk_test_123", STRIPE_PUBLISHABLE_KEY="pk_test_123",
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET, STRIPE_API_BASE=url,
    )  # fmt: skip
    with app.app_context():
        stripe_channel.reset_client()
    try:
        yield
    finally:
        app.config.update(saved)
        app.extensions.pop(stripe_channel.CLIENT_KEY, None)


def _people(app: Flask, clock: FrozenClock) -> tuple[str, str, str]:
    now = clock()
    with app.app_context():
        with unit_of_work(writer=True):  # committed: the browser's server reads it
            reviewer = create_platform_user("licences@e2e.test", "Licence reviewer", PASSWORD, now=now)  # fmt: skip
        patentee = factories.seller(now, reviewer=reviewer, name="江城理工大学")
        factories.listing(
            patentee, now, status=ListingStatus.PUBLISHED, reviewer=reviewer,
            folder=Path(app.config["UPLOAD_FOLDER"]) / "evidence", title_zh="一种锂电池隔膜涂层",
        )  # fmt: skip
        enterprise = factories.seller(now, reviewer=reviewer, kind=OrganisationKind.ENTERPRISE, name="Riverside Cells Ltd.")  # fmt: skip
        emails = (patentee.email, reviewer.email, enterprise.email)
        db.session.remove()
    return emails


def _deliver_paid(app: Flask, base: str, licence_id: int) -> None:
    """Stripe's signed report that the Checkout session was paid, POSTed as Stripe does."""
    with app.app_context():
        payment = db.session.scalar(select(Payment).where(Payment.open_licence_id == licence_id))
        assert payment is not None
        obj = session(payment.id, payment.amount_minor, intent_id="pi_e2e_ol")
        db.session.remove()
    body = json.dumps({
        "id": "evt_e2e_open_licence", "object": "event", "api_version": "2024-06-20",
        "created": 1_772_000_000, "livemode": False, "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None}, "type": "checkout.session.completed",
        "data": {"object": obj},
    })  # fmt: skip
    header = stripe.WebhookSignature.generate_signature_header(body, WEBHOOK_SECRET)
    request = urllib.request.Request(
        f"{base}/payments/stripe/webhook", data=body.encode(), method="POST",
        headers={"Stripe-Signature": header, "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def test_an_enterprise_takes_an_open_licence_by_notice_and_pays_by_card(
    live_app: tuple[Flask, str],
    market_clock: FrozenClock,
    new_page: Callable[[str], Page],
    stripe_live: None,
) -> None:
    app, base = live_app
    patentee_email, reviewer_email, enterprise_email = _people(app, market_clock)
    patentee, reviewer, enterprise = new_page("en"), new_page("en"), new_page("en")

    sign_in(patentee, base, patentee_email)
    patentee.goto(f"{base}/open-licences/declare")
    patentee.get_by_label("Lump sum (yuan)").fill("20,000")
    patentee.get_by_label("Term (years)").fill("5")
    patentee.get_by_role("button", name="Submit the declaration").click()
    with app.app_context():
        declaration_id = db.session.scalar(select(OpenLicenceDeclaration.id).order_by(OpenLicenceDeclaration.id.desc()))  # fmt: skip
        db.session.remove()

    sign_in(reviewer, base, reviewer_email)
    reviewer.goto(f"{base}/review/open-licences")
    reviewer.get_by_role("button", name="Publish").first.click()

    sign_in(enterprise, base, enterprise_email)
    enterprise.goto(f"{base}/open-licences/{declaration_id}")
    enterprise.get_by_role("button", name="Give notice").click()
    pay = enterprise.locator("#pay-licence-by-card")
    expect(pay).to_contain_text("¥20,000.00")
    # Stripe's hosted page is outside the test's reach: a stub stands in for it.
    enterprise.route(re.compile(r"^https://checkout\.stripe\.com/.*"), lambda route: route.fulfill(status=200, content_type="text/html", body="<h1>Stripe Checkout</h1>"))  # fmt: skip
    licence_url = enterprise.url
    pay.click()
    expect(enterprise.get_by_role("heading", name="Stripe Checkout")).to_be_visible()
    licence_id = int(licence_url.rstrip("/").rsplit("/", 1)[-1])
    _deliver_paid(app, base, licence_id)

    enterprise.goto(licence_url)
    expect(enterprise.get_by_text(re.compile(r"OL-\d{4}-\d{6}")).first).to_be_visible()
    expect(enterprise.locator("#pay-licence-by-card")).to_have_count(0)
    assert declaration_id is not None
    _an_exclusive_licence_is_then_refused(app, base, patentee, declaration_id)


def _an_exclusive_licence_is_then_refused(
    app: Flask, base: str, patentee: Page, declaration_id: int
) -> None:
    """专利法 Art. 51: while the open licence stands, the patentee cannot offer (so cannot
    grant) an exclusive licence of the same patent."""
    with app.app_context():
        declaration = db.session.get(OpenLicenceDeclaration, declaration_id)
        assert declaration is not None
        listing_id = declaration.listing_id
        db.session.remove()
    patentee.goto(f"{base}/listings/{listing_id}/rights")
    patentee.locator("#exclusive-on").check()
    for field, value in (("price", "50000"), ("term", "5"), ("rate", "3")):
        patentee.locator(f"#exclusive-{field}").fill(value)
    patentee.get_by_role("button", name="Save the offers").click()
    expect(
        patentee.get_by_text(re.compile("only ordinary licences may be granted"))
    ).to_be_visible()
    expect(patentee.locator("#g-kind option[value=exclusive]")).to_have_count(0)
    with app.app_context():
        granted = select(LicenceDeal.deal_id).where(LicenceDeal.listing_id == listing_id)
        assert db.session.scalar(granted) is None
        db.session.remove()
