"""Many token holders calling the API at once: the token's bookkeeping never fails a request.

A token's last use is written at most once per TOKEN_TOUCH_INTERVAL; here the clock moves
a minute on every reading, so every request is due to write it while bids commit around
it. On SQLite a write inside a transaction that has already read fails at once ("database
is locked") when another writer committed meanwhile: no request may pay for that.
"""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from accounts.models import ApiToken
from core.clock import as_utc
from core.extensions import db
from core.uow import unit_of_work
from tests import factories

from .conftest import INC, make_market
from .test_concurrency import run_threads

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def test_concurrent_token_requests_never_fail_on_the_token_touch(committing_app: Flask) -> None:
    app = committing_app
    upload = Path(app.config["UPLOAD_FOLDER"]) / "evidence"
    with app.app_context():
        with unit_of_work():
            market = make_market(NOW, upload, hours=24)
            bidders = [market.bidder() for _ in range(8)]
            auction_id = market.auction.id
        tokens = [factories.api_token(user, "bot", now=NOW) for user in bidders]
        db.session.remove()
    ticks = itertools.count()
    lock = threading.Lock()

    def clock() -> datetime:
        with lock:
            return NOW + timedelta(seconds=61 * next(ticks))

    app.extensions["clock"] = clock
    rounds = 12

    def call(i: int) -> list[int]:
        client = app.test_client()
        headers = {"Authorization": "Bearer " + tokens[i]}
        statuses = []
        for n in range(rounds):
            if n % 3 == 2:  # a read that takes the token (the caller's deals)
                statuses.append(client.get("/api/v1/deals/", headers=headers).status_code)
                continue
            price = client.get(f"/api/v1/auctions/{auction_id}").get_json()
            amount = price["minimum_next_bid_minor"] + (i % 2) * INC
            response = client.post(
                f"/api/v1/auctions/{auction_id}/bids",
                json={"amount_minor": amount},
                headers=headers,
            )
            statuses.append(response.status_code)
        return statuses

    try:
        statuses = [s for batch in run_threads(app, len(tokens), call) for s in batch]
    finally:
        app.extensions.pop("clock", None)

    assert set(statuses) <= {200, 201, 409}, statuses  # accepted, read, or outbid: never a 500
    assert statuses.count(201) >= len(tokens)
    with app.app_context():
        used = db.session.scalars(select(ApiToken.last_used_at).where(ApiToken.name == "bot"))
        assert all(u is not None and as_utc(u) > NOW for u in used)
        db.session.remove()


def test_a_busy_database_skips_the_token_touch_not_the_request(committing_app: Flask) -> None:
    app = committing_app
    with app.app_context():
        user = factories.seller(NOW)
        token = factories.api_token(user, "held", now=NOW)
        db.session.remove()
    app.extensions["clock"] = lambda: NOW
    headers = {"Authorization": "Bearer " + token}

    def last_used() -> datetime | None:
        with app.app_context():
            used = db.session.scalar(select(ApiToken.last_used_at).where(ApiToken.name == "held"))
            db.session.remove()
            return used

    try:
        with app.app_context():
            holder = db.engine.connect()
            if holder.dialect.name == "sqlite":  # another writer holds the write lock
                holder.exec_driver_sql("UPDATE outbox_events SET id = id WHERE id = -1")
            else:  # another transaction holds the token's row
                holder.exec_driver_sql("SELECT 1 FROM api_tokens WHERE name = 'held' FOR UPDATE")
            try:
                assert app.test_client().get("/api/v1/deals/", headers=headers).status_code == 200
            finally:
                holder.rollback()
                holder.close()
        assert last_used() is None  # skipped, not failed
        assert app.test_client().get("/api/v1/deals/", headers=headers).status_code == 200
        assert last_used() is not None
    finally:
        app.extensions.pop("clock", None)
