"""Roadshows in the city statistics: events held in the period, their registrations and the
interest shown at them, on the page (both languages) and in the exports."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from accounts.models import User
from core.extensions import db
from events.models import Event, Interest, Registration
from listings.models import Listing
from marketplace.statistics import report
from marketplace.statistics.rules import period
from tests import factories
from tests.statistics_world import World, _add, at

TZ = ZoneInfo("Asia/Shanghai")
YEAR = period(date(2025, 1, 1), date(2025, 12, 31))
SPAN = "?from=2025-01-01&to=2025-12-31"


def _event(owner: int, starts: datetime, *, cancelled: bool = False) -> int:
    return _add(
        Event, title="路演", description="", format="offline", starts_at=starts,
        ends_at=starts + timedelta(hours=2), capacity=50, created_by_id=owner,
        created_at=at(1, 1), cancelled_at=at(1, 2) if cancelled else None,
    )  # fmt: skip


def _events(world: World) -> None:
    """E1 (2025-03-10): three registrations, one cancelled; two contact requests and one
    introduction request. E2 (2025-05-01, cancelled) and E3 (2024-11-01) do not count."""
    owner = db.session.scalar(select(User.id).where(User.email == "stats-owner@example.com"))
    listing = db.session.scalar(select(Listing.id).order_by(Listing.id))
    assert owner is not None and listing is not None
    buyer, abroad = world.orgs["C"], world.orgs["D"]
    users = [
        _add(
            User,
            email=f"visitor{i}@example.com",
            name=f"v{i}",
            password_hash="x",
            created_at=at(1, 1, 2024),
            organisation_id=buyer,
        )
        for i in range(3)
    ]
    held = _event(owner, at(3, 10))
    cancelled = _event(owner, at(5, 1), cancelled=True)
    earlier = _event(owner, at(11, 1, 2024))
    for i, (event, gone) in enumerate(
        ((held, False), (held, False), (held, True), (cancelled, False), (earlier, False))
    ):
        _add(Registration, event_id=event, user_id=users[i % 3], org_id=buyer,
             registered_at=at(1, 3), cancelled_at=at(1, 4) if gone else None)  # fmt: skip
    for event, org, kind in (
        (held, buyer, "contact"), (held, abroad, "contact"), (held, buyer, "introduction"),
        (cancelled, buyer, "contact"), (earlier, buyer, "introduction"),
    ):  # fmt: skip
        _add(Interest, event_id=event, listing_id=listing, org_id=org, user_id=users[0],
             kind=kind, created_at=at(3, 10))  # fmt: skip
    db.session.commit()


def test_events_of_the_period_are_counted_in_the_statistics(client, world, clock) -> None:
    _events(world)
    reviewer = factories.platform_reviewer(clock())
    expected = {
        "events_held": 1,
        "event_registrations": 2,
        "event_contact_requests": 2,
        "event_introduction_requests": 1,
    }
    full = report.full_report(reviewer, YEAR, TZ).figures
    assert {name: full[name] for name in expected} == expected
    earlier = report.public_report(period(date(2024, 1, 1), date(2024, 12, 31)), TZ).figures
    assert (earlier["events_held"], earlier["event_introduction_requests"]) == (1, 1)

    page = client.get("/statistics" + SPAN, headers={"Accept-Language": "en"}).get_data(as_text=True)  # fmt: skip
    assert "Roadshows and events held" in page and 'data-figure="events_held">1<' in page
    assert 'data-figure="event_registrations">2<' in page
    assert 'data-figure="event_contact_requests">2<' in page
    assert 'data-figure="event_introduction_requests">1<' in page
    chinese = client.get("/statistics" + SPAN).get_data(as_text=True)
    assert "路演活动场次" in chinese and "引荐请求" in chinese

    client.post("/signin", data={"email": reviewer.email, "password": factories.PASSWORD})
    text = client.get("/review/statistics/export.csv" + SPAN, headers={"Accept-Language": "en"})
    lines = list(csv.reader(io.StringIO(text.data.decode("utf-8-sig"))))
    assert ["Roadshows and events held", "1"] in lines
    assert ["Event registrations", "2"] in lines
    assert ["Contact requests at events", "2"] in lines
    assert ["Introduction requests at events", "1"] in lines
