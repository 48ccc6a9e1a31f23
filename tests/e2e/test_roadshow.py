"""A foreign buyer at a roadshow (路演): registers, keeps the calendar file, and asks for an
introduction to a pitched listing once the pitch is on.

A German enterprise's member, reading in English in Berlin's time zone, finds the
roadshow by searching the events, sees its time in the market's zone and in their own,
registers (the stream's link appears), downloads the iCalendar file (it parses, with the
start in UTC), and during the event asks for an introduction to the pitched listing: the
university that holds it is told.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from icalendar import Calendar
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from accounts.models import Organisation
from accounts.services import create_platform_user
from core.extensions import db
from core.uow import unit_of_work
from events import services
from events.models import Interest
from events.rules import EventFormat, Schedule
from listings.rules import ListingStatus
from notifications.models import Notification
from tests import factories
from tests.conftest import FrozenClock
from tests.e2e.helpers import sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

STREAM = "https://live.example.com/e2e-roadshow"
STARTS = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, 03:00 in Berlin


def test_a_foreign_buyer_registers_keeps_the_date_and_asks_for_an_introduction(
    live_app: tuple[Flask, str], market_clock: FrozenClock, browser: Browser, tmp_path: Path
) -> None:
    app, base = live_app
    start = market_clock()
    with app.app_context():
        with unit_of_work():
            admin = create_platform_user("events@e2e.test", "Events admin", PASSWORD, now=start, admin=True)  # fmt: skip
            university = factories.seller(start, reviewer=admin, name="Roadshow University")
            listing = factories.listing(
                university, start, status=ListingStatus.PUBLISHED, reviewer=admin,
                folder=Path(app.config["UPLOAD_FOLDER"]) / "evidence",
            )  # fmt: skip
            buyer = factories.enterprise(start, name="Nordwind Robotik GmbH")
            db.session.get(Organisation, buyer.organisation_id).country = "DE"  # type: ignore[union-attr]
            event = services.schedule(
                admin,
                services.NewEvent(
                    "电池材料成果路演", "Battery materials roadshow", "Three results pitched.",
                    Schedule(EventFormat.HYBRID, STARTS, STARTS + timedelta(hours=2), 40, "Hall 1", STREAM),
                    (listing.id,),
                ),
                now=start,
            )  # fmt: skip
        ids = (event.id, listing.id, university.id, buyer.email)
        db.session.remove()
    event_id, listing_id, seller_user_id, buyer_email = ids
    context = browser.new_context(locale="en", timezone_id="Europe/Berlin", accept_downloads=True)
    page = context.new_page()
    try:
        sign_in(page, base, buyer_email)
        page.goto(f"{base}/events/")
        page.get_by_placeholder("Search events").fill("battery")
        page.get_by_role("button", name="Search").click()
        page.get_by_role("link", name="Battery materials roadshow").click()
        starts = page.locator('[data-field="starts"]')
        expect(starts).to_contain_text("4 Mar 2026, 10:00 (UTC+8)")
        expect(starts).to_contain_text("4 Mar 2026, 03:00 (UTC+1)")  # the reader's own zone
        expect(page.locator('[data-field="stream"]')).not_to_contain_text(STREAM)

        page.get_by_role("button", name="Register").click()
        expect(page.locator('[data-field="registered"]')).to_be_visible()
        expect(page.locator('[data-field="stream"]')).to_contain_text(STREAM)
        expect(page.locator('[data-field="places"]')).to_contain_text("1 of 40")

        with page.expect_download() as download:
            page.get_by_role("link", name="Add to my calendar (.ics)").click()
        saved = tmp_path / "roadshow.ics"
        download.value.save_as(saved)
        entry = next(iter(Calendar.from_ical(saved.read_bytes()).walk("VEVENT")))
        assert entry.decoded("dtstart") == STARTS
        assert "DTSTART:20260304T020000Z" in saved.read_text()
        assert str(entry.get("summary")) == "Battery materials roadshow"

        market_clock.advance(days=2, hours=1)  # the pitch is on
        page.reload()
        row = page.locator(f'tr[data-listing="{listing_id}"]')
        row.get_by_role("button", name="Ask for an introduction").click()
        expect(page.locator(".alert-success")).to_contain_text("introduction is sent")
        expect(row.locator('[data-field="introductions"]')).to_have_text("1")
    finally:
        context.close()
    with app.app_context():
        asked = db.session.scalars(select(Interest).where(Interest.event_id == event_id)).all()
        assert [(i.listing_id, i.kind.value) for i in asked] == [(listing_id, "introduction")]
        told = db.session.scalars(
            select(Notification.event).where(Notification.user_id == seller_user_id)
        ).all()
        assert "event.introduction" in told
        db.session.remove()
