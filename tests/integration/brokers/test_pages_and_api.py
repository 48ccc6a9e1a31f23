"""Broker pages and the REST API: directory, apply, reviewer queue, mandates, introductions."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from brokers import broker_access as shared
from brokers import introductions, mandates, ratings
from brokers.rules import AccreditationStatus, IntroductionStatus, MandateStatus
from core.uow import unit_of_work
from tests import factories
from tests.integration.brokers.conftest import mandate_input


@pytest.fixture(autouse=True)
def english(client):
    """These pages are read in English here; the Chinese catalogue is checked elsewhere."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _token(user, clock) -> dict[str, str]:
    plain = factories.api_token(user, "test", now=clock())
    return {"Authorization": f"Bearer {plain}"}


def test_directory_lists_accredited_brokers_and_filters_by_field(client, market):
    page = client.get("/brokers")
    assert page.status_code == 200
    assert market.broker_user.name in page.text
    filtered = client.get("/brokers?field=biomed")
    assert market.broker_user.name not in filtered.text
    assert "No accredited broker matches these filters." in filtered.text
    profile = client.get(f"/brokers/{market.broker.id}")
    assert profile.status_code == 200
    assert market.broker.certificate_number in profile.text


def test_a_pending_applicant_has_no_public_profile(client, clock, market):
    pending = factories.broker(clock(), reviewer=market.reviewer, accredited=False)
    assert client.get(f"/brokers/{shared.broker_of(pending).id}").status_code == 404


def test_apply_through_the_form_then_the_reviewer_accredits(client, clock, market, sign_in):
    applicant = factories.seller(clock(), reviewer=market.reviewer)
    sign_in(applicant)
    bad = client.post(
        "/brokers/apply",
        data={"level": "junior", "certificate_number": "", "issuing_body": "x", "region": "上海市"},
    )
    assert bad.status_code == 422
    assert 'id="certificate_number-error"' in bad.text
    response = client.post(
        "/brokers/apply",
        data={
            "level": "intermediate",
            "certificate_number": "沪技经2025-77",
            "issuing_body": "上海市科学技术委员会",
            "expires_on": (clock() + timedelta(days=700)).date().isoformat(),
            "region": "上海市",
            "expertise_fields": ["energy", "materials"],
            "languages": "zh",
            "kind": "certificate",
            "file": (io.BytesIO(factories.PDF_BYTES), "证书.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    broker = shared.broker_of(applicant)
    assert broker.expertise_fields == ["energy", "materials"]
    assert len(broker.documents) == 1
    workbench = client.get("/brokers/workbench")
    assert "Your application waits for a reviewer." in workbench.text
    sign_in(market.reviewer)
    queue = client.get("/review/brokers")
    assert "沪技经2025-77" in queue.text
    detail = client.get(f"/review/brokers/{broker.id}")
    assert f"/brokers/documents/{broker.documents[0].id}" in detail.text
    document = client.get(f"/brokers/documents/{broker.documents[0].id}")
    assert document.status_code == 200 and document.mimetype == "application/pdf"
    client.post(f"/review/brokers/{broker.id}/accredit", data={"reason": ""})
    assert broker.status == AccreditationStatus.ACCREDITED


def test_workbench_warns_before_the_certificate_expires(client, clock, market, sign_in):
    soon = factories.broker(clock(), reviewer=market.reviewer, expires_in_days=20)
    sign_in(soon)
    page = client.get("/brokers/workbench")
    assert 'id="expiry-warning"' in page.text
    assert "expires in 20 days" in page.text
    sign_in(market.broker_user)  # valid for a year: no warning
    assert 'id="expiry-warning"' not in client.get("/brokers/workbench").text


def test_mandate_form_propose_then_broker_accepts(client, clock, market, sign_in):
    sign_in(market.seller)
    form = client.get(f"/brokers/mandates/new?broker_id={market.broker.id}")
    assert form.status_code == 200
    data = {
        "broker_id": market.broker.id,
        "side": "seller",
        "listing_id": market.listing.id,
        "starts_on": clock().date().isoformat(),
        "ends_on": (clock() + timedelta(days=180)).date().isoformat(),
        "notice_days": "30",
        "commission_kind": "percentage",
        "rate": "6",
        "minimum": "10,000",
        "maximum": "",
        "payer": "seller",
    }
    refused = client.post("/brokers/mandates/new", data=data)
    assert refused.status_code == 422
    assert 'id="above_cap_agreed-error"' in refused.text
    response = client.post("/brokers/mandates/new", data={**data, "rate": "1.5"})
    assert response.status_code == 302
    mandate = mandates.mandates_of_org(market.seller)[0]
    assert (mandate.rate_bps, mandate.min_minor) == (150, 1_000_000)
    page = client.get(response.headers["Location"])
    assert "1.5% of the price" in page.text
    sign_in(market.broker_user)
    client.post(f"/brokers/mandates/{mandate.id}/accept")
    assert mandate.status == MandateStatus.ACTIVE
    workbench = client.get("/brokers/workbench")
    assert f"/listings/{market.listing.id}/matches" in workbench.text
    sign_in(market.stranger)
    assert client.get(f"/brokers/mandates/{mandate.id}").status_code == 404


def test_introduction_pages_lead_both_parties_to_the_negotiation(
    client, clock, market, bound_mandate, sign_in
):
    bound_mandate()
    sign_in(market.broker_user)
    url = (
        f"/brokers/introductions/new?listing_id={market.listing.id}"
        f"&buyer_org_id={market.buyer.acting_org_id}"
    )
    form = client.get(url)
    assert form.status_code == 200 and market.buyer.organisation.name in form.text
    sent = client.post(
        "/brokers/introductions/new",
        data={
            "listing_id": market.listing.id,
            "buyer_org_id": market.buyer.acting_org_id,
            "note": "需求高度匹配",
        },
    )
    assert sent.status_code == 302
    introduction = introductions.introductions_of_broker(market.broker)[0]
    sign_in(market.buyer)
    assert "Answer" in client.get("/brokers/mine").text
    client.post(f"/brokers/introductions/{introduction.id}/accept")
    sign_in(market.seller)
    last = client.post(f"/brokers/introductions/{introduction.id}/accept")
    assert introduction.status == IntroductionStatus.ACCEPTED
    assert last.headers["Location"].endswith(f"/negotiations/{introduction.negotiation_id}")


def test_api_apply_accredit_mandate_introduce_statement(client, clock, market):
    applicant = factories.seller(clock(), reviewer=market.reviewer)
    assert client.post("/api/v1/brokers/applications", json={}).status_code == 401
    created = client.post(
        "/api/v1/brokers/applications",
        json={
            "level": "senior",
            "certificate_number": "API-001",
            "issuing_body": "上海市科学技术委员会",
            "expires_on": (clock() + timedelta(days=365)).date().isoformat(),
            "region": "上海市",
            "expertise_fields": ["energy"],
        },
        headers=_token(applicant, clock),
    )
    assert created.status_code == 201, created.json
    broker_id = created.json["id"]
    assert created.json["status"] == "pending"
    forbidden = client.post(
        f"/api/v1/brokers/{broker_id}/accredit", json={}, headers=_token(applicant, clock)
    )
    assert forbidden.status_code == 403
    accredited = client.post(
        f"/api/v1/brokers/{broker_id}/accredit", json={}, headers=_token(market.reviewer, clock)
    )
    assert accredited.json["accredited"] is True
    data = mandate_input(market, clock(), broker_id=broker_id)
    body = {
        "broker_id": broker_id,
        "side": "seller",
        "listing_id": market.listing.id,
        "starts_at": data.starts_at.isoformat(),
        "ends_at": data.ends_at.isoformat(),
        "commission_kind": "percentage",
        "rate_bps": 800,
        "payer": "seller",
    }
    seller_token = _token(market.seller, clock)
    capped = client.post("/api/v1/brokers/mandates", json=body, headers=seller_token)
    assert capped.status_code == 422 and capped.json["code"] == "above_statutory_cap"
    proposed = client.post(
        "/api/v1/brokers/mandates", json={**body, "rate_bps": 200}, headers=seller_token
    )
    assert proposed.status_code == 201 and proposed.json["status"] == "proposed"
    accepted = client.post(
        f"/api/v1/brokers/mandates/{proposed.json['id']}/accept",
        json={},
        headers=_token(applicant, clock),
    )
    assert accepted.json["status"] == "active"
    introduced = client.post(
        "/api/v1/brokers/introductions",
        json={"listing_id": market.listing.id, "buyer_org_id": market.buyer.acting_org_id},
        headers=_token(applicant, clock),
    )
    assert introduced.status_code == 201 and introduced.json["status"] == "proposed"
    for person in (applicant, market.seller):  # the broker's workbench, the principal's page
        mine = client.get("/api/v1/brokers/mandates", headers=_token(person, clock)).json
        assert [m["id"] for m in mine["items"]] == [proposed.json["id"]]
    for person in (applicant, market.buyer):  # who made it, a party that answers it
        mine = client.get("/api/v1/brokers/introductions", headers=_token(person, clock)).json
        assert [i["id"] for i in mine["items"]] == [introduced.json["id"]]
    stranger = _token(market.stranger, clock)
    assert client.get("/api/v1/brokers/mandates", headers=stranger).json["items"] == []
    assert client.get("/api/v1/brokers/introductions", headers=stranger).json["items"] == []
    assert client.get("/api/v1/brokers/mandates").status_code == 401
    statement = client.get("/api/v1/brokers/statement", headers=_token(applicant, clock))
    assert statement.status_code == 200 and statement.json["lines"] == []
    assert "/api/v1/brokers/mandates" in client.get("/api/v1/openapi.json").json["paths"]
    listing = client.get("/api/v1/brokers/")
    assert {b["id"] for b in listing.json["items"]} == {market.broker.id, broker_id}


def test_deal_page_shows_the_broker_and_parties_rate_after_completion(
    client, clock, market, bound_mandate, sign_in
):
    from deals import services as deals
    from deals.models import DealStatus
    from tests.integration.brokers.test_introductions_and_commissions import (
        _introduce_and_accept,
        _negotiate_and_close,
    )

    bound_mandate()
    _introduce_and_accept(market, clock)
    deal = _negotiate_and_close(market, clock, market.buyer, price=60_000_000)
    sign_in(market.buyer)
    page = client.get(f"/deals/{deal.id}")
    assert 'id="brokers"' in page.text
    assert "¥12,000.00" in page.text and market.broker_user.name in page.text
    assert "Send the rating" not in page.text  # not completed yet
    for status, reference in (
        (DealStatus.SIGNED, None),
        (DealStatus.PAID, None),
        (DealStatus.RIGHTS_REGISTERED, "ZL-1"),
        (DealStatus.COMPLETED, None),
    ):
        with unit_of_work():
            deals.advance(market.seller, deal.id, status, now=clock(), reference=reference)
    assert "Send the rating" in client.get(f"/deals/{deal.id}").text
    bad = client.post(
        f"/brokers/deals/{deal.id}/ratings", data={"broker_id": market.broker.id, "score": "9"}
    )
    assert bad.status_code == 302 and ratings.ratings_of(market.broker.id) == []
    client.post(
        f"/brokers/deals/{deal.id}/ratings",
        data={"broker_id": market.broker.id, "score": "5", "comment": "专业"},
    )
    assert [(r.score, r.comment) for r in ratings.ratings_of(market.broker.id)] == [(5, "专业")]
    assert "Send the rating" not in client.get(f"/deals/{deal.id}").text
    profile = client.get(f"/brokers/{market.broker.id}")
    assert "专业" in profile.text and 'id="completed-deals">1<' in profile.text
    sign_in(market.broker_user)
    statement = client.get("/brokers/statement")
    assert "¥12,000.00" in statement.text


def test_a_party_declining_on_the_page_is_told_the_commission_stands_and_the_deal_shows_it(
    client, clock, market, bound_mandate, sign_in
):
    from tests.integration.brokers.test_introductions_and_commissions import (
        _negotiate_and_close,
    )

    bound_mandate()
    with unit_of_work():
        introduction = introductions.introduce(
            market.broker_user,
            listing_id=market.listing.id,
            buyer_org_id=market.buyer.acting_org_id,
            now=clock(),
        )
    sign_in(market.buyer)
    page = client.get(f"/brokers/introductions/{introduction.id}")
    assert "Declining does not take the broker out of a deal" in page.text
    declined = client.post(
        f"/brokers/introductions/{introduction.id}/decline", follow_redirects=True
    )
    assert introduction.status == IntroductionStatus.DECLINED
    assert "still carries the broker&#39;s commission" in declined.text
    deal = _negotiate_and_close(market, clock, market.buyer, price=60_000_000)
    sign_in(market.buyer)  # the public notice ran for weeks: the session has ended
    deal_page = client.get(f"/deals/{deal.id}")
    assert "¥12,000.00" in deal_page.text and market.broker_user.name in deal_page.text
    assert "the introduction was not accepted; the commission stands" in deal_page.text


def test_both_accepting_an_introduction_to_a_result_in_a_sale_are_not_told_to_wait(
    client, clock, market, bound_mandate, sign_in
):
    from listings import services as listings
    from listings.rules import SaleState

    bound_mandate()
    with unit_of_work():
        introduction = introductions.introduce(
            market.broker_user,
            listing_id=market.listing.id,
            buyer_org_id=market.buyer.acting_org_id,
            now=clock(),
        )
        introductions.respond_to_introduction(
            market.buyer, introduction.id, accept=True, now=clock()
        )
        listings.set_sale_state(market.listing.id, SaleState.IN_AUCTION, now=clock(), actor_id=None)
    sign_in(market.seller)
    last = client.post(f"/brokers/introductions/{introduction.id}/accept", follow_redirects=True)
    assert introduction.status == IntroductionStatus.ACCEPTED
    assert introduction.negotiation_id is None
    assert "Waiting for the other party" not in last.text
    assert "Both parties accepted" in last.text and "auction" in last.text
