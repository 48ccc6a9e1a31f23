"""The deals REST API: reading, milestones, cancellation, offline deals with a contract, documents."""

from __future__ import annotations

import base64
import io

from sqlalchemy import func, select

from core.extensions import db
from deals.models import Deal
from tests import factories


def _auth(user, clock) -> dict[str, str]:
    token = factories.api_token(user, "test", now=clock())
    return {"Authorization": f"Bearer {token}", "Accept-Language": "en"}


def _offline_body(market, **overrides: object) -> dict:
    body: dict[str, object] = {
        "seller_credit_code": market.seller.organisation.credit_code,
        "buyer_name": "苏州测试科技有限公司",
        "title": "一种锂电池隔膜涂覆工艺",
        "method": "listed",
        "contract_type": "transfer",
        "price_minor": 88_000_000,
        "signed_on": "2026-03-01",
        "contract": {
            "filename": "合同.pdf",
            "content_base64": base64.b64encode(factories.PDF_BYTES).decode(),
        },
    }
    body.update(overrides)
    return body


def test_list_and_read_deals_by_who_asks(client, market, sell, clock) -> None:
    deal = sell()
    assert client.get("/api/v1/deals/").status_code == 401
    own = client.get("/api/v1/deals/", headers=_auth(market.buyer, clock)).get_json()
    assert [d["id"] for d in own] == [deal.id]
    assert own[0]["price_minor"] == 50_000_000 and own[0]["status"] == "awaiting_signature"
    assert own[0]["seller"]["name"] == "华东理工测试大学"
    assert client.get("/api/v1/deals/", headers=_auth(market.stranger, clock)).get_json() == []
    reviewer = _auth(market.reviewer, clock)
    assert len(client.get("/api/v1/deals/", headers=reviewer).get_json()) == 1
    assert client.get("/api/v1/deals/?channel=offline", headers=reviewer).get_json() == []
    stranger = client.get(f"/api/v1/deals/{deal.id}", headers=_auth(market.stranger, clock))
    assert stranger.status_code == 404 and stranger.get_json()["code"] == "not_found"
    one = client.get(f"/api/v1/deals/{deal.id}", headers=_auth(market.seller, clock))
    assert one.status_code == 200 and one.get_json()["contract_type"] == "transfer"


def test_milestones_through_the_api(client, market, sell, clock) -> None:
    deal = sell()
    url = f"/api/v1/deals/{deal.id}/milestones"
    assert client.post(url, json={"status": "signed"}).status_code == 401
    seller = _auth(market.seller, clock)
    skipped = client.post(url, json={"status": "paid"}, headers=seller)
    assert skipped.status_code == 409 and skipped.get_json()["code"] == "milestone_out_of_order"
    assert client.post(url, json={"status": "bogus"}, headers=seller).status_code == 422
    buyer = _auth(market.buyer, clock)
    assert client.post(url, json={"status": "signed"}, headers=buyer).status_code == 403
    assert client.post(url, json={"status": "signed"}, headers=seller).get_json()["status"] == (
        "signed"
    )
    assert client.post(url, json={"status": "paid"}, headers=buyer).status_code == 200
    missing = client.post(url, json={"status": "rights_registered"}, headers=seller)
    assert missing.status_code == 422 and "reference" in missing.get_json()["errors"]
    done = client.post(
        url, json={"status": "rights_registered", "reference": "ZL-88"}, headers=seller
    )
    assert done.get_json()["rights_registration_ref"] == "ZL-88"
    record = client.get(f"/api/v1/deals/{deal.id}/registration", headers=seller).get_json()
    assert record["official_category"] == "技术转让合同"
    assert record["transaction_amount_minor"] == record["contract_amount_minor"] == 50_000_000
    assert record["seller"]["credit_code"] == market.seller.organisation.credit_code


def test_no_one_cancels_alone_through_the_api_and_every_step_is_confirmed(
    client, market, sell, clock
) -> None:
    deal = sell()
    url = f"/api/v1/deals/{deal.id}/cancellations"
    seller, buyer = _auth(market.seller, clock), _auth(market.buyer, clock)
    old = client.post(f"/api/v1/deals/{deal.id}/cancel", json={"reason": "x"}, headers=seller)
    assert old.status_code in (404, 405), "the one-sided cancel is gone"
    proposal = {"kind": "agreement", "reason": "Buyer withdrew."}
    stranger = client.post(
        url, json={**proposal, "confirm": True}, headers=_auth(market.stranger, clock)
    )
    assert stranger.status_code == 404
    unconfirmed = client.post(url, json=proposal, headers=seller)
    assert unconfirmed.status_code == 422 and "confirm" in unconfirmed.get_json()["errors"]
    assert client.post(url, json={**proposal, "confirm": False}, headers=seller).status_code == 422
    assert client.get(url, headers=seller).get_json() == []
    made = client.post(url, json={**proposal, "confirm": True}, headers=seller)
    assert made.status_code == 201 and made.get_json()["status"] == "pending"
    assert client.get(f"/api/v1/deals/{deal.id}", headers=seller).get_json()["status"] == (
        "awaiting_signature"
    )
    answer = f"{url}/{made.get_json()['id']}/answer"
    alone = client.post(answer, json={"answer": "agree", "confirm": True}, headers=seller)
    assert alone.status_code == 403
    assert client.post(answer, json={"answer": "agree"}, headers=buyer).status_code == 422
    agreed = client.post(answer, json={"answer": "agree", "confirm": True}, headers=buyer)
    assert agreed.status_code == 200 and agreed.get_json()["status"] == "agreed"
    done = client.get(f"/api/v1/deals/{deal.id}", headers=seller).get_json()
    assert done["status"] == "cancelled" and done["cancel_reason"] == "Buyer withdrew."
    again = client.post(url, json={**proposal, "confirm": True}, headers=seller)
    assert again.status_code == 409 and again.get_json()["code"] == "deal_closed"


def test_a_reviewer_rules_through_the_api(client, market, sell, clock) -> None:
    deal = sell()
    url = f"/api/v1/deals/{deal.id}/cancellations"
    buyer, reviewer = _auth(market.buyer, clock), _auth(market.reviewer, clock)
    request = {
        "kind": "ruling",
        "grounds": "breach",
        "statement": "No certificate.",
        "confirm": True,
    }
    assert client.post(url, json={**request, "grounds": "whim"}, headers=buyer).status_code == 422
    made = client.post(url, json=request, headers=buyer).get_json()
    queue = client.get("/api/v1/deals/cancellations", headers=reviewer)
    assert [(r["id"], r["deal_id"], r["grounds"]) for r in queue.get_json()] == [(made["id"], deal.id, "breach")]  # fmt: skip
    not_theirs = client.get("/api/v1/deals/cancellations", headers=buyer)
    assert not_theirs.status_code == 403 and set(not_theirs.get_json()) == {"code", "message", "errors"}  # fmt: skip
    ruling = f"{url}/{made['id']}/ruling"
    body = {"outcome": "upheld", "at_fault": "seller", "reason": "Seller in breach."}
    assert client.post(ruling, json={**body, "confirm": True}, headers=buyer).status_code == 403
    assert client.post(ruling, json=body, headers=reviewer).status_code == 422
    unnamed = {**body, "at_fault": None, "confirm": True}
    refused = client.post(ruling, json=unnamed, headers=reviewer)
    assert refused.status_code == 422 and "at_fault" in refused.get_json()["errors"]
    ruled = client.post(ruling, json={**body, "confirm": True}, headers=reviewer)
    assert ruled.status_code == 200 and ruled.get_json()["at_fault"] == "seller"
    assert client.get(f"/api/v1/deals/{deal.id}", headers=buyer).get_json()["status"] == (
        "cancelled"
    )
    assert client.get("/api/v1/deals/cancellations", headers=reviewer).get_json() == []


def test_offline_deal_through_the_api_needs_a_reviewer_and_its_contract(
    client, market, clock
) -> None:
    reviewer = _auth(market.reviewer, clock)
    assert client.post("/api/v1/deals/offline", json=_offline_body(market)).status_code == 401
    refused = client.post(
        "/api/v1/deals/offline", json=_offline_body(market), headers=_auth(market.seller, clock)
    )
    assert refused.status_code == 403
    no_contract = _offline_body(market)
    del no_contract["contract"]
    response = client.post("/api/v1/deals/offline", json=no_contract, headers=reviewer)
    assert response.status_code == 422 and "contract" in response.get_json()["errors"]
    garbled = _offline_body(market, contract={"filename": "a.pdf", "content_base64": "%%%"})
    response = client.post("/api/v1/deals/offline", json=garbled, headers=reviewer)
    assert response.status_code == 422 and response.get_json()["errors"] == {
        "contract": ["The contract must be sent as base64."]
    }
    not_pdf = _offline_body(
        market,
        contract={"filename": "a.pdf", "content_base64": base64.b64encode(b"hello").decode()},
    )
    response = client.post("/api/v1/deals/offline", json=not_pdf, headers=reviewer)
    assert response.status_code == 422 and "file" in response.get_json()["errors"]
    assert db.session.scalar(select(func.count(Deal.id))) == 0
    created = client.post("/api/v1/deals/offline", json=_offline_body(market), headers=reviewer)
    assert created.status_code == 201
    body = created.get_json()
    assert (body["channel"], body["status"], body["price_minor"]) == (
        "offline",
        "signed",
        88_000_000,
    )
    assert body["seller"]["organisation_id"] == market.seller.organisation_id
    assert [d["kind"] for d in body["documents"]] == ["contract"]


def test_documents_upload_through_the_api(client, market, sell, clock) -> None:
    deal = sell()
    url = f"/api/v1/deals/{deal.id}/documents"
    response = client.post(
        url,
        data={"kind": "payment_receipt", "file": (io.BytesIO(factories.PDF_BYTES), "回单.pdf")},
        content_type="multipart/form-data",
        headers=_auth(market.buyer, clock),
    )
    assert response.status_code == 201
    assert response.get_json()["kind"] == "payment_receipt"
    missing = client.post(
        url,
        data={"kind": "other"},
        content_type="multipart/form-data",
        headers=_auth(market.buyer, clock),
    )
    assert missing.status_code == 422


def test_a_deal_document_downloads_through_the_api_for_its_parties_only(
    client, market, sell, clock
) -> None:
    deal = sell()
    attached = client.post(
        f"/api/v1/deals/{deal.id}/documents",
        data={"kind": "contract", "file": (io.BytesIO(factories.PDF_BYTES), "合同.pdf")},
        content_type="multipart/form-data",
        headers=_auth(market.seller, clock),
    ).get_json()
    listed = client.get(f"/api/v1/deals/{deal.id}", headers=_auth(market.buyer, clock))
    [document] = listed.get_json()["documents"]
    assert document["file_url"] == attached["file_url"]
    assert document["file_url"] == f"/api/v1/deals/documents/{attached['id']}/file"
    for party in (market.buyer, market.seller, market.reviewer):
        got = client.get(document["file_url"], headers=_auth(party, clock))
        assert got.status_code == 200 and got.data == factories.PDF_BYTES
        assert got.headers["Content-Type"] == "application/pdf"
        assert "filename*=UTF-8''%E5%90%88%E5%90%8C.pdf" in got.headers["Content-Disposition"]
    stranger = client.get(document["file_url"], headers=_auth(market.stranger, clock))
    assert stranger.status_code == 404 and stranger.get_json()["code"] == "not_found"
    assert stranger.data != factories.PDF_BYTES
    anonymous = client.get(document["file_url"])
    assert anonymous.status_code == 401 and anonymous.get_json()["code"] == "unauthorized"


def test_deal_endpoints_are_in_the_openapi_document(client) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/deals/",
        "/api/v1/deals/{deal_id}",
        "/api/v1/deals/{deal_id}/milestones",
        "/api/v1/deals/{deal_id}/cancellations",
        "/api/v1/deals/{deal_id}/cancellations/{cancellation_id}/answer",
        "/api/v1/deals/{deal_id}/cancellations/{cancellation_id}/ruling",
        "/api/v1/deals/{deal_id}/documents",
        "/api/v1/deals/documents/{document_id}/file",
        "/api/v1/deals/{deal_id}/registration",
        "/api/v1/deals/offline",
    ):
        assert path in paths, path
