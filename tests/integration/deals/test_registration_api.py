"""A deal's registration form by API: the seller completes it, a reviewer records the
certificate; afterwards only a reviewer corrects it; refusals in the one error shape."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests import factories

FORM = {
    "contract_number": "HT-2026-001", "project_name": "高镍正极材料专利权转让",
    "contract_subtype": "patent_right", "technology_field": "energy",
    "seller_region_code": "310104", "buyer_region_code": "350902",
    "term_start": "2026-02-01", "term_end": "2028-01-31",
    "transaction_amount_minor": 40_000_000, "payment_method": "instalments",
}  # fmt: skip


def _auth(user: object, clock) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"Authorization": f"Bearer {factories.api_token(user, '登记', now=clock())}"}  # type: ignore[arg-type]


def test_the_registration_form_is_completed_and_certified_by_api(client: FlaskClient, market, sell, clock) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    deal = sell(50_000_000)
    url = f"/api/v1/deals/{deal.id}/registration"
    seller, buyer = _auth(market.seller, clock), _auth(market.buyer, clock)
    reviewer = _auth(market.reviewer, clock)
    empty = client.get(f"{url}/form", headers=seller).get_json()
    assert empty["completed"] is False and empty["allowed_actions"] == ["save_details"]
    assert client.put(f"{url}/form", json=FORM, headers=buyer).status_code == 403
    too_much = client.put(f"{url}/form", json={**FORM, "transaction_amount_minor": 60_000_000}, headers=seller)  # fmt: skip
    assert too_much.status_code == 422
    assert list(too_much.get_json()["errors"]) == ["transaction_amount_minor"]
    early = client.post(f"{url}/form/certificate", json={"certificate_number": "3101042026000123"}, headers=reviewer)  # fmt: skip
    assert early.status_code == 409 and early.get_json()["code"] == "registration_incomplete"
    saved = client.put(f"{url}/form", json=FORM, headers=seller)
    assert saved.status_code == 200
    assert saved.get_json()["completed"] is True and saved.get_json()["contract_number"] == "HT-2026-001"  # fmt: skip
    read = client.get(f"{url}/form", headers=reviewer)
    assert read.get_json()["allowed_actions"] == ["save_details", "record_certificate"]
    etag = read.headers["ETag"]
    assert client.post(f"{url}/form/certificate", json={"certificate_number": "3101042026000123"}, headers=seller).status_code == 403  # fmt: skip
    certified = client.post(f"{url}/form/certificate", json={"certificate_number": " 3101042026000123 "}, headers={**reviewer, "If-Match": etag})  # fmt: skip
    assert certified.status_code == 200 and certified.get_json()["certificate_number"] == "3101042026000123"  # fmt: skip
    assert client.get(f"{url}/form", headers=seller).get_json()["allowed_actions"] == []
    late = client.put(f"{url}/form", json={**FORM, "project_name": "改名"}, headers=seller)
    assert late.status_code == 409 and late.get_json()["code"] == "registered"
    stale = client.put(f"{url}/form", json={**FORM, "project_name": "改名"}, headers={**reviewer, "If-Match": etag})  # fmt: skip
    assert stale.status_code == 412 and stale.get_json()["code"] == "precondition_failed"
    fixed = client.put(f"{url}/form", json={**FORM, "project_name": "改名"}, headers=reviewer)
    assert fixed.status_code == 200 and fixed.get_json()["project_name"] == "改名"
