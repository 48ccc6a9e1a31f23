"""The lean path of a bid: one read and one write, a lost race decided again, tokens read-only."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select, text

from accounts import tokens
from accounts.models import ApiToken, User
from auctions import bid_reads, bidding, rules
from auctions.models import Auction, Bid
from core.audit_models import AuditEntry
from core.clock import as_utc
from core.extensions import db
from core.uow import unit_of_work
from tests import factories

from .conftest import INC, START, Market, make_market

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def on_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


def test_leader_maximum_is_kept_on_the_auction_row(market: Market, clock) -> None:
    alpha, beta = market.bidder(), market.bidder()
    auction_id = market.auction.id
    bidding.place_bid(alpha, auction_id, START, max_minor=START + 4 * INC, now=clock())
    auction = db.session.get(Auction, auction_id)
    assert (auction.leader_org_id, auction.leader_max_minor, auction.leader_max_user_id) == (
        alpha.organisation_id,
        START + 4 * INC,
        alpha.id,
    )
    bidding.place_bid(alpha, auction_id, START, max_minor=START + 6 * INC, now=clock())  # raise
    assert db.session.get(Auction, auction_id).leader_max_minor == START + 6 * INC
    defended = bidding.place_bid(beta, auction_id, START + INC, now=clock())
    assert not defended.leading
    assert [(b.bidder_org_id, b.is_proxy) for b in defended.bids] == [
        (beta.organisation_id, False),
        (alpha.organisation_id, True),
    ]
    proxy_bid = db.session.get(Bid, defended.bids[-1].id)
    assert proxy_bid.user_id == alpha.id  # the bid placed for alpha's maximum is alpha's user's
    overtaken = bidding.place_bid(beta, auction_id, START + 8 * INC, now=clock())
    assert overtaken.leading
    auction = db.session.get(Auction, auction_id)
    assert (auction.leader_org_id, auction.leader_max_minor, auction.leader_max_user_id) == (
        beta.organisation_id,
        None,
        None,
    )
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_type == "auction", AuditEntry.object_id == auction_id)
        .order_by(AuditEntry.id)
    ).all()
    assert actions == [
        "auction.create",
        "auction.publish_announcement",
        "auction.bid",
        "auction.raise_max",
        "auction.bid",
        "auction.bid",
    ]


def test_bid_is_one_read_and_one_write_on_postgresql(market: Market, clock) -> None:
    if not on_postgresql():
        pytest.skip("SQLite takes its write lock first and writes statement by statement")
    alpha, beta = market.bidder(), market.bidder()
    auction_id = market.auction.id
    bidding.place_bid(alpha, auction_id, START, now=clock())
    db.session.commit()  # the users are expired now: reading them must not cost a query
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement.split(None, 1)[0].upper())

    connection = db.session.connection()
    event.listen(connection, "before_cursor_execute", count)
    try:
        result = bidding.place_bid(beta, auction_id, START + INC, now=clock())
        with pytest.raises(rules.BidBelowMinimum):
            bidding.place_bid(alpha, auction_id, START + INC, now=clock())
    finally:
        event.remove(connection, "before_cursor_execute", count)
    assert result.leading
    # accepted: the read, then one statement that writes auction, bid and audit entry;
    # refused: the read only (SAVEPOINT statements are the test's own transaction)
    assert [s for s in statements if s not in ("SAVEPOINT", "RELEASE", "ROLLBACK")] == [
        "SELECT",
        "WITH",
        "SELECT",
    ]


# --- a lost race, with real commits (PostgreSQL) ---------------------------------------------


@pytest.fixture
def race(committing_app: Flask) -> Iterator[tuple[Flask, int, list[int]]]:
    """A running auction and three bidders in a committing app (PostgreSQL only)."""
    with committing_app.app_context():
        if not on_postgresql():
            pytest.skip("on SQLite the write lock is taken before the read: no race to lose")
        upload = Path(committing_app.config["UPLOAD_FOLDER"]) / "evidence"
        with unit_of_work():
            market = make_market(NOW, upload, hours=24)
            bidders = [market.bidder().id for _ in range(3)]
            auction_id = market.auction.id
        db.session.remove()
    yield committing_app, auction_id, bidders


def slip_in_a_bid_before_the_write(
    monkeypatch: pytest.MonkeyPatch, app: Flask, auction_id: int, user_id: int, amount: int
) -> list[int]:
    """After the first decision of the next bid, another bidder's bid commits; calls counted."""
    decide = bidding._decide
    main = threading.current_thread()
    calls: list[int] = []  # decisions of the bidder under test

    def competitor() -> None:
        with app.app_context():
            with unit_of_work(writer=True):
                bidding.place_bid(db.session.get(User, user_id), auction_id, amount, now=NOW)
            db.session.remove()

    def decide_then_lose_the_race(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not main:
            return decide(*args, **kwargs)
        calls.append(1)
        advance = decide(*args, **kwargs)
        if len(calls) == 1:
            thread = threading.Thread(target=competitor)
            thread.start()
            thread.join(timeout=30)
        return advance

    monkeypatch.setattr(bidding, "_decide", decide_then_lose_the_race)
    return calls


def ledger(auction_id: int) -> tuple[list[tuple[int, int]], Auction, int]:
    bids = [
        (b.bidder_org_id, b.amount_minor)
        for b in db.session.scalars(
            select(Bid).where(Bid.auction_id == auction_id).order_by(Bid.id)
        )
    ]
    audits = db.session.scalar(
        select(func.count()).where(
            AuditEntry.action == "auction.bid", AuditEntry.object_id == auction_id
        )
    )
    return bids, db.session.get(Auction, auction_id), audits


def test_a_plain_bid_that_lost_the_race_is_refused_on_the_fresh_price(
    race: tuple[Flask, int, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, auction_id, (slow, fast, _) = race
    calls = slip_in_a_bid_before_the_write(monkeypatch, app, auction_id, fast, START + INC)
    with app.app_context():
        user = db.session.get(User, slow)
        with pytest.raises(rules.BidBelowMinimum) as refused, unit_of_work(writer=True):
            bidding.place_bid(user, auction_id, START, now=NOW)
        assert refused.value.minimum_minor == START + 2 * INC
        assert len(calls) == 2  # decided again on the fresh read, and refused
        bids, auction, audits = ledger(auction_id)
        fast_org = db.session.get(User, fast).organisation_id
        assert bids == [(fast_org, START + INC)] and audits == 1
        assert (auction.current_price_minor, auction.bid_count) == (START + INC, 1)
        db.session.remove()


def test_a_bid_with_a_maximum_that_lost_the_race_is_lifted_and_kept(
    race: tuple[Flask, int, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, auction_id, (slow, fast, _) = race
    calls = slip_in_a_bid_before_the_write(monkeypatch, app, auction_id, fast, START + INC)
    with app.app_context():
        user = db.session.get(User, slow)
        with unit_of_work(writer=True):
            result = bidding.place_bid(user, auction_id, START, max_minor=START + 5 * INC, now=NOW)
        assert len(calls) == 2  # decided again on the fresh read
        assert result.leading and [b.amount_minor for b in result.bids] == [START + 2 * INC]
        bids, auction, audits = ledger(auction_id)
        slow_org = db.session.get(User, slow).organisation_id
        fast_org = db.session.get(User, fast).organisation_id
        assert bids == [(fast_org, START + INC), (slow_org, START + 2 * INC)] and audits == 2
        assert (auction.leader_org_id, auction.leader_max_minor, auction.bid_count) == (
            slow_org,
            START + 5 * INC,
            2,
        )
        db.session.remove()


def test_a_bid_that_keeps_losing_the_race_is_decided_under_the_row_lock(
    race: tuple[Flask, int, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, auction_id, (slow, fast, third) = race
    decide = bidding._decide
    main = threading.current_thread()
    calls: list[bool] = []
    rivals = [(fast, START), (third, START + INC)]

    def decide_and_lose_each_optimistic_race(*args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not main:
            return decide(*args, **kwargs)
        advance = decide(*args, **kwargs)
        calls.append(True)
        if rivals:
            user_id, amount = rivals.pop(0)

            def rival() -> None:
                with app.app_context():
                    with unit_of_work(writer=True):
                        user = db.session.get(User, user_id)
                        bidding.place_bid(user, auction_id, amount, now=NOW)
                    db.session.remove()

            thread = threading.Thread(target=rival)
            thread.start()
            thread.join(timeout=30)
        return advance

    monkeypatch.setattr(bidding, "_decide", decide_and_lose_each_optimistic_race)
    with app.app_context():
        user = db.session.get(User, slow)
        with unit_of_work(writer=True):
            result = bidding.place_bid(user, auction_id, START, max_minor=START + 9 * INC, now=NOW)
        assert len(calls) == bidding.OPTIMISTIC_ATTEMPTS + 1
        assert result.leading and result.current_price_minor == START + 2 * INC
        bids, auction, audits = ledger(auction_id)
        assert [amount for _, amount in bids] == [START, START + INC, START + 2 * INC]
        assert audits == 3 and auction.bid_count == 3
        db.session.remove()


def two_bidders_committed(app: Flask) -> tuple[int, dict[str, str], dict[str, str]]:
    """A running auction and two bidders, committed: its id and their tokens' headers; the
    app's clock a minute past NOW (the caller's test takes it back)."""
    upload = Path(app.config["UPLOAD_FOLDER"]) / "evidence"
    with app.app_context():
        with unit_of_work():
            market = make_market(NOW, upload, hours=24)
            alpha, beta = market.bidder(), market.bidder()
            auction_id = market.auction.id
        as_alpha, as_beta = (
            {"Authorization": "Bearer " + factories.api_token(user, "watch", now=NOW)}
            for user in (alpha, beta)
        )
        db.session.remove()
    app.extensions["clock"] = lambda: NOW + timedelta(minutes=1)
    return auction_id, as_alpha, as_beta


def test_a_committed_bids_etag_is_its_pollers_tag_until_the_auction_moves(
    committing_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bids and polls with real commits (on PostgreSQL both in autocommit, plain SQL): the
    ETag a bid's answer carries, made from what its write returned, is the one the poll
    reads, with the bidder's maximum and a proxy's bid in it; outbid, the poll reads whole."""
    app = committing_app
    auction_id, as_alpha, as_beta = two_bidders_committed(app)
    client, url = app.test_client(), f"/api/v1/auctions/{auction_id}"
    plain: list[str] = []  # statements run straight on psycopg's connection (autocommit)
    on_pg = app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    execute = psycopg.Connection.execute

    def noted(self: psycopg.Connection, query: Any, *args: Any, **kwargs: Any) -> Any:
        plain.append(str(query).split()[0])
        return execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "execute", noted)

    def bid(headers: dict[str, str], **body: int) -> dict[str, Any]:
        answer = client.post(f"{url}/bids", json=body, headers=headers)
        assert answer.status_code == 201, answer.get_json()
        return dict(answer.get_json())

    def poll(headers: dict[str, str], etag: str) -> int:
        return client.get(url, headers={**headers, "If-None-Match": etag}).status_code

    try:
        leading = bid(as_alpha, amount_minor=START, max_minor=START + 2 * INC)
        assert poll(as_alpha, leading["auction_etag"]) == 304
        lifted = bid(as_beta, amount_minor=START + INC)  # alpha's maximum answers it
        assert not lifted["leading"] and [b["is_proxy"] for b in lifted["bids"]] == [False, True]
        assert poll(as_beta, lifted["auction_etag"]) == 304
        assert poll(as_alpha, leading["auction_etag"]) == 200  # the price moved
        over = bid(as_beta, amount_minor=START + 3 * INC)
        assert over["leading"] and poll(as_beta, over["auction_etag"]) == 304
        assert client.get(url, headers=as_alpha).get_json()["standing"] == "outbid"
    finally:
        app.extensions.pop("clock", None)
    bid_, poll_ = ["SELECT", "WITH"], ["SELECT"]  # a bid: its read, its write; a poll: its read
    expected = bid_ + poll_ + bid_ + poll_ + poll_ + bid_ + poll_ + poll_
    assert plain == (expected if on_pg else []), plain


def test_an_outbid_pollers_full_read_runs_in_autocommit_on_postgresql(
    committing_app: Flask,
) -> None:
    """The whole answer of a poll that finds the auction moved is read statement by statement
    in autocommit (PostgreSQL): no BEGIN before its reads, no COMMIT after them."""
    app = committing_app
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("autocommit reads: PostgreSQL")
    auction_id, as_alpha, as_beta = two_bidders_committed(app)
    client, url = app.test_client(), f"/api/v1/auctions/{auction_id}"
    in_autocommit: list[bool] = []

    def noted(conn: Any, *_: Any) -> None:
        in_autocommit.append(conn.connection.driver_connection.autocommit)

    try:
        led = client.post(f"{url}/bids", json={"amount_minor": START}, headers=as_alpha)
        client.post(f"{url}/bids", json={"amount_minor": START + INC}, headers=as_beta)
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", noted)
            try:
                etag = led.get_json()["auction_etag"]
                answer = client.get(url, headers={**as_alpha, "If-None-Match": etag})
            finally:
                event.remove(db.engine, "before_cursor_execute", noted)
    finally:
        app.extensions.pop("clock", None)
    assert answer.status_code == 200
    assert answer.get_json()["standing"] == "outbid"
    assert answer.get_json()["current_price_minor"] == START + INC
    assert in_autocommit and all(in_autocommit), in_autocommit


# --- the API token is read, not written, on every call ----------------------------------------


def test_api_token_use_is_written_at_most_once_a_minute(
    client: FlaskClient, market: Market, clock
) -> None:
    alpha = market.bidder()
    token = factories.api_token(alpha, "bot", now=clock())
    headers = {"Authorization": "Bearer " + token}
    url = f"/api/v1/auctions/{market.auction.id}/bids"

    def last_used() -> datetime | None:
        db.session.expire_all()
        used = db.session.scalar(select(ApiToken.last_used_at).where(ApiToken.user_id == alpha.id))
        return as_utc(used) if used is not None else None

    first_call = clock()
    assert client.post(url, json={"amount_minor": START}, headers=headers).status_code == 201
    assert last_used() == first_call
    clock.advance(seconds=30)
    again = client.post(url, json={"amount_minor": START + INC, "max_minor": START + 3 * INC})
    assert again.status_code == 401  # no token, no bid
    raised = client.post(
        url, json={"amount_minor": START + INC, "max_minor": START + 3 * INC}, headers=headers
    )
    assert raised.status_code == 201 and raised.get_json()["raised_max"] is True
    assert last_used() == first_call  # within the minute: not written again
    clock.advance(seconds=31)
    assert (
        client.post(
            url, json={"amount_minor": START + INC, "max_minor": START + 4 * INC}, headers=headers
        ).status_code
        == 201
    )
    assert last_used() == clock()
    token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == alpha.id))
    with unit_of_work():  # as its owner does (the page or the API): this worker forgets it
        tokens.revoke_token(alpha, token_id, now=clock())
    revoked = client.post(
        url, json={"amount_minor": START + INC, "max_minor": START + 5 * INC}, headers=headers
    )
    assert revoked.status_code == 401


def test_the_bid_write_is_planned_once_per_connection_on_postgresql(market: Market, clock) -> None:
    """PostgreSQL keeps one plan of a bid's writing statement (pg_prepared_statements'
    generic plans); with arrays of bids it made a new plan on every run."""
    if not on_postgresql():
        pytest.skip("prepared statements and their plans: PostgreSQL")
    alpha, beta = market.bidder(), market.bidder()
    auction_id = market.auction.id
    for n in range(12):  # prepared at its fifth run, a generic plan chosen after five more
        bidding.place_bid((alpha, beta)[n % 2], auction_id, START + n * INC, now=clock())
    plans = db.session.execute(
        text(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE '%WITH advanced AS%'"
        )
    ).all()
    assert plans and plans[0][0] > 0, plans


def test_a_refusals_own_read_is_remembered_on_postgresql(
    race: tuple[Flask, int, list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In autocommit (the bid first in its unit of work) a refused bid's read is committed
    data: the bidder's next stale bid is refused without reading again (auctions.bid_memory)."""
    app, auction_id, (slow, fast, _) = race
    reads: list[int] = []
    read = bid_reads.read_standing_postgresql
    monkeypatch.setattr(
        bid_reads, "read_standing_postgresql", lambda *a, **k: reads.append(1) or read(*a, **k)
    )
    with app.app_context():
        with unit_of_work(writer=True):
            bidding.place_bid(db.session.get(User, fast), auction_id, START + INC, now=NOW)
        user = db.session.get(User, slow)
        db.session.commit()  # so that the bids below are their units of work's first work
        for amount in (START, START + INC):  # read and refused; then refused from memory
            with pytest.raises(rules.BidBelowMinimum) as refused, unit_of_work(writer=True):
                bidding.place_bid(user, auction_id, amount, now=NOW)
            assert refused.value.minimum_minor == START + 2 * INC
        assert len(reads) == 2  # the fast bid's and the first refusal's
        db.session.remove()
