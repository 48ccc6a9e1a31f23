"""Declaring an open licence by API alone: the patentee declares (multipart) and withdraws,
a reviewer approves or refuses and records the bank transfer; refusals in the one error shape."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.conftest import FrozenClock
from tests.integration.licences.test_open_licences import (  # noqa: F401
    people,
    quick_passwords,
)

BASE = "/api/v1/open-licences"


def _auth(user: object, clock: FrozenClock) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(user, '开放许可', now=clock.current)}"}  # type: ignore[arg-type]


def _terms(asset_id: int, **changes: object) -> dict[str, object]:
    terms = {"ip_asset_id": str(asset_id), "fee_kind": "lump_sum", "lump_sum_minor": "2000000", "payment_method": "bank_transfer", "term_years": "5", **changes}  # fmt: skip
    return {k: v for k, v in terms.items() if v is not None}


def test_an_open_licence_is_declared_reviewed_paid_and_withdrawn_by_api(app: Flask, client: FlaskClient, people: dict, clock: FrozenClock) -> None:  # noqa: F811  # fmt: skip
    patentee, reviewer = _auth(people["patentee"], clock), _auth(people["reviewer"], clock)
    enterprise = _auth(people["enterprise"], clock)
    no_report = client.post(f"{BASE}/", data=_terms(people["utility"]), headers=patentee)
    assert no_report.status_code == 422 and "report" in no_report.get_json()["errors"]
    bad_rate = client.post(f"{BASE}/", data=_terms(people["invention"], fee_kind="royalty", lump_sum_minor=None, royalty_bp="9000"), headers=patentee)  # fmt: skip
    assert bad_rate.status_code == 422 and list(bad_rate.get_json()["errors"]) == ["royalty_bp"]
    keyed = {**patentee, "Idempotency-Key": "declare-1"}
    declared = client.post(f"{BASE}/", data=_terms(people["invention"]), headers=keyed)
    assert declared.status_code == 201, declared.get_json()
    body = declared.get_json()
    assert body["status"] == "submitted" and body["allowed_actions"] == []
    again = client.post(f"{BASE}/", data=_terms(people["invention"]), headers=keyed)
    assert again.headers.get("Idempotent-Replayed") == "true" and again.get_json()["id"] == body["id"]  # fmt: skip
    ident = body["id"]

    assert client.post(f"{BASE}/{ident}/approve", headers=enterprise).status_code == 403
    queue = client.get(f"{BASE}/review", headers=reviewer).get_json()
    assert [(d["id"], d["allowed_actions"]) for d in queue["declarations"]] == [(ident, ["approve", "refuse"])]  # fmt: skip
    assert client.get(f"{BASE}/review", headers=enterprise).status_code == 403
    approved = client.post(f"{BASE}/{ident}/approve", headers=reviewer)
    assert approved.status_code == 200 and approved.get_json()["status"] == "published"
    twice = client.post(f"{BASE}/{ident}/approve", headers=reviewer)
    assert twice.status_code == 409 and twice.get_json()["code"] == "not_submitted"

    licence = client.post(f"{BASE}/{ident}/notice", json={"notice": "我方按公布条件实施。"}, headers=enterprise).get_json()  # fmt: skip
    pay = f"{BASE}/licences/{licence['id']}/payment"
    wrong = client.post(pay, json={"amount_minor": 1_500_000, "bank_reference": licence["transfer_reference"]}, headers=reviewer)  # fmt: skip
    assert wrong.status_code == 422 and list(wrong.get_json()["errors"]) == ["amount_minor"]
    stranger = client.post(pay, json={"amount_minor": 2_000_000, "bank_reference": "DEAL-1"}, headers=reviewer)  # fmt: skip
    assert stranger.status_code == 422 and list(stranger.get_json()["errors"]) == ["bank_reference"]
    shown = client.get(f"{BASE}/licences/{licence['id']}", headers=reviewer).get_json()
    assert shown["allowed_actions"] == ["record_payment"]
    paid = client.post(pay, json={"amount_minor": 2_000_000, "bank_reference": licence["transfer_reference"]}, headers=reviewer)  # fmt: skip
    assert paid.status_code == 200
    assert paid.get_json()["status"] == "granted" and paid.get_json()["number"].startswith("OL-")

    assert client.post(f"{BASE}/{ident}/withdraw", headers=enterprise).status_code == 403
    withdrawn = client.post(f"{BASE}/{ident}/withdraw", headers=patentee)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"
    assert [x["licensee"] for x in withdrawn.get_json()["licences"]] == [people["enterprise"].organisation.name]  # fmt: skip
    assert client.post(f"{BASE}/{ident}/withdraw", headers=patentee).status_code == 409


def test_a_reviewer_refuses_a_declaration_with_its_reason(app: Flask, client: FlaskClient, people: dict, clock: FrozenClock) -> None:  # noqa: F811  # fmt: skip
    patentee, reviewer = _auth(people["patentee"], clock), _auth(people["reviewer"], clock)
    report = (io.BytesIO(factories.PDF_BYTES), "评价报告.pdf")
    declared = client.post(f"{BASE}/", data={**_terms(people["utility"]), "report": report}, headers=patentee)  # fmt: skip
    assert declared.status_code == 201, declared.get_json()
    ident = declared.get_json()["id"]
    empty = client.post(f"{BASE}/{ident}/refuse", json={"reason": ""}, headers=reviewer)
    assert empty.status_code == 422 and "reason" in empty.get_json()["errors"]
    refused = client.post(f"{BASE}/{ident}/refuse", json={"reason": "报告与专利不符。"}, headers=reviewer)  # fmt: skip
    assert refused.status_code == 200
    assert (refused.get_json()["status"], refused.get_json()["refusal_reason"]) == ("refused", "报告与专利不符。")  # fmt: skip
    seen = client.get(f"{BASE}/{ident}", headers=patentee).get_json()
    assert seen["status"] == "refused" and seen["allowed_actions"] == []


def test_the_evaluation_report_is_listed_and_downloaded_once_published(client: FlaskClient, people: dict, clock: FrozenClock) -> None:  # noqa: F811  # fmt: skip
    patentee, reviewer = _auth(people["patentee"], clock), _auth(people["reviewer"], clock)
    report = (io.BytesIO(factories.PDF_BYTES), "评价报告.pdf")
    declared = client.post(f"{BASE}/", data={**_terms(people["utility"]), "report": report}, headers=patentee).get_json()  # fmt: skip
    (listed,) = declared["reports"]
    assert (listed["original_name"], listed["content_type"]) == ("评价报告.pdf", "application/pdf")
    url = f"{BASE}/reports/{listed['id']}"
    hidden = client.get(url, headers=_auth(people["enterprise"], clock))
    assert hidden.status_code == 404 and set(hidden.get_json()) == {"code", "message", "errors"}
    own = client.get(url, headers=patentee)
    assert own.status_code == 200 and own.get_data() == factories.PDF_BYTES
    client.post(f"{BASE}/{declared['id']}/approve", headers=reviewer)
    public = client.get(url)  # published: public with the terms it supports
    assert public.status_code == 200 and public.mimetype == "application/pdf"
    assert public.get_data() == factories.PDF_BYTES
    assert client.get(f"{BASE}/{declared['id']}").get_json()["reports"] == [listed]
    assert client.get(f"{BASE}/reports/999999").status_code == 404
