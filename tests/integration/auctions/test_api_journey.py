"""An auction walked by API alone: announcement, review, deposits by bank, bids, close, deal."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient

from auctions import jobs
from listings.rules import ListingStatus
from tests import factories

START, INC = 1_000_000, 50_000


def bearer(user: Any, now: Any) -> dict[str, str]:
    return {"Authorization": "Bearer " + factories.api_token(user, "api", now=now)}


def pay_deposit_by_bank(client: FlaskClient, token: dict[str, str], auction_id: int) -> int:
    """Join the auction and upload the bank receipt quoting the deposit's reference."""
    joined = client.post(f"/api/v1/auctions/{auction_id}/join", headers=token)
    assert joined.status_code == 201, joined.json
    deposit = joined.json
    assert deposit["status"] == "required" and deposit["allowed_actions"] == ["upload_receipt"]
    assert deposit["amount_minor"] == START // 10 == deposit["transfer"]["amount_minor"]
    sent = client.post(
        f"/api/v1/deposits/{deposit['id']}/receipt",
        headers=token,
        data={
            "bank_reference": deposit["transfer"]["reference"],
            "receipt": (io.BytesIO(factories.PDF_BYTES), "回单.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert sent.status_code == 200, sent.json
    assert sent.json["status"] == "receipt_submitted"
    return int(deposit["id"])


def test_an_auction_from_announcement_to_deal_by_api_alone(
    client: FlaskClient, db_session, clock, upload_folder
) -> None:
    t0 = clock()
    reviewer = factories.platform_reviewer(t0)
    seller = factories.seller(t0, reviewer=reviewer)
    listing = factories.listing(
        seller, t0, status=ListingStatus.PUBLISHED, folder=upload_folder, reviewer=reviewer
    )
    alpha, beta = factories.enterprise(t0), factories.enterprise(t0)
    as_seller, as_reviewer = bearer(seller, t0), bearer(reviewer, t0)
    as_alpha, as_beta = bearer(alpha, t0), bearer(beta, t0)
    starts = t0 + timedelta(days=8)

    created = client.post(
        "/api/v1/auctions/",
        headers=as_seller,
        json={
            "listing_id": listing.id,
            "starting_price_minor": START,
            "increment_minor": INC,
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=48)).isoformat(),
            "deposit_bps": 1000,
        },
    )
    assert created.status_code == 201, created.json
    auction_id = created.json["id"]
    assert created.json["status"] == "pending_review"
    assert client.get(f"/api/v1/auctions/{auction_id}", headers=as_alpha).status_code == 404

    queue = client.get("/api/v1/auctions/announcements", headers=as_reviewer).json["items"]
    assert [item["auction_id"] for item in queue] == [auction_id]
    seen = client.get(f"/api/v1/auctions/{auction_id}", headers=as_reviewer).json
    assert {"approve_announcement", "refuse_announcement"} <= set(seen["allowed_actions"])
    approved = client.post(
        f"/api/v1/auctions/{auction_id}/announcement/approve", headers=as_reviewer
    )
    assert approved.status_code == 200 and approved.json["status"] == "upcoming"

    assert (
        "join"
        in client.get(f"/api/v1/auctions/{auction_id}", headers=as_alpha).json["allowed_actions"]
    )
    deposit_ids = [pay_deposit_by_bank(client, token, auction_id) for token in (as_alpha, as_beta)]
    waiting = client.get("/api/v1/deposits/queue", headers=as_reviewer).json["items"]
    assert [d["id"] for d in waiting] == deposit_ids
    for deposit_id in deposit_ids:
        confirmed = client.post(f"/api/v1/deposits/{deposit_id}/confirm", headers=as_reviewer)
        assert confirmed.status_code == 200 and confirmed.json["status"] == "held"

    clock.current = starts + timedelta(minutes=1)
    mine = client.get(f"/api/v1/auctions/{auction_id}", headers=as_alpha).json
    assert mine["status"] == "running" and "bid" in mine["allowed_actions"]
    assert mine["my_bidder_number"] is not None and mine["my_deposit_status"] == "held"
    bids_url = f"/api/v1/auctions/{auction_id}/bids"
    assert client.post(bids_url, json={"amount_minor": START}, headers=as_alpha).status_code == 201
    outbid = client.post(bids_url, json={"amount_minor": START + INC}, headers=as_beta)
    assert outbid.status_code == 201
    assert client.get(f"/api/v1/auctions/{auction_id}", headers=as_alpha).json["standing"] == (
        "outbid"
    )

    clock.current = starts + timedelta(hours=48, seconds=1)
    assert jobs.close_due(now=clock()) == 1  # the close job, on the injected clock
    closed = client.get(f"/api/v1/auctions/{auction_id}", headers=as_beta).json
    assert closed["status"] == "closed" and closed["standing"] == "won"
    assert closed["current_price_minor"] == START + INC and closed["allowed_actions"] == ["watch"]
    deals = client.get("/api/v1/deals/", headers=as_beta).json
    assert [(d["listing_id"], d["price_minor"]) for d in deals] == [(listing.id, START + INC)]
    states = {
        d["id"]: d["status"]
        for d in client.get("/api/v1/deposits/", headers=as_alpha).json["items"]
    }
    assert states == {deposit_ids[0]: "released"}, "the loser's deposit is released"
