"""Notifications end to end: the inbox, the email through a real SMTP server (Mailpit),
preferences, digests, one-click unsubscribe, and an SMTP outage that delays but loses
nothing and sends nothing twice.

Mailpit runs at MAILPIT_URL (API) and MAILPIT_SMTP (host:port): `make test` starts it
(devservices/mailpit.sh).
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from accounts.models import User
from auctions import bidding
from auctions import jobs as auction_jobs
from core.clock import as_utc
from core.extensions import db
from core.uow import unit_of_work
from notifications import jobs, mail, services
from notifications.models import Notification
from notifications.rules import EmailMode, EmailState
from tests import factories
from tests.conftest import breakers_of
from tests.integration.auctions.conftest import INC, START, Market, make_market

EN = {"Accept-Language": "en"}


@pytest.fixture
def mailpit(app: Flask) -> Iterator[str]:
    """The Mailpit API, emptied; the app mails through its SMTP server during the test."""
    url = os.environ.get("MAILPIT_URL", "").strip()
    smtp = os.environ.get("MAILPIT_SMTP", "").strip()
    if not url or not smtp:
        pytest.skip("MAILPIT_URL/MAILPIT_SMTP are not set: run `devservices/mailpit.sh start`")
    host, port = smtp.rsplit(":", 1)
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER=host, MAIL_PORT=int(port))
    requests.delete(f"{url}/api/v1/messages", timeout=10)
    try:
        yield url
    finally:
        app.config.update(saved)


def messages_to(mailpit: str, email: str, *, about: str = "") -> list[dict[str, Any]]:
    """The messages Mailpit received for `email` whose subject contains `about`."""
    found = requests.get(
        f"{mailpit}/api/v1/search", params={"query": f"to:{email}"}, timeout=10
    ).json()
    return [m for m in found["messages"] if about in m["Subject"]]


OUTBID_ZH, OUTBID_EN = "被超越", "outbid"


def full_message(mailpit: str, message_id: str) -> dict[str, Any]:
    return dict(requests.get(f"{mailpit}/api/v1/message/{message_id}", timeout=10).json())


def member(org_id: int, *, locale: str, now: Any) -> User:
    """A second member of an organisation, reading the market in `locale`."""
    user = User(
        email=f"member-{uuid.uuid4().hex[:8]}@example.org",
        name="Member",
        password_hash="x",
        organisation_id=org_id,
        membership_approved=True,
        created_at=now,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    return user


def outbid_market(clock: Any, upload_folder: Path) -> tuple[Market, User, User]:
    """A running auction where the first bidder leads, then a second bidder outbids it."""
    market = make_market(clock(), upload_folder)
    first, second = market.bidder(name="甲公司"), market.bidder(name="乙公司")
    with unit_of_work(writer=True):
        bidding.place_bid(first, market.auction.id, START, now=clock())
    with unit_of_work(writer=True):
        bidding.place_bid(second, market.auction.id, START + INC, now=clock())
    return market, first, second


@pytest.mark.usefixtures("db_session")
def test_an_outbid_bidder_is_told_in_the_inbox_and_by_email_in_its_language(
    mailpit: str, clock: Any, upload_folder: Path
) -> None:
    market = make_market(clock(), upload_folder)
    first = market.bidder(name="甲公司")
    with unit_of_work():
        english = member(first.acting_org_id, locale="en", now=clock())
    with unit_of_work(writer=True):
        bidding.place_bid(first, market.auction.id, START, now=clock())
    second = market.bidder(name="乙公司")
    with unit_of_work(writer=True):
        bidding.place_bid(second, market.auction.id, START + INC, now=clock())

    for user in (first, english):
        told = db.session.scalars(
            select(Notification).where(
                Notification.user_id == user.id, Notification.event == "auction.outbid"
            )
        ).all()
        assert len(told) == 1 and told[0].email_state == EmailState.SENT, (
            told[0].email_attempts,
            told[0].email_error,
        )
    assert not db.session.scalars(
        select(Notification).where(
            Notification.user_id == second.id, Notification.event == "auction.outbid"
        )
    ).all(), "the new leader is not told it was outbid"

    [chinese_mail] = messages_to(mailpit, first.email, about=OUTBID_ZH)
    [english_mail] = messages_to(mailpit, english.email, about=OUTBID_EN)
    assert "¥10,500.00" in chinese_mail["Subject"] and "You" not in chinese_mail["Subject"]
    assert english_mail["Subject"].startswith("You have been outbid")
    assert "¥10,500.00" in english_mail["Subject"]
    body = full_message(mailpit, english_mail["ID"])
    assert f"/auctions/{market.auction.id}" in body["Text"] and "<a href=" in body["HTML"]
    assert "/unsubscribe/" in body["Text"]


@pytest.mark.usefixtures("db_session")
def test_an_smtp_outage_delays_mail_and_loses_or_repeats_none(
    app: Flask, mailpit: str, clock: Any, upload_folder: Path, request: pytest.FixtureRequest
) -> None:
    with socket.socket() as probe:  # a port nobody listens on: the SMTP server is "down"
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    live_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = dead_port
    # Every email is tried here: the SMTP breaker (test below) stays out of the way.
    app.config["BREAKER_SMTP_FAILURES"] = 10_000
    breakers_of(app).reset()
    request.addfinalizer(lambda: app.config.pop("BREAKER_SMTP_FAILURES", None))
    _, first, _ = outbid_market(clock, upload_folder)
    [waiting] = db.session.scalars(
        select(Notification).where(
            Notification.user_id == first.id, Notification.event == "auction.outbid"
        )
    ).all()
    assert waiting.email_state == EmailState.PENDING and waiting.email_attempts == 1
    assert "Error" in (waiting.email_error or "")
    assert jobs.deliver() == 0, "not due again before its back-off"

    app.config["MAIL_PORT"] = live_port
    clock.advance(minutes=2)
    assert jobs.deliver() >= 1  # the outbid mail and the others the outage held back
    assert jobs.deliver() == 0, "each sent once"
    db.session.refresh(waiting)
    assert waiting.email_state == EmailState.SENT
    assert len(messages_to(mailpit, first.email, about=OUTBID_ZH)) == 1
    assert not db.session.scalars(
        select(Notification).where(Notification.email_state == EmailState.PENDING)
    ).all(), "nothing left behind"


@pytest.mark.usefixtures("db_session")
def test_while_smtp_fails_its_breaker_keeps_mail_queued_untried_then_sends_it_once(
    app: Flask, mailpit: str, clock: Any, upload_folder: Path, request: pytest.FixtureRequest
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    live_port = app.config["MAIL_PORT"]
    app.config.update(
        MAIL_PORT=dead_port, BREAKER_SMTP_FAILURES=1, BREAKER_SMTP_COOLDOWN_SECONDS=600
    )
    breakers_of(app).reset()

    def restore() -> None:
        app.config["MAIL_PORT"] = live_port
        for name in ("BREAKER_SMTP_FAILURES", "BREAKER_SMTP_COOLDOWN_SECONDS"):
            app.config.pop(name, None)
        breakers_of(app).reset()

    request.addfinalizer(restore)
    outbid_market(clock, upload_folder)  # the first email fails and opens the breaker
    held = db.session.scalars(
        select(Notification).where(Notification.email_state == EmailState.PENDING)
    ).all()
    tried = [n for n in held if n.email_attempts]
    assert len(tried) == 1 and len(held) > 1, "only the first email knocked"
    assert all(n.email_attempts == 0 and n.email_error is None for n in held if n not in tried)
    assert breakers_of(app).get("smtp").trips == 1
    assert jobs.deliver() == 0, "nothing is tried while the breaker is open"

    app.config["MAIL_PORT"] = live_port
    gate = breakers_of(app).get("smtp")
    gate.policy = replace(gate.policy, cooldown=0.0)  # the cool-down is over: a trial
    clock.advance(minutes=2)  # the tried one's back-off
    assert jobs.deliver() == len(held)
    assert jobs.deliver() == 0, "each sent once"
    assert breakers_of(app).get("smtp").state.value == "closed"


@pytest.mark.usefixtures("db_session")
def test_daily_digest_and_off_follow_the_users_preferences(
    mailpit: str, clock: Any, upload_folder: Path
) -> None:
    market = make_market(clock(), upload_folder)
    first = market.bidder(name="甲公司")
    with unit_of_work():
        services.set_preference(
            first, "auction.outbid", in_app=True, email=EmailMode.DAILY, now=clock()
        )
    second = market.bidder(name="乙公司")
    with unit_of_work():
        services.set_preference(
            second, "auction.outbid", in_app=False, email=EmailMode.OFF, now=clock()
        )
    for amount, bidder in ((START, first), (START + INC, second), (START + 2 * INC, first),
                           (START + 3 * INC, second)):  # fmt: skip
        with unit_of_work(writer=True):
            bidding.place_bid(bidder, market.auction.id, amount, now=clock())

    assert messages_to(mailpit, first.email, about=OUTBID_ZH) == [], "a daily digest waits"
    assert not db.session.scalars(
        select(Notification).where(
            Notification.user_id == second.id, Notification.event == "auction.outbid"
        )
    ).all(), "neither inbox nor email: nothing is written"
    assert jobs.send_digests() == 1
    [digest] = messages_to(mailpit, first.email, about="每日")
    text = full_message(mailpit, digest["ID"])["Text"]
    assert text.count("的出价已被超越") == 2, "both outbids of the day, in one email"
    assert jobs.send_digests() == 0


def test_the_inbox_counts_unread_opens_and_marks_all_read(
    client: FlaskClient, clock: Any, upload_folder: Path
) -> None:
    _, first, _ = outbid_market(clock, upload_folder)
    client.post("/signin", data={"email": first.email, "password": factories.PASSWORD})
    unread = services.unread_count(first)
    assert unread >= 2  # its deposit was confirmed, then it was outbid
    badge = 'data-field="inbox-unread">{}<'
    assert badge.format(unread) in client.get("/", headers=EN).get_data(as_text=True)

    page = client.get("/inbox", headers=EN).get_data(as_text=True)
    assert "You have been outbid" in page and "is confirmed" in page
    [outbid] = db.session.scalars(
        select(Notification).where(
            Notification.user_id == first.id, Notification.event == "auction.outbid"
        )
    ).all()
    opened = client.post(f"/inbox/{outbid.id}/open")
    assert opened.status_code == 302 and opened.location.endswith(outbid.link)
    assert badge.format(unread - 1) in client.get("/", headers=EN).get_data(as_text=True)
    client.post("/inbox/read-all")
    assert 'data-field="inbox-unread"' not in client.get("/", headers=EN).get_data(as_text=True)
    assert client.post("/inbox/999999/open").status_code == 404


def test_one_click_unsubscribe_turns_that_email_off_and_refuses_forged_tokens(
    client: FlaskClient, clock: Any, upload_folder: Path, app: Flask
) -> None:
    _, first, _ = outbid_market(clock, upload_folder)
    with app.test_request_context():
        token = mail.unsubscribe_token(first.id, "auction.outbid")
    confirm = client.get(f"/unsubscribe/{token}", headers=EN)
    assert confirm.status_code == 200 and "Stop the emails" in confirm.get_data(as_text=True)
    assert services.preferences(first)["auction.outbid"][1] == EmailMode.INSTANT, (
        "GET changes nothing"
    )
    done = client.post(f"/unsubscribe/{token}", headers=EN)
    assert done.status_code == 200 and "no more emails" in done.get_data(as_text=True)
    assert services.preferences(first)["auction.outbid"] == (True, EmailMode.OFF)
    assert client.post(f"/unsubscribe/{token[:-2]}xx").status_code == 404


@pytest.mark.usefixtures("db_session")
def test_closing_tells_the_winner_the_seller_and_the_loser_whose_deposit_is_released(
    clock: Any, upload_folder: Path
) -> None:
    market, loser, winner = outbid_market(clock, upload_folder)
    clock.current = as_utc(market.auction.ends_at) + timedelta(seconds=1)
    assert auction_jobs.close_due(now=clock()) == 1

    def events_of(user: User) -> list[str]:
        return sorted(
            db.session.scalars(
                select(Notification.event).where(Notification.user_id == user.id)
            ).all()
        )

    assert "auction.won" in events_of(winner) and "deposit.released" not in events_of(winner)
    assert "deposit.released" in events_of(loser) and "auction.won" not in events_of(loser)
    assert events_of(loser).count("auction.lost") == 1 and "auction.lost" not in events_of(winner)
    assert events_of(market.seller).count("auction.result") == 1


def test_watchers_hear_of_bids_the_result_and_a_sale_starting(
    client: FlaskClient, clock: Any, upload_folder: Path
) -> None:
    market = make_market(clock(), upload_folder)
    watcher = factories.enterprise(clock())
    client.post("/signin", data={"email": watcher.email, "password": factories.PASSWORD})
    room = f"/auctions/{market.auction.id}"
    assert "Watch" in client.get(room, headers=EN).get_data(as_text=True)
    answer = client.post(
        "/watch",
        data={"object_type": "auction", "object_id": market.auction.id, "next": room},
    )
    assert answer.status_code == 302 and answer.location.endswith(room)
    assert "Watching" in client.get(room, headers=EN).get_data(as_text=True)

    bidder = market.bidder(name="甲公司")
    with unit_of_work(writer=True):
        bidding.place_bid(bidder, market.auction.id, START, now=clock())
    [bid] = db.session.scalars(
        select(Notification).where(
            Notification.user_id == watcher.id, Notification.event == "watch.auction_bid"
        )
    ).all()
    assert bid.email_state == EmailState.DIGEST, "bids of a watched auction: the daily digest"
    clock.current = as_utc(market.auction.ends_at) + timedelta(seconds=1)
    auction_jobs.close_due(now=clock())
    assert db.session.scalars(
        select(Notification).where(
            Notification.user_id == watcher.id, Notification.event == "watch.auction_closed"
        )
    ).all()

    evil = client.post(
        "/watch",
        data={
            "object_type": "auction",
            "object_id": market.auction.id,
            "action": "unwatch",
            "next": "//evil.example",
        },
    )
    assert not evil.location.startswith("//evil")
    refused = client.post("/watch", data={"object_type": "user", "object_id": 1}, headers=EN)
    assert refused.status_code == 302  # flashed "This cannot be watched.", nothing stored
    assert "Auction #" not in client.get("/inbox/watching", headers=EN).get_data(as_text=True)


@pytest.mark.usefixtures("db_session")
def test_bidders_hear_once_that_an_auction_ends_within_the_hour(
    clock: Any, upload_folder: Path
) -> None:
    market, first, second = outbid_market(clock, upload_folder)
    clock.current = as_utc(market.auction.ends_at) - timedelta(minutes=90)
    assert auction_jobs.tell_ending_soon() == 0, "not yet"
    clock.advance(minutes=40)
    assert auction_jobs.tell_ending_soon() == 1
    assert auction_jobs.tell_ending_soon() == 0, "told once"
    for bidder in (first, second):
        assert db.session.scalars(
            select(Notification).where(
                Notification.user_id == bidder.id, Notification.event == "auction.ending"
            )
        ).all()


def test_ids_beyond_any_row_are_refused_not_crashed_on(
    client: FlaskClient, clock: Any, upload_folder: Path
) -> None:
    user = factories.enterprise(clock())
    client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})
    huge = str(2**63 + 5)
    assert client.post(f"/inbox/{huge}/open").status_code == 404
    for form in ({"object_type": "auction", "object_id": huge}, {"object_type": "auction"}):
        assert client.post("/watch", data=form).status_code == 302  # "This cannot be watched."
    assert client.post("/searches", data={"id": huge, "action": "delete"}).status_code == 302
    assert "Auction #" not in client.get("/inbox/watching", headers=EN).get_data(as_text=True)
