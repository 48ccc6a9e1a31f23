"""From sign-up to a published listing by API alone: no browser, no service called directly
(only the reviewer, a platform account made by the CLI, is created by a factory)."""

from __future__ import annotations

import io

from flask.testing import FlaskClient

from search import all_backends
from search.indexer import drain
from tests import factories
from tests.conftest import FrozenClock

EN = {"Accept-Language": "en"}


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **EN}


def test_sign_up_token_verification_evidence_review_and_publication_by_api(
    client: FlaskClient, clock: FrozenClock
) -> None:
    for backend in all_backends():  # the index file outlives each test's rollback
        backend.clear()
    signed_up = client.post(
        "/api/v1/accounts/",
        json={
            "email": "tto@example.edu.cn",
            "name": "技术转移办公室",
            "password": factories.PASSWORD,
            "org_name": "接口大学",
            "org_name_en": "API University",
            "kind": "university",
            "credit_code": factories.credit_code(),
            "region": "上海市",
        },
        headers=EN,
    )
    assert signed_up.status_code == 201, signed_up.get_json()
    org_id = signed_up.get_json()["organisation"]["id"]
    token = client.post(
        "/api/v1/tokens/",
        json={"name": "TTO system", "email": "tto@example.edu.cn", "password": factories.PASSWORD},
    ).get_json()["secret"]
    seller = _bearer(token)
    reviewer = _bearer(
        factories.api_token(factories.platform_reviewer(clock()), "review desk", now=clock())
    )

    # The reviewer verifies the organisation from the queue.
    queue = client.get("/api/v1/organisations/pending", headers=reviewer).get_json()
    assert org_id in [org["id"] for org in queue]
    verified = client.post(f"/api/v1/organisations/{org_id}/verify", json={}, headers=reviewer)
    assert verified.get_json()["status"] == "verified"
    assert client.get("/api/v1/organisations/mine", headers=seller).get_json()["status"] == (
        "verified"
    )

    # The seller drafts a listing, attaches the certificate and submits it.
    draft = client.post(
        "/api/v1/listings/",
        json={
            "title_zh": "一种固态电解质及其制备方法",
            "title_en": "A solid electrolyte and its preparation",
            "field": "energy",
            "trl": 5,
            "holder": "接口大学",
            "region": "上海市",
            "transfer_modes": ["assignment"],
            "asking_price_minor": 150_000_000,
            "ip_assets": [{"kind": "cn_application", "number": "201510123456.1"}],
        },
        headers=seller,
    )
    assert draft.status_code == 201, draft.get_json()
    listing_id = draft.get_json()["id"]
    evidence = client.post(
        f"/api/v1/listings/{listing_id}/evidence",
        data={"kind": "certificate", "file": (io.BytesIO(factories.PDF_BYTES), "证书.pdf")},
        content_type="multipart/form-data",
        headers=seller,
    )
    assert evidence.status_code == 201, evidence.get_json()
    submitted = client.post(f"/api/v1/listings/{listing_id}/submit", headers=seller)
    assert submitted.status_code == 200 and submitted.get_json()["status"] == "submitted"
    assert submitted.get_json()["allowed_actions"] == []  # the owner waits for the reviewer

    # The reviewer sees it in the queue, with its evidence, and confirms the ownership.
    assert [i["id"] for i in client.get("/api/v1/listings/submitted", headers=reviewer).json] == [
        listing_id
    ]
    on_file = client.get(f"/api/v1/listings/{listing_id}/evidence", headers=reviewer).get_json()
    assert [e["sha256"] for e in on_file] == [evidence.get_json()["sha256"]]
    as_reviewer = client.get(f"/api/v1/listings/{listing_id}", headers=reviewer).get_json()
    assert as_reviewer["allowed_actions"] == ["confirm", "reject"]
    confirmed = client.post(
        f"/api/v1/listings/{listing_id}/ownership/confirm",
        json={"reason": "证书与登记簿一致。"},
        headers=reviewer,
    )
    assert confirmed.get_json()["status"] == "confirmed"

    # The seller publishes: anyone reads it, and search finds it.
    published = client.post(f"/api/v1/listings/{listing_id}/publish", headers=seller)
    assert published.status_code == 200 and published.get_json()["status"] == "published"
    public = client.get(f"/api/v1/listings/{listing_id}", headers=EN).get_json()
    assert public["title"] == "A solid electrolyte and its preparation"
    assert public["sale"] == {"state": "available", "channels": [], "allowed_actions": []}
    drain()
    found = client.get("/api/v1/listings/?q=electrolyte", headers=EN).get_json()
    assert listing_id in [item["id"] for item in found["items"]]
