"""Evaluation of results (科技成果评价) on a real database: an accredited broker agency or
expert evaluates a published listing; the holder's own organisation, a broker acting for it
and anyone unaccredited are refused; the page, the API and the search document show it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from accounts.models import User
from core.audit_models import AuditEntry
from core.extensions import db
from core.service_kit import Upload
from core.uow import unit_of_work
from listings import evaluations
from listings.evaluation_rules import Advancement, EvaluationRefused, Novelty
from listings.rules import ListingStatus
from search.listing_documents import document_for
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.licences.test_open_licence_pages import _sign_in, quick_passwords  # noqa: F401

FINDINGS = evaluations.Findings(
    trl=6, novelty=Novelty.NEW_WORLDWIDE, advancement=Advancement.INTERNATIONAL_LEADING,
    reasoning="中试线连续运行三个月，循环寿命经第三方检测优于国际同类产品。",
)  # fmt: skip
EN = {"Accept-Language": "en"}


@pytest.fixture
def market(db_session: object, clock: FrozenClock, upload_folder: Path, quick_passwords: None) -> dict:  # noqa: F811  # fmt: skip
    now = clock.current
    reviewer = factories.platform_reviewer(now)
    seller = factories.seller(now, reviewer=reviewer, name="江城理工大学")
    listing = factories.listing(seller, now, status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder)  # fmt: skip
    return {"now": now, "reviewer": reviewer, "seller": seller, "listing": listing, "folder": upload_folder}  # fmt: skip


def _evaluate(market: dict, actor: User, findings: evaluations.Findings = FINDINGS, listing_id: int | None = None) -> object:  # fmt: skip
    with unit_of_work():
        return evaluations.record_evaluation(
            actor, listing_id or market["listing"].id, findings,
            [Upload(io.BytesIO(factories.PDF_BYTES), "检测报告.pdf")],
            folder=market["folder"].parent / "evaluations", max_bytes=1_000_000, now=market["now"],
        )  # fmt: skip


def test_an_accredited_agency_evaluates_and_the_latest_evaluation_stands(market: dict) -> None:
    junior = factories.broker(
        market["now"], reviewer=market["reviewer"], level="junior"
    )  # an agency's broker
    first = _evaluate(market, junior)
    expert = factories.broker(market["now"], reviewer=market["reviewer"], level="senior")
    _evaluate(market, expert, evaluations.Findings(7, Novelty.NEW_IN_CHINA, Advancement.DOMESTIC_LEADING, "复评"))  # fmt: skip
    listing = market["listing"]
    db.session.refresh(listing)
    assert listing.evaluations[0].id == first.id  # type: ignore[attr-defined]
    assert evaluations.latest_of(listing).advancement == Advancement.DOMESTIC_LEADING  # type: ignore[union-attr]
    assert document_for(listing).advancement == "domestic_leading"
    audit = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "evaluation.record")
    ).all()
    assert len(audit) == 2 and audit[0].after["evidence"]


def test_the_holders_own_organisation_cannot_evaluate(market: dict) -> None:
    agency = factories.broker(market["now"], reviewer=market["reviewer"])
    own = factories.listing(agency, market["now"], status=ListingStatus.PUBLISHED, reviewer=market["reviewer"], folder=market["folder"])  # fmt: skip
    with pytest.raises(EvaluationRefused) as refused:
        _evaluate(market, agency, listing_id=own.id)
    assert refused.value.code == "own_organisation"
    assert own.evaluations == []


def test_only_accredited_brokers_evaluate(market: dict) -> None:
    for actor in (
        market["seller"],
        factories.enterprise(market["now"]),
        factories.broker(market["now"], reviewer=market["reviewer"], accredited=False),
    ):
        with pytest.raises(EvaluationRefused) as refused:
            _evaluate(market, actor)
        assert refused.value.code == "not_evaluator"
    assert market["listing"].evaluations == []


def test_an_expired_certificate_no_longer_evaluates(market: dict, clock: FrozenClock) -> None:
    broker = factories.broker(market["now"], reviewer=market["reviewer"], expires_in_days=10)
    market["now"] = clock.advance(days=12)
    with pytest.raises(EvaluationRefused) as refused:
        _evaluate(market, broker)
    assert refused.value.code == "not_evaluator"


def test_the_listing_page_and_api_show_the_evaluation(app: Flask, client: FlaskClient, market: dict) -> None:  # fmt: skip
    broker = factories.broker(market["now"], reviewer=market["reviewer"], name="江城技术转移中心")
    listing_id = market["listing"].id
    _sign_in(client, broker)
    assert b"Evaluate this result" in client.get(f"/listings/{listing_id}", headers=EN).data
    form = {"trl": "6", "novelty": "new_worldwide", "advancement": "international_leading", "reasoning": "第三方检测报告"}  # fmt: skip
    empty = client.post(f"/listings/{listing_id}/evaluate", data=form, headers=EN, follow_redirects=True)  # fmt: skip
    assert b"Attach the evidence" in empty.data
    done = client.post(f"/listings/{listing_id}/evaluate", data={**form, "evidence": (io.BytesIO(factories.PDF_BYTES), "查新报告.pdf")})  # fmt: skip
    assert done.status_code == 302
    _sign_in(client, market["seller"])
    page = client.get(f"/listings/{listing_id}", headers=EN).data.decode()
    assert (
        "Internationally leading" in page and "江城技术转移中心" in page and "查新报告.pdf" in page
    )
    assert "Evaluate this result" not in page  # the holder may not evaluate itself
    client.post("/signout")
    api = client.get(f"/api/v1/listings/{listing_id}/evaluations").get_json()
    assert (
        api["items"][0]["advancement"] == "international_leading" and api["allowed_actions"] == []
    )
    evidence_id = api["items"][0]["evidence"][0]["id"]
    assert client.get(f"/evaluation-evidence/{evidence_id}").data == factories.PDF_BYTES
    file_url = api["items"][0]["evidence"][0]["file_url"]
    assert file_url == f"/api/v1/listings/evaluation-evidence/{evidence_id}"
    got = client.get(file_url)  # public with its published listing, as the page's link
    assert got.data == factories.PDF_BYTES and got.headers["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''%E6%9F%A5%E6%96%B0" in got.headers["Content-Disposition"]
    missing = client.get("/api/v1/listings/evaluation-evidence/999999")
    assert missing.status_code == 404 and missing.get_json()["code"] == "not_found"
    token = factories.api_token(broker, "evaluator", now=market["now"])
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/listings/{listing_id}/evaluations", headers=auth).get_json()["allowed_actions"] == ["evaluate"]  # fmt: skip
    bad = client.post(f"/api/v1/listings/{listing_id}/evaluations", headers=auth, data={**form, "trl": "10", "evidence": (io.BytesIO(factories.PDF_BYTES), "a.pdf")})  # fmt: skip
    assert bad.status_code == 422
    made = client.post(f"/api/v1/listings/{listing_id}/evaluations", headers=auth, data={**form, "advancement": "domestic_advanced", "evidence": (io.BytesIO(factories.PDF_BYTES), "a.pdf")})  # fmt: skip
    assert made.status_code == 201 and made.get_json()["advancement"] == "domestic_advanced"
    seller_token = factories.api_token(market["seller"], "holder", now=market["now"])
    own = client.post(f"/api/v1/listings/{listing_id}/evaluations", headers={"Authorization": f"Bearer {seller_token}"}, data={**form, "evidence": (io.BytesIO(factories.PDF_BYTES), "a.pdf")})  # fmt: skip
    assert own.status_code == 403 and own.get_json()["code"] == "not_evaluator"
