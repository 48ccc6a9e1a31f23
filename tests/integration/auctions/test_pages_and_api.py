"""The auction pages, the live feed and the REST API, through HTTP."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import func, select

from auctions import bidders, bidding, jobs
from auctions.models import Auction, AuctionStatus, Bid
from core.clock import as_utc
from core.extensions import db
from listings.rules import ListingStatus
from payments.models import Deposit, DepositStatus
from tests import factories

from .conftest import INC, START, Market

EN = {"Accept-Language": "en"}


def sign_in(client: FlaskClient, email: str) -> None:
    response = client.post("/signin", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302


def bid_count(auction_id: int) -> int:
    return db.session.scalar(select(func.count()).where(Bid.auction_id == auction_id))


# --- pages --------------------------------------------------------------------------------


def test_auction_list_shows_running_and_results_with_empty_states(
    client: FlaskClient, market: Market, clock
) -> None:
    running = client.get("/auctions", headers=EN).get_data(as_text=True)
    assert market.listing.title() in running
    assert "No auction has closed yet." in client.get(
        "/auctions?status=closed", headers=EN
    ).get_data(as_text=True)
    assert "No auction is announced yet." in client.get(
        "/auctions?status=upcoming", headers=EN
    ).get_data(as_text=True)
    bidder = market.bidder()
    bidding.place_bid(bidder, market.auction.id, START, now=clock())
    clock.current = as_utc(market.auction.ends_at)
    results = client.get("/auctions?status=closed", headers=EN).get_data(as_text=True)  # close job
    number = bidders.number_of(market.auction.id, bidder.organisation_id)
    assert market.listing.title() in results and f"Bidder {number}" in results
    assert bidder.organisation.name not in results, "the public sees the buyer's number"
    assert "Sold" in results


def test_reading_an_ended_auction_never_closes_it_the_job_does(
    client: FlaskClient, market: Market, clock, queued_jobs
) -> None:
    bidder = market.bidder()
    bidding.place_bid(bidder, market.auction.id, START, now=clock())
    clock.current = as_utc(market.auction.ends_at) + timedelta(seconds=1)

    page = client.get(f"/auctions/{market.auction.id}", headers=EN).get_data(as_text=True)
    api = client.get(f"/api/v1/auctions/{market.auction.id}").get_json()
    results = client.get("/auctions?status=closed", headers=EN).get_data(as_text=True)

    status_badge = 'data-field="status">{}</span>'
    assert status_badge.format("Ended, closing") in page and api["status"] == "closing"
    assert market.listing.title() in results and "Ended, closing" in results
    assert db.session.get(Auction, market.auction.id).status == AuctionStatus.RUNNING
    assert queued_jobs.pending_count() >= 1, "the pages asked the job runner to close it"

    assert jobs.close_due(now=clock()) == 1  # what the worker runs
    page = client.get(f"/auctions/{market.auction.id}", headers=EN).get_data(as_text=True)
    assert status_badge.format("Sold") in page


def test_room_for_visitor_seller_and_bidders_in_each_deposit_state(
    client: FlaskClient, market: Market, clock
) -> None:
    url = f"/auctions/{market.auction.id}"
    page = client.get(url, headers=EN).get_data(as_text=True)
    assert "Sign in to bid" in page and "¥10,000.00" in page and "auction.js" in page
    sign_in(client, market.seller.email)
    assert "the seller cannot bid" in client.get(url, headers=EN).get_data(as_text=True)
    client.post("/signout")

    bidder = market.bidder(held=False)
    sign_in(client, bidder.email)
    assert "Lodge the deposit to bid" in client.get(url, headers=EN).get_data(as_text=True)
    assert client.post(f"{url}/join").status_code == 302
    page = client.get(url, headers=EN).get_data(as_text=True)
    assert "Upload receipt" in page and "¥1,000.00" in page
    missing = client.post(f"{url}/deposit", data={"bank_reference": "REF"}, headers=EN)
    assert missing.status_code == 422 and "Choose a file to upload." in missing.get_data(
        as_text=True
    )
    reference = f"AUC-{market.auction.id}-{bidder.organisation_id}"  # as the page says
    uploaded = client.post(
        f"{url}/deposit",
        data={"bank_reference": reference, "file": (io.BytesIO(factories.PDF_BYTES), "回单.pdf")},
        content_type="multipart/form-data",
    )
    assert uploaded.status_code == 302
    assert "Awaiting confirmation" in client.get(url, headers=EN).get_data(as_text=True)
    deposit = db.session.scalars(
        select(Deposit).where(Deposit.org_id == bidder.organisation_id)
    ).one()
    assert client.get(f"/auctions/deposits/{deposit.id}/receipt").status_code == 200
    client.post("/signout")

    stranger = factories.seller(clock())
    sign_in(client, stranger.email)
    assert client.get(f"/auctions/deposits/{deposit.id}/receipt").status_code == 404
    assert client.get("/auctions/deposits/queue").status_code == 403
    client.post("/signout")

    sign_in(client, market.reviewer.email)
    queue = client.get("/auctions/deposits/queue", headers=EN).get_data(as_text=True)
    assert reference in queue and market.listing.title() in queue
    assert client.get(f"/auctions/deposits/{deposit.id}/receipt").status_code == 200
    client.post(f"/auctions/deposits/{deposit.id}/confirm")
    assert db.session.get(Deposit, deposit.id).status == DepositStatus.HELD
    client.post("/signout")

    sign_in(client, bidder.email)
    page = client.get(url, headers=EN).get_data(as_text=True)
    assert "Deposit held" in page and 'value="10000.00"' in page  # the minimum pre-filled


def test_reviewer_rejects_a_receipt_with_a_reason_the_bidder_sees(
    client: FlaskClient, market: Market, clock
) -> None:
    bidder = market.bidder(held=False)
    sign_in(client, bidder.email)
    client.post(
        f"/auctions/{market.auction.id}/deposit",
        data={
            "bank_reference": f"AUC-{market.auction.id}-{bidder.organisation_id}",
            "file": (io.BytesIO(factories.PDF_BYTES), "r.pdf"),
        },
        content_type="multipart/form-data",
    )
    client.post("/signout")
    deposit = db.session.scalars(select(Deposit)).one()
    sign_in(client, market.reviewer.email)
    client.post(f"/auctions/deposits/{deposit.id}/reject", data={"reason": "Amount is short"})
    client.post("/signout")
    sign_in(client, bidder.email)
    page = client.get(f"/auctions/{market.auction.id}", headers=EN).get_data(as_text=True)
    assert "Amount is short" in page and "Upload receipt" in page


def test_bid_form_errors_are_clear_and_change_nothing(
    client: FlaskClient, market: Market, clock
) -> None:
    url = f"/auctions/{market.auction.id}"
    alpha, beta = market.bidder(), market.bidder()
    sign_in(client, alpha.email)
    ok = client.post(f"{url}/bids", data={"amount": "10,000.00", "max": ""})
    assert ok.status_code == 302
    client.post("/signout")
    sign_in(client, beta.email)
    low = client.post(f"{url}/bids", data={"amount": "10,100"}, headers=EN)
    assert low.status_code == 409
    assert "at least one increment above the current price: ¥10,500.00" in low.get_data(
        as_text=True
    )
    junk = client.post(f"{url}/bids", data={"amount": "lots"}, headers=EN)
    assert junk.status_code == 422 and "is not an amount" in junk.get_data(as_text=True)
    assert bid_count(market.auction.id) == 1
    client.post("/signout")

    outsider = market.bidder(held=False)
    sign_in(client, outsider.email)
    no_deposit = client.post(f"{url}/bids", data={"amount": "10,500"}, headers=EN)
    assert no_deposit.status_code == 403
    assert "Your deposit must be held before you can bid" in no_deposit.get_data(as_text=True)
    client.post("/signout")

    sign_in(client, market.seller.email)
    seller = client.post(f"{url}/bids", data={"amount": "10,500"}, headers=EN)
    assert seller.status_code == 403
    assert "The seller cannot bid on its own auction." in seller.get_data(as_text=True)
    client.post("/signout")

    clock.current = as_utc(market.auction.ends_at)
    sign_in(client, beta.email)
    closed = client.post(f"{url}/bids", data={"amount": "10,500"}, headers=EN)
    assert closed.status_code == 409
    assert "This auction has ended; no more bids are taken." in closed.get_data(as_text=True)
    assert bid_count(market.auction.id) == 1
    db.session.expire_all()
    assert db.session.get(Auction, market.auction.id).status == AuctionStatus.CLOSED


def test_bid_form_in_chinese(client: FlaskClient, market: Market) -> None:
    bidder = market.bidder()
    sign_in(client, bidder.email)
    response = client.post(
        f"/auctions/{market.auction.id}/bids",
        data={"amount": "10,000", "max": "12,000"},
        headers={"Accept-Language": "zh-CN"},
    )
    assert response.status_code == 302
    auction = db.session.get(Auction, market.auction.id)
    assert auction.current_price_minor == START and auction.leader_org_id == bidder.organisation_id


def test_seller_form_creates_an_auction(
    client: FlaskClient, db_session, clock, upload_folder
) -> None:
    seller = factories.seller(clock())
    listing = factories.listing(
        seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder
    )
    sign_in(client, seller.email)
    url = f"/listings/{listing.id}/auction/new"
    form_page = client.get(url, headers=EN).get_data(as_text=True)
    assert "Submit the announcement" in form_page and 'value="500000.00"' in form_page
    data = {
        "starting_price": "500,000",
        "increment": "5,000",
        "reserve_price": "",
        "starts_at": "2026-03-10T09:30",
        "ends_at": "2026-03-11T09:00",
        "deposit_percent": "10",
    }
    # Now is 2026-03-02 09:30 in Shanghai: the announcement runs 7 days before bidding.
    soon = client.post(
        url,
        data={**data, "starts_at": "2026-03-09T09:29", "ends_at": "2026-03-12T09:30"},
        headers=EN,
    )
    assert soon.status_code == 422
    assert "no sooner than 7 days after the announcement" in soon.get_data(as_text=True)
    short = client.post(url, data=data, headers=EN)
    assert short.status_code == 422 and "at least 24 hours" in short.get_data(as_text=True)
    wrong_rate = client.post(
        url, data={**data, "ends_at": "2026-03-12T09:30", "deposit_percent": "30"}, headers=EN
    )
    assert wrong_rate.status_code == 422 and "between 5 and 20 percent" in wrong_rate.get_data(
        as_text=True
    )
    assert db.session.scalar(select(func.count()).select_from(Auction)) == 0
    created = client.post(url, data={**data, "ends_at": "2026-03-12T09:30"})
    assert created.status_code == 302
    auction = db.session.scalars(select(Auction)).one()
    assert (auction.starting_price_minor, auction.increment_minor, auction.deposit_bps) == (
        50_000_000,
        500_000,
        1000,
    )
    assert as_utc(auction.ends_at).isoformat() == "2026-03-12T01:30:00+00:00"  # Asia/Shanghai
    assert auction.status == AuctionStatus.PENDING_REVIEW  # a draft announcement
    stranger = factories.seller(clock())
    client.post("/signout")
    sign_in(client, stranger.email)
    assert client.get(url).status_code == 404


def test_failed_auction_tells_the_seller_who_bid_highest(
    client: FlaskClient, db_session, clock, upload_folder
) -> None:
    from .conftest import make_market

    market = make_market(clock(), upload_folder, reserve=START + 20 * INC)
    bidder = market.bidder(name="宁波某某科技有限公司")
    bidding.place_bid(bidder, market.auction.id, START, now=clock())
    clock.current = as_utc(market.auction.ends_at)
    jobs.close_due(now=clock())
    sign_in(client, market.seller.email)
    page = client.get(f"/auctions/{market.auction.id}", headers=EN).get_data(as_text=True)
    assert "The reserve price was not met." in page and "宁波某某科技有限公司" in page


def test_live_feed_sends_a_snapshot_then_ends_when_closed(
    app, client: FlaskClient, market: Market, clock
) -> None:
    bidder = market.bidder()
    bidding.place_bid(bidder, market.auction.id, START, now=clock())
    app.config.update(AUCTION_SSE_MAX_SECONDS=0, AUCTION_SSE_POLL_SECONDS=0)
    try:
        response = client.get(f"/auctions/{market.auction.id}/events")
        assert response.mimetype == "text/event-stream"
        body = response.get_data(as_text=True)
        data = json.loads(body.split("event: snapshot\ndata: ", 1)[1].split("\n\n", 1)[0])
        assert data["current_price_minor"] == START and data["bid_count"] == 1
        assert data["seconds_left"] > 0
        assert data["leader_name"] is None and data["leader_number"] is not None  # 竞买号
        assert bidder.organisation.name not in body
        clock.current = as_utc(market.auction.ends_at)
        body = client.get(f"/auctions/{market.auction.id}/events").get_data(as_text=True)
        assert '"status": "closed"' in body and "event: end" in body
    finally:
        app.config.update(AUCTION_SSE_MAX_SECONDS=300, AUCTION_SSE_POLL_SECONDS=1.0)
    assert client.get("/auctions/999999/events").status_code == 404


# --- API ----------------------------------------------------------------------------------


def test_api_lists_and_shows_auctions_without_the_reserve(
    client: FlaskClient, db_session, clock, upload_folder
) -> None:
    from .conftest import make_market

    market = make_market(clock(), upload_folder, reserve=START + 4 * INC)
    listing = client.get("/api/v1/auctions/").get_json()
    assert [item["id"] for item in listing["items"]] == [market.auction.id]
    one = client.get(f"/api/v1/auctions/{market.auction.id}").get_json()
    assert one["minimum_next_bid_minor"] == START and one["reserve_met"] is False
    assert "reserve_price_minor" not in one and START + 4 * INC not in one.values()
    assert client.get("/api/v1/auctions/424242").status_code == 404


def test_api_bid_with_a_token(client: FlaskClient, market: Market, clock) -> None:
    alpha, beta = market.bidder(), market.bidder()
    url = f"/api/v1/auctions/{market.auction.id}/bids"
    assert client.post(url, json={"amount_minor": START}).status_code == 401
    token_a = {"Authorization": "Bearer " + factories.api_token(alpha, "bot", now=clock())}
    token_b = {"Authorization": "Bearer " + factories.api_token(beta, "bot", now=clock())}
    first = client.post(
        url, json={"amount_minor": START, "max_minor": START + 3 * INC}, headers=token_a
    )
    assert first.status_code == 201 and first.get_json()["leading"] is True
    outbid = client.post(url, json={"amount_minor": START + INC}, headers=token_b)
    body = outbid.get_json()
    assert outbid.status_code == 201 and body["leading"] is False
    assert [b["amount_minor"] for b in body["bids"]] == [START + INC, START + 2 * INC]
    assert [b["mine"] for b in body["bids"]] == [True, False]  # alpha's proxy answered
    assert "bidder_org_id" not in body["bids"][1]
    low = client.post(url, json={"amount_minor": START + INC}, headers={**token_b, **EN})
    assert low.status_code == 409
    assert low.get_json()["code"] == "bid_below_increment"
    assert low.get_json()["minimum_next_bid_minor"] == START + 3 * INC
    bad = client.post(url, json={"amount_minor": "lots"}, headers=token_b)
    assert bad.status_code == 422
    seller_token = {
        "Authorization": "Bearer " + factories.api_token(market.seller, "s", now=clock())
    }
    seller = client.post(url, json={"amount_minor": START + 5 * INC}, headers=seller_token)
    assert seller.status_code == 403 and seller.get_json()["code"] == "seller_cannot_bid"
    assert bid_count(market.auction.id) == 3
    clock.current = as_utc(market.auction.ends_at)
    late = client.post(url, json={"amount_minor": START + 5 * INC}, headers=token_b)
    assert late.status_code == 409 and late.get_json()["code"] == "auction_not_running"
    db.session.expire_all()
    assert db.session.get(Auction, market.auction.id).status == AuctionStatus.CLOSED
    assert bid_count(market.auction.id) == 3


def test_api_session_cookie_does_not_authorise_a_bid(client: FlaskClient, market: Market) -> None:
    bidder = market.bidder()
    sign_in(client, bidder.email)
    response = client.post(
        f"/api/v1/auctions/{market.auction.id}/bids", json={"amount_minor": START}
    )
    assert response.status_code == 401 and bid_count(market.auction.id) == 0


def test_openapi_documents_the_auction_endpoints(client: FlaskClient, db_session) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    assert "/api/v1/auctions/" in paths and "/api/v1/auctions/{auction_id}" in paths
    assert "post" in paths["/api/v1/auctions/{auction_id}/bids"]
    assert "BidIn" in spec["components"]["schemas"]


def test_cli_close_due_prints_how_many_closed(app, market: Market, clock) -> None:
    clock.current = as_utc(market.auction.ends_at) + timedelta(seconds=1)
    result = app.test_cli_runner().invoke(args=["auctions", "close-due"])
    assert result.exit_code == 0 and "1 auction(s) closed" in result.output
    assert db.session.get(Auction, market.auction.id).status == AuctionStatus.FAILED
