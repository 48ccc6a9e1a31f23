"""Deposits by API: read with their state and transfer, upload a receipt, a reviewer decides."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from core.uow import unit_of_work
from core.workdays import WorkCalendar
from listings.rules import ListingStatus
from tests import factories
from tests.integration.auctions.conftest import Market, make_market
from trading import listed_sales

EN = {"Accept-Language": "en"}


@pytest.fixture
def market(db_session: object, clock: Any, upload_folder: Path) -> Market:
    """A running auction of a university, with a reviewer."""
    return make_market(clock(), upload_folder)


def bearer(user: Any, now: Any) -> dict[str, str]:
    return {"Authorization": "Bearer " + factories.api_token(user, "dep", now=now), **EN}


def joined(client: FlaskClient, market: Market, token: dict[str, str]) -> dict[str, Any]:
    response = client.post(f"/api/v1/auctions/{market.auction.id}/join", headers=token)
    assert response.status_code == 201
    return dict(response.json)


def upload(
    client: FlaskClient, deposit_id: int, token: dict[str, str], reference: str, data: bytes
) -> Any:
    return client.post(
        f"/api/v1/deposits/{deposit_id}/receipt",
        headers=token,
        data={"bank_reference": reference, "receipt": (io.BytesIO(data), "回单.pdf")},
        content_type="multipart/form-data",
    )


def test_deposit_shows_its_state_and_the_transfer_to_make_to_its_owner_only(
    client: FlaskClient, market: Market, clock
) -> None:
    bidder = factories.enterprise(clock())
    token = bearer(bidder, clock())
    deposit = joined(client, market, token)
    assert deposit["transfer"]["reference"] == (f"AUC-{market.auction.id}-{bidder.organisation_id}")
    assert deposit["context_type"] == "auction" and deposit["context_id"] == market.auction.id
    assert deposit["period_ends_at"] is not None
    mine = client.get("/api/v1/deposits/", headers=token).json["items"]
    assert [(d["id"], d["status"]) for d in mine] == [(deposit["id"], "required")]
    url = f"/api/v1/deposits/{deposit['id']}"
    assert client.get(url, headers=token).json == deposit
    stranger = bearer(factories.enterprise(clock()), clock())
    assert client.get(url, headers=stranger).status_code == 404
    assert client.get("/api/v1/deposits/", headers=stranger).json["items"] == []
    assert client.get(url).status_code == 401
    seen = client.get(url, headers=bearer(market.reviewer, clock())).json
    assert seen["allowed_actions"] == [], "nothing to decide before a receipt"


def test_receipt_upload_checks_the_reference_and_the_owner(
    client: FlaskClient, market: Market, clock
) -> None:
    bidder = factories.enterprise(clock())
    token = bearer(bidder, clock())
    deposit = joined(client, market, token)
    wrong = upload(client, deposit["id"], token, "AUC-1-1", factories.PDF_BYTES)
    assert wrong.status_code == 422 and "bank_reference" in wrong.json["errors"]
    reference = deposit["transfer"]["reference"]
    stranger = bearer(factories.enterprise(clock()), clock())
    assert (
        upload(client, deposit["id"], stranger, reference, factories.PDF_BYTES).status_code == 404
    )
    not_a_document = upload(client, deposit["id"], token, reference, b"MZ\x90\x00 not a pdf")
    assert not_a_document.status_code == 422
    sent = upload(client, deposit["id"], token, reference, factories.PDF_BYTES)
    assert sent.status_code == 200 and sent.json["status"] == "receipt_submitted"
    assert sent.json["receipt_name"] == "回单.pdf"
    file_url = f"/api/v1/deposits/{deposit['id']}/receipt"
    mine = client.get(file_url, headers=token)
    assert mine.status_code == 200 and mine.data == factories.PDF_BYTES
    assert mine.headers["Content-Type"] == "application/pdf"
    assert client.get(file_url, headers=bearer(market.reviewer, clock())).status_code == 200
    assert client.get(file_url, headers=stranger).status_code == 404
    missing = client.post(
        f"/api/v1/deposits/{deposit['id']}/receipt",
        headers=token,
        data={"bank_reference": reference},
        content_type="multipart/form-data",
    )
    assert missing.status_code == 422 and "receipt" in missing.json["errors"]


def test_reviewer_rejects_with_a_reason_then_confirms_the_second_receipt(
    client: FlaskClient, market: Market, clock
) -> None:
    bidder = factories.enterprise(clock())
    token, as_reviewer = bearer(bidder, clock()), bearer(market.reviewer, clock())
    deposit = joined(client, market, token)
    reference = deposit["transfer"]["reference"]
    upload(client, deposit["id"], token, reference, factories.PDF_BYTES)
    url = f"/api/v1/deposits/{deposit['id']}"
    assert client.post(f"{url}/confirm", headers=token).status_code == 403
    assert client.get("/api/v1/deposits/queue", headers=token).status_code == 403
    queued = client.get("/api/v1/deposits/queue", headers=as_reviewer).json["items"]
    assert [d["id"] for d in queued] == [deposit["id"]]
    assert queued[0]["allowed_actions"] == ["confirm", "reject"]
    no_reason = client.post(f"{url}/reject", json={}, headers=as_reviewer)
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]
    rejected = client.post(
        f"{url}/reject", json={"reason": "流水中未见此笔转账。"}, headers=as_reviewer
    )
    assert rejected.status_code == 200 and rejected.json["status"] == "required"
    told = client.get(url, headers=token).json
    assert told["rejection_reason"] == "流水中未见此笔转账。"
    assert told["allowed_actions"] == ["upload_receipt"]
    early = client.post(f"{url}/confirm", headers=as_reviewer)
    assert early.status_code == 409 and early.json["code"] == "receipt_not_submitted"
    upload(client, deposit["id"], token, reference, factories.PDF_BYTES)
    held = client.post(f"{url}/confirm", headers=as_reviewer)
    assert held.status_code == 200 and held.json["status"] == "held"
    room = client.get(f"/api/v1/auctions/{market.auction.id}", headers=token).json
    assert room["my_bidder_number"] is not None and "bid" in room["allowed_actions"]
    late = upload(client, deposit["id"], token, reference, factories.PDF_BYTES)
    assert late.status_code == 409 and late.json["code"] == "receipt_not_expected"


def test_a_listed_sales_deposit_is_read_and_paid_the_same_way(
    client: FlaskClient, db_session, clock, upload_folder
) -> None:
    reviewer = factories.platform_reviewer(clock())
    seller = factories.seller(clock(), reviewer=reviewer)
    listing = factories.listing(
        seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder, reviewer=reviewer
    )
    with unit_of_work():
        sale = listed_sales.start_listed_sale(
            seller,
            listing.id,
            asking_price_minor=50_000_000,
            working_days=20,
            now=clock(),
            calendar=WorkCalendar(),
        )
    buyer = factories.enterprise(clock())
    token = bearer(buyer, clock())
    intent = client.post(f"/api/v1/sales/{sale.id}/intents", headers=token)
    assert intent.status_code == 201
    deposit = client.get(f"/api/v1/deposits/{intent.json['deposit_id']}", headers=token).json
    assert deposit["context_type"] == "listed_sale" and deposit["status"] == "required"
    assert deposit["transfer"]["reference"].endswith(f"-{sale.id}-{buyer.organisation_id}")
    sent = upload(
        client, deposit["id"], token, deposit["transfer"]["reference"], factories.PDF_BYTES
    )
    assert sent.status_code == 200 and sent.json["status"] == "receipt_submitted"
