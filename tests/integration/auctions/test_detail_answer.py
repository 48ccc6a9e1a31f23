"""`GET /api/v1/auctions/<id>` reads the auction for its caller in one statement and its last
bids in a second, and writes its JSON without marshmallow: its body is, byte for byte, what
the general path (each fact read on its own) dumped by `AuctionDetailSchema` gives."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, jsonify
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from accounts.auth import api_actor
from auctions import api_state, bidders, bidding, closing, queries, services
from auctions.api_schemas import AuctionDetailSchema
from auctions.settings import settings_from_config
from core import page_cache
from core.clock import now
from core.extensions import db
from core.i18n import current_locale
from core.uow import unit_of_work
from tests import factories

from .conftest import INC, START, Market


def _general_path(auction_id: int) -> dict[str, Any]:
    """The answer as it was read before the one-statement read: fact by fact."""
    caller, moment = api_actor(), now()
    auction = queries.visible_auction(caller, auction_id)
    numbers = bidders.numbers_of(auction.id)
    snapshot = closing.auction_snapshot(
        auction_id,
        now=moment,
        locale=current_locale(),
        settings=settings_from_config(current_app.config),
        viewer=bidders.viewer_of(caller, auction),
        numbers=numbers,
    )
    auction = queries.get_auction(auction_id)
    return api_state.auction_out(caller, auction, snapshot, now=moment, numbers=numbers)


def _expected(app: Flask, url: str, headers: dict[str, str]) -> bytes:
    with app.test_request_context(url, headers=headers):
        body: bytes = jsonify(
            AuctionDetailSchema().dump(_general_path(int(url.rsplit("/")[-1])))
        ).get_data()
    db.session.expire_all()
    return body


def _headers(user: Any, clock: Any, language: str) -> dict[str, str]:
    headers = {"Accept-Language": language}
    if user is not None:
        headers["Authorization"] = "Bearer " + factories.api_token(user, "detail", now=clock())
    return headers


def test_the_answer_is_the_general_paths_dumped_by_the_schema_for_every_caller(
    app: Flask, client: FlaskClient, market: Market, clock
) -> None:
    auction_id = market.auction.id
    leader, outbid, watcher = market.bidder(), market.bidder(), market.bidder()
    unpaid, stranger = market.bidder(held=False), market.bidder(held=False)
    with unit_of_work():
        services.join_auction(unpaid, auction_id, now=clock())  # owes its deposit
    with unit_of_work(writer=True):
        bidding.place_bid(outbid, auction_id, START, now=clock())
    with unit_of_work(writer=True):
        bidding.place_bid(leader, auction_id, START + INC, max_minor=START + 5 * INC, now=clock())
    with unit_of_work(writer=True):
        bidding.place_bid(outbid, auction_id, START + 2 * INC, now=clock())  # the proxy answers
    url = f"/api/v1/auctions/{auction_id}"
    callers = [leader, outbid, watcher, unpaid, stranger, market.seller, market.reviewer, None]
    for language in ("en", "zh-CN"):
        for caller in callers:
            headers = _headers(caller, clock, language)
            answer = client.get(url, headers=headers)
            assert answer.status_code == 200
            assert answer.get_data() == _expected(app, url, headers), (caller, language)
    standing = client.get(url, headers=_headers(outbid, clock, "en")).json
    assert standing["standing"] == "outbid" and standing["my_max_minor"] is None
    assert client.get(url, headers=_headers(leader, clock, "en")).json["my_max_minor"] == (
        START + 5 * INC
    )

    clock.advance(hours=49)  # ended: the first read closes it, then reads afresh
    headers = _headers(leader, clock, "en")
    closing_answer = client.get(url, headers=headers)
    after = client.get(url, headers=headers)
    assert after.json["status"] == "closed" and after.json["standing"] == "won"
    assert closing_answer.json["my_deposit_status"] == after.json["my_deposit_status"]
    for caller in callers:
        headers = _headers(caller, clock, "en")
        assert client.get(url, headers=headers).get_data() == _expected(app, url, headers), caller


def test_the_answer_reads_the_auction_and_its_bids_in_two_statements(
    app: Flask, client: FlaskClient, market: Market, clock
) -> None:
    alpha, beta = market.bidder(), market.bidder()
    for amount, who in ((START, alpha), (START + INC, beta)):
        with unit_of_work(writer=True):
            bidding.place_bid(who, market.auction.id, amount, now=clock())
    headers, url = _headers(alpha, clock, "en"), f"/api/v1/auctions/{market.auction.id}"
    statements: list[str] = []

    def note(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        answer = client.get(url, headers=headers)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert answer.json["standing"] == "outbid"
    token = ("api_tokens", "FROM users")  # the bearer token's check
    reads = [
        sql
        for sql in statements
        if sql.startswith("SELECT") and not any(word in sql for word in token)
    ]
    # the state tag (the answer's ETag), the auction for its caller, its last bids
    assert len(reads) == 3, reads


def test_a_poll_that_missed_its_304_gets_the_kept_answer_only_of_the_state_it_read(
    app: Flask, client: FlaskClient, market: Market, clock
) -> None:
    alpha, beta = market.bidder(), market.bidder()
    with unit_of_work(writer=True):
        bidding.place_bid(alpha, market.auction.id, START, now=clock())
    url, headers = f"/api/v1/auctions/{market.auction.id}", _headers(alpha, clock, "en")
    stale = headers | {"If-None-Match": '"an-old-state"'}
    app.config["API_READ_CACHE_SECONDS"] = 60.0
    page_cache.store.forget_all()
    try:
        assert client.get(url, headers=stale).json["leader_mine"] is True  # made and kept
        # Another worker's bid: this worker's kept answers are not emptied by its commit.
        event.remove(Session, "after_commit", page_cache._after_commit)
        try:
            with unit_of_work(writer=True):
                bidding.place_bid(beta, market.auction.id, START + INC, now=clock())
        finally:
            event.listen(Session, "after_commit", page_cache._after_commit)
        outbid = client.get(url, headers=stale)
        assert outbid.json["leader_mine"] is False and outbid.json["standing"] == "outbid"
        statements: list[str] = []

        def note(*args: Any) -> None:
            statements.append(str(args[2]))

        event.listen(db.engine, "before_cursor_execute", note)
        try:
            kept = client.get(url, headers=stale)
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
        assert kept.get_data() == outbid.get_data()
        reads = [s for s in statements if s.startswith("SELECT") and "users" not in s]
        assert len(reads) == 1 and "max(id)" not in reads[0], reads  # the state tag alone
    finally:
        app.config["API_READ_CACHE_SECONDS"] = 0.0
        page_cache.store.forget_all()
