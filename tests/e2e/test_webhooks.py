"""An organisation's administrator registers a webhook endpoint in the browser, copies its
secret, sees the signed event arrive in the delivery log and sends it again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from tests import factories
from tests.conftest import FrozenClock
from tests.e2e.helpers import sign_in
from tests.integration.webhooks.conftest import confirm_ownership
from tests.integration.webhooks.receiver import Receiver

pytestmark = pytest.mark.e2e


def test_an_administrator_registers_an_endpoint_and_sends_an_event_again(
    live_app: tuple[Flask, str], new_page, market_clock: FrozenClock
) -> None:
    app, base = live_app
    receiver = Receiver(clock=market_clock)
    receiver.start()
    try:
        with app.app_context():
            seller = factories.seller(market_clock.current, name="Webhook Test University")
            email = seller.email
        page = new_page("en")
        sign_in(page, base, email)

        page.goto(f"{base}/organisation/webhooks")
        page.get_by_label("URL (https://)").fill(receiver.url("crm"))
        page.get_by_label("listing.ownership_confirmed").check()
        page.get_by_role("button", name="Register").click()
        secret = page.locator("[data-field=secret]").inner_text().strip()
        assert secret.startswith("whsec_")
        receiver.secrets["crm"] = secret

        with app.app_context():
            folder = Path(app.config["UPLOAD_FOLDER"]) / "evidence"
            owner = db.session.scalars(select(User).where(User.email == email)).one()
            confirm_ownership(owner, market_clock.current, folder)
        page.goto(f"{base}/organisation/webhooks")
        log = page.locator("#deliveries")
        expect(log).to_contain_text(receiver.received[0].event["id"])
        expect(log).to_contain_text("Delivered")
        expect(page.locator("[data-field=secret]")).to_have_count(0)  # shown once

        page.get_by_role("button", name="Send again").click()
        expect(page.get_by_text("is sent again")).to_be_visible()
        if folder_for_shots := os.environ.get("WEBHOOKS_SCREENSHOT"):
            page.screenshot(path=folder_for_shots, full_page=True)
        assert [r.event["id"] for r in receiver.received] == [receiver.received[0].event["id"]] * 2
        assert all(r.signed for r in receiver.received)
    finally:
        receiver.stop()
