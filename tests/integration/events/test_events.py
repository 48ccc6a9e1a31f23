"""Roadshows on a real database: a broker's agency schedules one, verified members register
within the limit, the calendar file has the UTC time, the reminder goes out once, and the
interest shown after the pitch reaches the listing's holder and its mandated broker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import select

from accounts import services as accounts
from accounts.models import User
from core.domain import PermissionDenied, ValidationFailed
from core.extensions import db
from core.uow import unit_of_work
from events import interest, reminders, services
from events.rules import EventFormat, EventRuleBroken, InterestKind, Schedule
from listings.rules import ListingStatus
from notifications.models import Notification
from tests import factories
from tests.conftest import FrozenClock

STREAM = "https://live.example.com/roadshow-1"


@pytest.fixture
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))  # fmt: skip


@pytest.fixture
def market(db_session: object, clock: FrozenClock, upload_folder: Path, quick_passwords: None) -> dict:  # fmt: skip
    now = clock.current
    reviewer = factories.platform_reviewer(now)
    seller = factories.seller(now, reviewer=reviewer)
    listing = factories.listing(seller, now, status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder)  # fmt: skip
    broker = factories.broker(now, reviewer=reviewer)
    buyers = [factories.enterprise(now, name=f"路演测试企业{i}") for i in range(3)]
    starts = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    with unit_of_work():
        event = services.schedule(
            broker,
            services.NewEvent(
                "新能源成果路演", "New energy roadshow", "三项电池成果",
                Schedule(EventFormat.HYBRID, starts, starts + timedelta(hours=2), 2, "技术市场一号厅", STREAM),
                (listing.id,),
            ),
            now=now,
        )  # fmt: skip
    return {"now": now, "seller": seller, "listing": listing, "broker": broker, "buyers": buyers,
            "event_id": event.id, "starts": starts, "reviewer": reviewer}  # fmt: skip


def test_members_register_within_the_limit_and_may_come_back_after_cancelling(market: dict) -> None:
    first, second, third = market["buyers"]
    now, event_id = market["now"], market["event_id"]
    with unit_of_work():
        services.register(first, event_id, now=now)
        services.register(second, event_id, now=now)
    with pytest.raises(EventRuleBroken) as full, unit_of_work():
        services.register(third, event_id, now=now)
    assert full.value.code == "event_full"
    with unit_of_work():
        services.cancel_registration(first, event_id, now=now)
        services.register(third, event_id, now=now)
    assert services.taken(event_id) == 2
    with pytest.raises(PermissionDenied), unit_of_work():
        services.register(market["reviewer"], event_id, now=now)  # no organisation
    with pytest.raises(EventRuleBroken), unit_of_work():
        services.register(first, event_id, now=market["starts"])  # started


def test_an_enterprise_cannot_schedule_and_an_online_event_needs_its_stream(market: dict) -> None:
    plan = Schedule(EventFormat.ONLINE, market["now"] + timedelta(days=3), market["now"] + timedelta(days=3, hours=1), 10, "", "")  # fmt: skip
    with pytest.raises(PermissionDenied), unit_of_work():
        services.schedule(market["buyers"][0], services.NewEvent("x", None, "", plan), now=market["now"])  # fmt: skip
    with pytest.raises(ValidationFailed) as refused, unit_of_work():
        services.schedule(market["broker"], services.NewEvent("x", None, "", plan), now=market["now"])  # fmt: skip
    assert refused.value.field == "stream_url"


def test_participants_are_reminded_once_the_day_before(market: dict) -> None:
    buyer = market["buyers"][0]
    with unit_of_work():
        services.register(buyer, market["event_id"], now=market["now"])
    day_before = market["starts"] - timedelta(hours=23)
    with unit_of_work():
        assert reminders.remind_due(now=market["starts"] - timedelta(days=3)) == 0
        assert reminders.remind_due(now=day_before) == 1
        assert reminders.remind_due(now=day_before + timedelta(minutes=1)) == 0
    told = db.session.scalars(select(Notification).where(Notification.user_id == buyer.id, Notification.event == "event.reminder")).all()  # fmt: skip
    assert len(told) == 1


def test_an_introduction_asked_after_the_pitch_reaches_the_holder_once(market: dict) -> None:
    buyer, late = market["buyers"][0], market["buyers"][1]
    with unit_of_work():
        services.register(buyer, market["event_id"], now=market["now"])
    during = market["starts"] + timedelta(minutes=30)
    with pytest.raises(EventRuleBroken) as not_yet, unit_of_work():
        interest.record_interest(buyer, market["event_id"], market["listing"].id, InterestKind.INTRODUCTION, "", now=market["now"])  # fmt: skip
    assert not_yet.value.code == "not_started"
    with pytest.raises(PermissionDenied), unit_of_work():
        interest.record_interest(late, market["event_id"], market["listing"].id, InterestKind.CONTACT, "", now=during)  # fmt: skip
    with unit_of_work():
        interest.record_interest(buyer, market["event_id"], market["listing"].id, InterestKind.INTRODUCTION, "请介绍", now=during)  # fmt: skip
    with pytest.raises(EventRuleBroken), unit_of_work():
        interest.record_interest(buyer, market["event_id"], market["listing"].id, InterestKind.INTRODUCTION, "", now=during)  # fmt: skip
    assert interest.interest_counts(market["event_id"])[market["listing"].id]["introduction"] == 1
    seller_told = db.session.scalars(select(Notification).where(Notification.user_id == market["seller"].id)).all()  # fmt: skip
    assert [n.event for n in seller_told if n.event.startswith("event.")] == ["event.introduction"]


def _sign_in(client: FlaskClient, user: User) -> None:
    client.post("/signout")
    client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})


def test_pages_calendar_feed_and_api(app: Flask, client: FlaskClient, market: dict) -> None:
    buyer = market["buyers"][0]
    page = client.get("/events/?q=roadshow", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )
    assert "New energy roadshow" in page
    assert "New energy roadshow" not in client.get(
        "/events/?q=nothing-like-it", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "新能源成果路演" not in client.get("/events/?format=online").get_data(as_text=True)
    event_page = client.get(f"/events/{market['event_id']}", headers={"Accept-Language": "en"}).get_data(as_text=True)  # fmt: skip
    assert "1 Jun 2026, 10:00 (UTC+8)" in event_page and STREAM not in event_page
    anonymous_ics = Calendar.from_ical(client.get(f"/events/{market['event_id']}.ics").data)
    assert STREAM not in anonymous_ics.to_ical().decode()
    _sign_in(client, buyer)
    assert client.post(f"/events/{market['event_id']}/register").status_code == 302
    assert STREAM in client.get(f"/events/{market['event_id']}").get_data(as_text=True)
    response = client.get(f"/events/{market['event_id']}.ics")
    assert response.mimetype == "text/calendar"
    entry = next(iter(Calendar.from_ical(response.data).walk("VEVENT")))
    assert entry.decoded("dtstart") == market["starts"] and STREAM in str(entry.get("description"))
    feed = client.get("/events/feed.atom")
    assert feed.mimetype == "application/atom+xml" and "新能源成果路演" in feed.get_data(
        as_text=True
    )
    api = client.get(f"/api/v1/events/{market['event_id']}").get_json()
    assert (
        api["stream_url"] == STREAM and api["taken"] == 1 and api["allowed_actions"] == ["cancel"]
    )
    assert client.get("/api/v1/events/?when=past").get_json()["items"] == []
    client.post("/signout")
    ics_url = f"/api/v1/events/{market['event_id']}.ics"
    anonymous = client.get(ics_url)  # public, as the page's file; the stream's link needs a party
    assert anonymous.mimetype == "text/calendar" and STREAM not in anonymous.get_data(as_text=True)
    token = factories.api_token(buyer, "calendar", now=market["now"])
    mine = client.get(ics_url, headers={"Authorization": f"Bearer {token}"})
    assert mine.headers["Content-Disposition"] == f'attachment; filename="event-{market["event_id"]}.ics"'  # fmt: skip
    entry = next(iter(Calendar.from_ical(mine.data).walk("VEVENT")))
    assert entry.decoded("dtstart") == market["starts"] and STREAM in str(entry.get("description"))
    missing = client.get("/api/v1/events/999999.ics")
    assert missing.status_code == 404 and missing.get_json()["code"] == "not_found"


def test_the_organiser_form_takes_the_market_time_and_refuses_unknown_listings(client: FlaskClient, market: dict) -> None:  # fmt: skip
    with unit_of_work():
        admin = accounts.create_platform_user("events-admin@market.example", "管理员", factories.PASSWORD, now=market["now"], admin=True)  # fmt: skip
    _sign_in(client, admin)
    form = {
        "title": "生物医药成果路演", "format": "offline", "venue": "二号厅", "capacity": "80",
        "starts_at": "2026-06-02T14:00", "ends_at": "2026-06-02T16:30",
        "listing_ids": f"{market['listing'].id}, 999999",
    }  # fmt: skip
    refused = client.post("/events/new", data=form)
    assert refused.status_code == 422 and "只有已发布的成果可以参加路演" in refused.get_data(
        as_text=True
    )
    form["listing_ids"] = str(market["listing"].id)
    made = client.post("/events/new", data=form)
    assert made.status_code == 302
    event = services.get_event(int(made.headers["Location"].rsplit("/", 1)[1]))
    assert event.starts_at.astimezone(UTC) == datetime(
        2026, 6, 2, 6, 0, tzinfo=UTC
    )  # 14:00 in Shanghai
    assert event.organiser_org_id is None and event.stream_url is None
    assert client.get("/events/new").status_code == 200
    _sign_in(client, market["buyers"][0])
    assert client.get("/events/new").status_code == 403
