"""Broker documents and ratings by API: an applicant attaches its certificate and reads it
back (reviewers too, strangers not); a party of a completed deal rates its broker once."""

from __future__ import annotations

import io

from flask.testing import FlaskClient

from deals import services as deals
from deals.models import DealStatus
from tests import factories
from tests.integration.brokers.test_introductions_and_commissions import (
    _introduce_and_accept,
    _negotiate_and_close,
)


def _auth(user: object, clock) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {factories.api_token(user, '经纪', now=clock())}"}  # type: ignore[arg-type]


def test_an_applicant_attaches_a_document_by_api(client: FlaskClient, market, clock) -> None:  # type: ignore[no-untyped-def]
    applicant = factories.broker(clock(), reviewer=market.reviewer, accredited=False, name="申请中经纪事务所")  # fmt: skip
    own = _auth(applicant, clock)
    pdf = (io.BytesIO(factories.PDF_BYTES), "证书.pdf")
    wrong = client.post("/api/v1/brokers/documents", data={"kind": "diploma", "file": pdf}, headers=own)  # fmt: skip
    assert wrong.status_code == 422 and list(wrong.get_json()["errors"]) == ["kind"]
    pdf = (io.BytesIO(factories.PDF_BYTES), "证书.pdf")
    sent = client.post("/api/v1/brokers/documents", data={"kind": "certificate", "file": pdf}, headers=own)  # fmt: skip
    assert sent.status_code == 201 and sent.get_json()["original_name"] == "证书.pdf"
    url = f"/api/v1/brokers/documents/{sent.get_json()['id']}/file"
    assert client.get(url, headers=own).data == factories.PDF_BYTES
    assert client.get(url, headers=_auth(market.reviewer, clock)).status_code == 200
    assert client.get(url, headers=_auth(market.buyer, clock)).status_code == 404
    queue = client.get("/api/v1/brokers/applications", headers=_auth(market.reviewer, clock))
    [waiting] = [a for a in queue.get_json()["items"] if a["name"] == applicant.name]
    assert (waiting["status"], waiting["organisation"]) == ("pending", "申请中经纪事务所")
    assert [d["file_url"] for d in waiting["documents"]] == [url]
    refused = client.get("/api/v1/brokers/applications", headers=own)
    assert refused.status_code == 403 and set(refused.get_json()) == {"code", "message", "errors"}
    one = client.get(f"/api/v1/brokers/applications/{waiting['id']}", headers=_auth(market.reviewer, clock)).get_json()  # fmt: skip
    assert (one["status"], one["allowed_actions"], [d["file_url"] for d in one["documents"]]) == ("pending", ["accredit", "refuse"], [url])  # fmt: skip
    decided = client.get(f"/api/v1/brokers/applications/{market.broker.id}", headers=_auth(market.reviewer, clock)).get_json()  # fmt: skip
    assert (decided["status"], decided["allowed_actions"]) == ("accredited", [])
    assert client.get(f"/api/v1/brokers/applications/{waiting['id']}", headers=own).status_code == 403  # fmt: skip
    client.post("/signin", data={"email": market.reviewer.email, "password": factories.PASSWORD})
    assert f"review/brokers/{waiting['id']}/accredit" in client.get(f"/review/brokers/{waiting['id']}").get_data(as_text=True)  # fmt: skip
    assert "/accredit" not in client.get(f"/review/brokers/{market.broker.id}").get_data(as_text=True)  # fmt: skip
    client.post("/signout")
    mine = client.get("/api/v1/brokers/me", headers=own).get_json()  # as the workbench shows it
    assert (mine["status"], mine["accredited"], mine["expiry_warning"], [d["file_url"] for d in mine["documents"]]) == ("pending", False, False, [url])  # fmt: skip
    not_a_broker = client.get("/api/v1/brokers/me", headers=_auth(market.buyer, clock))
    assert not_a_broker.status_code == 404 and set(not_a_broker.get_json()) == {"code", "message", "errors"}  # fmt: skip
    assert client.get("/api/v1/brokers/me").status_code == 401
    pdf = (io.BytesIO(factories.PDF_BYTES), "证书.pdf")
    decided = client.post("/api/v1/brokers/documents", data={"file": pdf}, headers=_auth(market.broker_user, clock))  # fmt: skip
    assert decided.status_code == 409 and decided.get_json()["code"] == "not_editable"
    client.post("/signin", data={"email": market.broker_user.email, "password": factories.PASSWORD})
    workbench = client.get("/brokers/workbench").get_data(as_text=True)
    standing = client.get("/api/v1/brokers/me").get_json()
    assert (standing["status"], standing["accredited"]) == ("accredited", True)
    assert standing["days_left"] > 0 and ('id="expiry-warning"' in workbench) == standing["expiry_warning"]  # fmt: skip


def test_a_party_rates_the_broker_of_a_completed_deal_by_api(client: FlaskClient, market, clock, bound_mandate) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    bound_mandate()
    _introduce_and_accept(market, clock)
    deal = _negotiate_and_close(market, clock, market.buyer, price=60_000_000)
    url, buyer = f"/api/v1/brokers/deals/{deal.id}/ratings", _auth(market.buyer, clock)
    rating = {"broker_id": market.broker.id, "score": 5, "comment": "撮合高效"}
    early = client.post(url, json=rating, headers=buyer)
    assert early.status_code == 409 and early.get_json()["code"] == "not_completed"
    for status, reference in ((DealStatus.SIGNED, None), (DealStatus.PAID, None), (DealStatus.RIGHTS_REGISTERED, "ZL-2026-000123"), (DealStatus.COMPLETED, None)):  # fmt: skip
        deals.advance(market.seller, deal.id, status, now=clock(), reference=reference)
    assert client.post(url, json={**rating, "score": 6}, headers=buyer).status_code == 422
    assert client.post(url, json=rating, headers=_auth(market.stranger, clock)).status_code == 404
    rated = client.post(url, json=rating, headers=buyer)
    assert rated.status_code == 201 and rated.get_json()["score"] == 5
    again = client.post(url, json=rating, headers=buyer)
    assert again.status_code == 409 and again.get_json()["code"] == "already_rated"
    profile = client.get(f"/api/v1/brokers/{market.broker.id}").get_json()
    assert (profile["rating_count"], profile["rating_average"]) == (1, 5.0)
