"""The whole trading journey by API alone, as an integrator meets it.

A university and two enterprises sign up and take their first tokens by API; a reviewer
(a platform account, made by the CLI: here a factory) verifies them, reviews the
listing's ownership and the auction's announcement, confirms deposits and the price's
bank transfer and pays the seller out. Nothing but HTTP requests moves the market; only
the clock is turned by the test and the closing job runs on it.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

from flask.testing import FlaskClient

from auctions import jobs
from tests import factories
from tests.conftest import FrozenClock

START, INC = 2_000_000, 100_000
EN = {"Accept-Language": "en"}


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **EN}


def _sign_up(client: FlaskClient, email: str, org: str, kind: str) -> tuple[dict[str, str], int]:
    """Sign up with a new organisation, then take the first token with the password."""
    signed_up = client.post(
        "/api/v1/accounts/",
        json={
            "email": email,
            "name": "接口用户",
            "password": factories.PASSWORD,
            "org_name": org,
            "kind": kind,
            "credit_code": factories.credit_code(),
            "region": "上海市",
        },
        headers=EN,
    )
    assert signed_up.status_code == 201, signed_up.get_json()
    issued = client.post(
        "/api/v1/tokens/",
        json={"name": "integration", "email": email, "password": factories.PASSWORD},
        headers=EN,
    )
    assert issued.status_code == 201, issued.get_json()
    return _bearer(issued.get_json()["secret"]), signed_up.get_json()["organisation"]["id"]


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.get_json())
    return response.get_json()


def _published_listing(client: FlaskClient, seller: dict, reviewer: dict) -> int:
    listing = _ok(
        client.post(
            "/api/v1/listings/",
            json={
                "title_zh": "一种钠离子电池正极材料及其制备方法",
                "title_en": "A sodium-ion battery cathode material and its preparation",
                "field": "energy",
                "trl": 6,
                "holder": "旅程大学",
                "region": "上海市",
                "transfer_modes": ["assignment"],
                "asking_price_minor": 3_000_000,
                "ip_assets": [{"kind": "cn_application", "number": "201510123456.1"}],
            },
            headers=seller,
        ),
        201,
    )
    evidence = client.post(
        f"/api/v1/listings/{listing['id']}/evidence",
        data={"kind": "certificate", "file": (io.BytesIO(factories.PDF_BYTES), "证书.pdf")},
        content_type="multipart/form-data",
        headers=seller,
    )
    _ok(evidence, 201)
    _ok(client.post(f"/api/v1/listings/{listing['id']}/submit", headers=seller))
    confirm = f"/api/v1/listings/{listing['id']}/ownership/confirm"
    _ok(client.post(confirm, json={"reason": "证书与登记簿一致。"}, headers=reviewer))
    published = _ok(client.post(f"/api/v1/listings/{listing['id']}/publish", headers=seller))
    assert published["status"] == "published"
    return int(listing["id"])


def _announced_auction(
    client: FlaskClient, seller: dict, reviewer: dict, listing_id: int, starts: datetime
) -> int:
    body = {
        "listing_id": listing_id,
        "starting_price_minor": START,
        "increment_minor": INC,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=48)).isoformat(),
        "deposit_bps": 1000,
    }
    created = _ok(client.post("/api/v1/auctions/", json=body, headers=seller), 201)
    assert created["status"] == "pending_review"
    approve = f"/api/v1/auctions/{created['id']}/announcement/approve"
    assert _ok(client.post(approve, headers=reviewer))["status"] == "upcoming"
    return int(created["id"])


def _deposit_by_bank(client: FlaskClient, bidder: dict, reviewer: dict, auction_id: int) -> int:
    deposit = _ok(client.post(f"/api/v1/auctions/{auction_id}/join", headers=bidder), 201)
    receipt = client.post(
        f"/api/v1/deposits/{deposit['id']}/receipt",
        data={
            "bank_reference": deposit["transfer"]["reference"],
            "receipt": (io.BytesIO(factories.PDF_BYTES), "保证金回单.pdf"),
        },
        content_type="multipart/form-data",
        headers=bidder,
    )
    assert _ok(receipt)["status"] == "receipt_submitted"
    confirmed = _ok(client.post(f"/api/v1/deposits/{deposit['id']}/confirm", headers=reviewer))
    assert confirmed["status"] == "held"
    return int(deposit["id"])


def _pay_by_bank(client: FlaskClient, buyer: dict, reviewer: dict, deal_id: int) -> int:
    flow = _ok(client.get(f"/api/v1/payments/deals/{deal_id}", headers=buyer))
    assert 0 < flow["due_minor"] < flow["price_minor"], "the deposit counts towards the price"
    payment = client.post(
        f"/api/v1/payments/deals/{deal_id}/bank",
        data={
            "amount_minor": str(flow["due_minor"]),
            "bank_reference": flow["transfer_reference"],
            "receipt": (io.BytesIO(factories.PDF_BYTES), "价款回单.pdf"),
        },
        content_type="multipart/form-data",
        headers=buyer,
    )
    payment_id = _ok(payment, 201)["id"]
    _ok(client.post(f"/api/v1/payments/payments/{payment_id}/confirm", headers=reviewer))
    return int(flow["due_minor"])


def test_the_whole_trading_journey_by_api_alone(
    client: FlaskClient, clock: FrozenClock, upload_folder: Any
) -> None:
    reviewer = _bearer(
        factories.api_token(factories.platform_reviewer(clock()), "desk", now=clock())
    )
    seller, university = _sign_up(client, "tto@journey.edu.cn", "旅程大学", "university")
    alpha, alpha_org = _sign_up(client, "buyer@alpha.example.com", "甲科技有限公司", "enterprise")
    beta, beta_org = _sign_up(client, "buyer@beta.example.com", "乙科技有限公司", "enterprise")
    for org_id in (university, alpha_org, beta_org):
        _ok(client.post(f"/api/v1/organisations/{org_id}/verify", json={}, headers=reviewer))

    listing_id = _published_listing(client, seller, reviewer)
    starts = clock() + timedelta(days=8)
    auction_id = _announced_auction(client, seller, reviewer, listing_id, starts)
    alpha_deposit = _deposit_by_bank(client, alpha, reviewer, auction_id)
    _deposit_by_bank(client, beta, reviewer, auction_id)

    clock.current = starts + timedelta(minutes=5)
    bids = f"/api/v1/auctions/{auction_id}/bids"
    _ok(client.post(bids, json={"amount_minor": START}, headers=alpha), 201)
    _ok(client.post(bids, json={"amount_minor": START + INC}, headers=beta), 201)
    _ok(client.post(bids, json={"amount_minor": START + 2 * INC}, headers=alpha), 201)
    history = _ok(client.get(f"{bids}?limit=2", headers=beta))
    assert [b["amount_minor"] for b in history["items"]] == [START + 2 * INC, START + INC]
    rest = _ok(client.get(f"{bids}?limit=2&cursor={history['next_cursor']}", headers=beta))
    assert [b["amount_minor"] for b in rest["items"]] == [START]

    clock.current = starts + timedelta(hours=48, seconds=1)
    assert jobs.close_due(now=clock()) == 1
    won = _ok(client.get(f"/api/v1/auctions/{auction_id}", headers=alpha))
    assert won["status"] == "closed" and won["standing"] == "won"
    (deal,) = _ok(client.get("/api/v1/deals/", headers=alpha))
    assert (deal["listing_id"], deal["price_minor"]) == (listing_id, START + 2 * INC)
    beta_deposits = _ok(client.get("/api/v1/deposits/", headers=beta))["items"]
    assert [d["status"] for d in beta_deposits] == ["released"]

    milestones = f"/api/v1/deals/{deal['id']}/milestones"
    assert _ok(client.post(milestones, json={"status": "signed"}, headers=seller))["status"] == (
        "signed"
    )
    paid = _pay_by_bank(client, alpha, reviewer, deal["id"])
    assert _ok(client.get(f"/api/v1/deals/{deal['id']}", headers=seller))["status"] == "paid"
    registered = {"status": "rights_registered", "reference": "ZL201510123456.1-转让-2026"}
    _ok(client.post(milestones, json=registered, headers=seller))
    completed = _ok(client.post(milestones, json={"status": "completed"}, headers=reviewer))
    assert completed["status"] == "completed"

    payouts = _ok(
        client.post(f"/api/v1/payments/deals/{deal['id']}/payouts", headers=reviewer), 201
    )
    ledger = _ok(client.get(f"/api/v1/payments/deals/{deal['id']}", headers=seller))
    assert ledger["due_minor"] == 0 and ledger["balanced"] is True
    assert [p["amount_minor"] for p in ledger["payments"]] == [paid]
    assert [p["org_id"] for p in payouts] == [university]
    assert payouts[0]["amount_minor"] == ledger["seller_payable_minor"] > 0
    assert ledger["seller_payable_minor"] + ledger["platform_fee_minor"] == deal["price_minor"]
    mine = _ok(client.get(f"/api/v1/deposits/{alpha_deposit}", headers=alpha))
    assert mine["status"] != "held", "the winner's deposit went towards the price"
