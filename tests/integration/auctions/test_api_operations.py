"""Each auctions API operation: what it does for whom may, and its documented refusal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import event

from auctions import bidders, bidding
from auctions.models import Auction, AuctionStatus
from core.extensions import db
from listings.models import Listing
from listings.rules import ListingStatus, SaleState
from tests import factories

from .conftest import INC, START, Market

EN = {"Accept-Language": "en"}


def bearer(user: Any, now: Any) -> dict[str, str]:
    return {"Authorization": "Bearer " + factories.api_token(user, "ops", now=now), **EN}


def terms(listing_id: int, now: Any, **overrides: Any) -> dict[str, Any]:
    starts = now + timedelta(days=8)
    return {
        "listing_id": listing_id,
        "starting_price_minor": START,
        "increment_minor": INC,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(days=2)).isoformat(),
        **overrides,
    }


def test_create_applies_the_forms_term_limits_and_only_for_the_seller(
    client: FlaskClient, db_session, clock, upload_folder
) -> None:
    seller = factories.seller(clock())
    listing = factories.listing(
        seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder
    )
    token = bearer(seller, clock())
    soon = client.post(
        "/api/v1/auctions/",
        json=terms(listing.id, clock(), starts_at=(clock() + timedelta(days=6)).isoformat()),
        headers=token,
    )
    assert soon.status_code == 422 and "announcement" in soon.json["message"]
    short = client.post(
        "/api/v1/auctions/",
        json=terms(listing.id, clock(), ends_at=(clock() + timedelta(days=8, hours=1)).isoformat()),
        headers=token,
    )
    assert short.status_code == 422 and "24 hours" in short.json["message"]
    rate = client.post(
        "/api/v1/auctions/", json=terms(listing.id, clock(), deposit_bps=3000), headers=token
    )
    assert rate.status_code == 422 and "deposit_bps" in rate.json["errors"]
    stranger = client.post(
        "/api/v1/auctions/",
        json=terms(listing.id, clock()),
        headers=bearer(factories.seller(clock()), clock()),
    )
    assert stranger.status_code == 403
    assert db.session.query(Auction).count() == 0, "a refused auction changes nothing"
    made = client.post("/api/v1/auctions/", json=terms(listing.id, clock()), headers=token)
    assert made.status_code == 201
    assert made.json["status"] == "pending_review" and made.json["allowed_actions"] == ["watch"]
    assert db.session.get(Listing, listing.id).sale_state == SaleState.IN_AUCTION
    again = client.post("/api/v1/auctions/", json=terms(listing.id, clock()), headers=token)
    assert again.status_code == 409, "the listing is in auction already"


def _pending(client: FlaskClient, clock: Any, upload_folder: Any) -> tuple[int, Any, Any]:
    seller = factories.seller(clock())
    listing = factories.listing(
        seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder
    )
    made = client.post(
        "/api/v1/auctions/", json=terms(listing.id, clock()), headers=bearer(seller, clock())
    )
    return made.json["id"], seller, factories.platform_reviewer(clock())


def test_reviewer_refuses_an_announcement_with_a_reason_the_seller_reads(
    client: FlaskClient, db_session, clock, upload_folder
) -> None:
    auction_id, seller, reviewer = _pending(client, clock, upload_folder)
    url = f"/api/v1/auctions/{auction_id}/announcement/refuse"
    assert (
        client.post(url, json={"reason": "x"}, headers=bearer(seller, clock())).status_code == 403
    )
    nothing = client.post(url, json={}, headers=bearer(reviewer, clock()))
    assert nothing.status_code == 422 and "reason" in nothing.json["errors"]
    refused = client.post(
        url, json={"reason": "公告缺少标的说明。"}, headers=bearer(reviewer, clock())
    )
    assert refused.status_code == 200 and refused.json["status"] == "refused"
    mine = client.get(f"/api/v1/auctions/{auction_id}", headers=bearer(seller, clock())).json
    assert mine["refusal_reason"] == "公告缺少标的说明。"
    twice = client.post(
        f"/api/v1/auctions/{auction_id}/announcement/approve", headers=bearer(reviewer, clock())
    )
    assert twice.status_code == 409 and twice.json["code"] == "announcement_not_pending"


def test_only_reviewers_read_the_announcement_queue_and_approve(
    client: FlaskClient, db_session, clock, upload_folder
) -> None:
    auction_id, seller, reviewer = _pending(client, clock, upload_folder)
    assert (
        client.get("/api/v1/auctions/announcements", headers=bearer(seller, clock())).status_code
        == 403
    )
    approve = f"/api/v1/auctions/{auction_id}/announcement/approve"
    assert client.post(approve, headers=bearer(seller, clock())).status_code == 403
    assert db.session.get(Auction, auction_id).status == AuctionStatus.PENDING_REVIEW
    assert client.post(approve, headers=bearer(reviewer, clock())).json["status"] == "upcoming"


def test_join_refuses_the_seller_and_is_idempotent_for_a_bidder(
    client: FlaskClient, market: Market, clock
) -> None:
    url = f"/api/v1/auctions/{market.auction.id}/join"
    seller = client.post(url, headers=bearer(market.seller, clock()))
    assert seller.status_code == 403 and seller.json["code"] == "seller_cannot_bid"
    bidder = factories.enterprise(clock())
    token = bearer(bidder, clock())
    first, second = client.post(url, headers=token), client.post(url, headers=token)
    assert first.status_code == second.status_code == 201
    assert first.json["id"] == second.json["id"] and first.json["status"] == "required"
    after = client.get(f"/api/v1/auctions/{market.auction.id}", headers=token).json
    assert after["my_deposit_id"] == first.json["id"]
    assert after["allowed_actions"] == ["upload_receipt", "watch"]


def test_auction_tells_each_caller_its_number_standing_and_actions(
    client: FlaskClient, market: Market, clock
) -> None:
    alpha, beta = market.bidder(), market.bidder()
    bidding.place_bid(alpha, market.auction.id, START, now=clock())
    url = f"/api/v1/auctions/{market.auction.id}"
    as_alpha = client.get(url, headers=bearer(alpha, clock())).json
    assert as_alpha["standing"] == "leading" and "bid" in as_alpha["allowed_actions"]
    assert as_alpha["my_bidder_number"] == bidders.number_of(
        market.auction.id, alpha.organisation_id
    )
    as_beta = client.get(url, headers=bearer(beta, clock())).json
    assert as_beta["standing"] == "not_bidding"
    anonymous = client.get(url).json
    assert anonymous["allowed_actions"] == [] and anonymous["standing"] is None
    assert anonymous["my_bidder_number"] is None


def test_bid_history_pages_by_cursor_across_new_bids_with_the_rooms_labels(
    client: FlaskClient, market: Market, clock
) -> None:
    alpha, beta = market.bidder(), market.bidder()
    for step in range(5):
        bidding.place_bid(
            alpha if step % 2 == 0 else beta, market.auction.id, START + step * INC, now=clock()
        )
    url = f"/api/v1/auctions/{market.auction.id}/bids"
    token = bearer(alpha, clock())
    first = client.get(f"{url}?limit=2", headers=token).json
    assert [b["amount_minor"] for b in first["items"]] == [START + 4 * INC, START + 3 * INC]
    number_a = bidders.number_of(market.auction.id, alpha.organisation_id)
    number_b = bidders.number_of(market.auction.id, beta.organisation_id)
    assert [b["label"] for b in first["items"]] == [f"you (No. {number_a})", f"Bidder {number_b}"]
    assert all(b["bidder_name"] is None for b in first["items"]), "a bidder sees no names"
    bidding.place_bid(beta, market.auction.id, START + 5 * INC, now=clock())  # meanwhile
    amounts, after = [], first["next_cursor"]
    while after:
        page = client.get(f"{url}?limit=2&cursor={after}", headers=token).json
        amounts += [b["amount_minor"] for b in page["items"]]
        after = page["next_cursor"]
    assert amounts == [START + 2 * INC, START + INC, START], "no repeat, no gap"
    named = client.get(f"{url}?limit=1", headers=bearer(market.reviewer, clock())).json["items"]
    assert (
        named[0]["bidder_name"] == beta.organisation.name
        and beta.organisation.name in named[0]["label"]
    )


def test_bid_history_refuses_a_cursor_of_another_list_and_a_huge_limit(
    client: FlaskClient, market: Market
) -> None:
    url = f"/api/v1/auctions/{market.auction.id}/bids"
    inbox_cursor = "aW5ib3g6NQ"  # "inbox:5"
    wrong = client.get(f"{url}?cursor={inbox_cursor}", headers=EN)
    assert wrong.status_code == 422 and wrong.json["errors"] == {
        "cursor": ["This cursor is not one of this list."]
    }
    assert client.get(f"{url}?limit=1000", headers=EN).status_code == 422
    chinese = client.get(f"{url}?cursor={inbox_cursor}").json
    assert chinese["errors"]["cursor"] == ["此游标不属于该列表，请使用上一页返回的 next_cursor。"]
    assert client.get("/api/v1/auctions/999999/bids").status_code == 404


def test_a_page_of_bids_costs_the_same_statements_whatever_its_length(
    client: FlaskClient, market: Market, clock, capsys
) -> None:
    alpha, beta = market.bidder(), market.bidder()
    for step in range(60):
        bidder = alpha if step % 2 == 0 else beta
        bidding.place_bid(bidder, market.auction.id, START + step * INC, now=clock())
    url = f"/api/v1/auctions/{market.auction.id}/bids"
    token = bearer(alpha, clock())
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        caller = "FROM users" in statement or "FROM api_tokens" in statement  # token check
        if statement.split(None, 1)[0].upper() == "SELECT" and not caller:
            statements.append(statement)

    connection = db.session.connection()
    costs = {}
    for limit in (2, 50):
        client.get(f"{url}?limit={limit}", headers=token)  # the token's lookup, once
        statements.clear()
        event.listen(connection, "before_cursor_execute", count)
        try:
            page = client.get(f"{url}?limit={limit}", headers=token).json
        finally:
            event.remove(connection, "before_cursor_execute", count)
        assert len(page["items"]) == limit
        costs[limit] = len(statements)
    with capsys.disabled():
        print(f"\nSELECTs per bid page: limit 2 → {costs[2]}, limit 50 → {costs[50]}")
    assert costs[2] == costs[50], "no statement per bid (names, numbers, labels)"


def test_a_poll_of_an_unchanged_auction_gets_304_after_one_statement(
    client: FlaskClient, market: Market, clock
) -> None:
    """A leader watching the price: 304 while nothing changed, the new state once outbid."""
    alpha, beta = market.bidder(), market.bidder()
    bidding.place_bid(alpha, market.auction.id, START, now=clock())
    url = f"/api/v1/auctions/{market.auction.id}"
    headers = bearer(alpha, clock())
    first = client.get(url, headers=headers)
    etag = first.headers["ETag"]
    statements: list[str] = []

    def note(*args: object) -> None:
        statements.append(str(args[2]))

    clock.advance(seconds=5)
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        again = client.get(url, headers={**headers, "If-None-Match": etag})
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert again.status_code == 304 and again.headers["ETag"] == etag
    state_reads = [sql for sql in statements if "FROM auctions" in sql]
    assert len(state_reads) == 1  # one small read of the state; no bids, listing, deposit
    assert not any("FROM bids" in sql or "FROM api_tokens" in sql for sql in statements)
    bidding.place_bid(beta, market.auction.id, START + INC, now=clock())
    outbid = client.get(url, headers={**headers, "If-None-Match": etag})
    assert outbid.status_code == 200 and outbid.headers["ETag"] != etag
    assert outbid.json["standing"] == "outbid"
    as_beta = client.get(url, headers={**bearer(beta, clock()), "If-None-Match": etag})
    assert as_beta.status_code == 200  # another caller's tag never stands for this one's


def test_a_bids_answer_carries_the_etag_a_leaders_poll_sends_back(
    client: FlaskClient, market: Market, clock
) -> None:
    """The bidder watches from its bid's answer: 304 until someone outbids it."""
    alpha, beta = market.bidder(), market.bidder()
    url = f"/api/v1/auctions/{market.auction.id}"
    as_alpha, as_beta = bearer(alpha, clock()), bearer(beta, clock())
    placed = client.post(f"{url}/bids", json={"amount_minor": START}, headers=as_alpha)
    assert placed.status_code == 201 and placed.json["leading"]
    etag = placed.json["auction_etag"]
    watch = client.get(url, headers={**as_alpha, "If-None-Match": etag})
    assert watch.status_code == 304 and watch.headers["ETag"] == etag
    outbidding = client.post(f"{url}/bids", json={"amount_minor": START + INC}, headers=as_beta)
    assert outbidding.status_code == 201
    assert client.get(url, headers={**as_beta, "If-None-Match": etag}).status_code == 200
    outbid = client.get(url, headers={**as_alpha, "If-None-Match": etag})
    assert outbid.status_code == 200 and outbid.json["standing"] == "outbid"
    beta_watch = {**as_beta, "If-None-Match": outbidding.json["auction_etag"]}
    assert client.get(url, headers=beta_watch).status_code == 304


def test_a_leaders_304_polls_leave_the_kept_read_whole(
    app, client: FlaskClient, market: Market, clock
) -> None:
    """A poll answered 304 from the state's tag keeps no empty answer: the same caller's
    next read without If-None-Match gets the auction, not an empty 200."""
    alpha = market.bidder()
    url = f"/api/v1/auctions/{market.auction.id}"
    as_alpha = bearer(alpha, clock())
    placed = client.post(f"{url}/bids", json={"amount_minor": START}, headers=as_alpha)
    app.config["API_READ_CACHE_SECONDS"] = 60.0
    try:
        watch = {**as_alpha, "If-None-Match": placed.json["auction_etag"]}
        assert client.get(url, headers=watch).status_code == 304
        assert client.get(url, headers=watch).status_code == 304
        whole = client.get(url, headers=as_alpha)
        assert whole.status_code == 200 and whole.json["standing"] == "leading"
        assert client.get(url, headers=watch).status_code == 304  # the kept one's tag too
    finally:
        app.config["API_READ_CACHE_SECONDS"] = 0.0


def test_a_bid_shows_at_once_in_the_kept_api_reads_of_its_worker(
    app, client: FlaskClient, market: Market, clock
) -> None:
    """The bid writes through a plain connection: its commit still empties the cache."""
    alpha = market.bidder()
    url = f"/api/v1/auctions/{market.auction.id}"
    as_alpha = bearer(alpha, clock())
    client.post("/api/v1/tokens/ping", json={}, headers=as_alpha)  # its use noted: no write
    app.config["API_READ_CACHE_SECONDS"] = 60.0
    try:
        assert client.get(url, headers=as_alpha).json["standing"] == "not_bidding"
        placed = client.post(f"{url}/bids", json={"amount_minor": START}, headers=as_alpha)
        assert placed.status_code == 201
        assert client.get(url, headers=as_alpha).json["standing"] == "leading"
    finally:
        app.config["API_READ_CACHE_SECONDS"] = 0.0
