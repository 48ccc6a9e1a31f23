"""Valuation pages, the PDF and the REST API, through the test client."""

from __future__ import annotations

import io

from pypdf import PdfReader

from core.extensions import db
from core.uow import unit_of_work
from tests import factories
from tests.integration.valuation.inputs import COST, income_inputs
from valuation import requests
from valuation.models import Valuation

WORKED_FORM = {
    "revenue_1": "10,000,000",
    "revenue_2": "12000000",
    "revenue_3": "14000000",
    "revenue_4": "15000000",
    "revenue_5": "15000000",
    "royalty": "3",
    "tax": "25",
    "industry": "intermediate_goods",
    "legal_life_years": "5",
    "economic_life_years": "5",
    "risk_free": "2.5",
    "technology": "5",
    "market": "3",
    "funding": "2",
    "management": "2.5",
}


def _pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_seller_computes_then_saves_and_the_listing_shows_the_range(
    market, client, sign_in
) -> None:
    sign_in(market.seller)
    url = f"/listings/{market.listing.id}/valuation"
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="royalty" type="text"\n           value="3.5"' in form.text  # intermediate goods

    preview = client.post(url, data={**WORKED_FORM, "action": "compute"})
    assert preview.status_code == 200
    assert "¥967,692.44" in preview.text  # the worked example's income value
    assert "<svg" in preview.text and "<title" in preview.text  # the charts, accessible
    assert db.session.query(Valuation).count() == 0

    saved = client.post(url, data={**WORKED_FORM, "action": "save"})
    assert saved.status_code == 302
    valuation = db.session.query(Valuation).one()
    assert saved.headers["Location"].endswith(f"/valuations/{valuation.id}")

    client.post("/signout")
    page = client.get(f"/listings/{market.listing.id}")
    panel = page.text[page.text.index('id="valuation-panel"') :][:2000]
    assert "估值" in panel
    assert "参考估值" in panel  # Indicative
    low_wan = f"{valuation.low_minor / 1_000_000:,.2f}万元"
    assert low_wan in panel


def test_form_errors_are_shown_on_their_fields_and_keep_what_was_typed(
    market, client, sign_in
) -> None:
    sign_in(market.seller)
    bad = {**WORKED_FORM, "royalty": "abc", "revenue_2": "", "action": "compute"}
    response = client.post(f"/listings/{market.listing.id}/valuation", data=bad)
    assert response.status_code == 422
    assert 'id="royalty-error"' in response.text
    assert 'id="revenue_2-error"' in response.text
    assert 'value="abc"' in response.text


def test_buyers_cannot_value_but_can_request(market, client, sign_in) -> None:
    sign_in(market.buyer)
    assert client.get(f"/listings/{market.listing.id}/valuation").status_code == 403
    page = client.get(f"/listings/{market.listing.id}")
    assert f"/listings/{market.listing.id}/valuation-requests/new" in page.text
    empty = client.post(
        f"/listings/{market.listing.id}/valuation-requests/new", data={"purpose": ""}
    )
    assert empty.status_code == 422 and 'id="purpose-error"' in empty.text
    sent = client.post(
        f"/listings/{market.listing.id}/valuation-requests/new", data={"purpose": "收购参考"}
    )
    assert sent.status_code == 302
    assert "/valuation-requests/" in sent.headers["Location"]


def test_reviewer_takes_previews_and_issues_a_report_with_a_pdf(
    market, client, sign_in, clock
) -> None:
    with unit_of_work():
        req = requests.request_valuation(market.seller, market.listing.id, "挂牌定价", now=clock())
    sign_in(market.reviewer)
    queue = client.get("/valuation-requests")
    assert f"/valuation-requests/{req.id}" in queue.text
    assert client.post(f"/valuation-requests/{req.id}/take").status_code == 302
    page = client.get(f"/valuation-requests/{req.id}")
    assert 'name="opinion"' in page.text

    report_url = f"/valuation-requests/{req.id}/report"
    no_opinion = client.post(report_url, data={**WORKED_FORM, "action": "issue"})
    assert no_opinion.status_code == 422 and 'id="opinion-error"' in no_opinion.text
    preview = client.post(report_url, data={**WORKED_FORM, "action": "compute"})
    assert "¥967,692.44" in preview.text
    issued = client.post(
        report_url, data={**WORKED_FORM, "opinion": "以收益法为主。", "action": "issue"}
    )
    assert issued.status_code == 302
    report = db.session.query(Valuation).one()

    client.post("/signout")
    page = client.get(f"/valuations/{report.id}")
    assert page.status_code == 200
    assert market.reviewer.name in page.text and "以收益法为主。" in page.text
    assert "平台评估审核员" in page.text and "Platform reviewer" not in page.text  # one language
    listing_page = client.get(f"/listings/{market.listing.id}")
    assert f"/valuations/{report.id}" in listing_page.text
    assert "正式报告" in listing_page.text

    pdf = client.get(f"/valuations/{report.id}/report.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    text = _pdf_text(pdf.data)
    assert "一种固态电解质薄膜的制备方法" in text  # the listing's title, in Chinese
    assert market.reviewer.name in text
    assert "967,692.44" in text


def test_buyer_report_is_private(market, client, sign_in, clock) -> None:
    with unit_of_work():
        req = requests.request_valuation(market.buyer, market.listing.id, "参考", now=clock())
        requests.take_request(market.reviewer, req.id, now=clock())
        report = requests.issue_report(market.reviewer, req.id, income_inputs(), "x", now=clock())
    sign_in(market.seller)
    assert client.get(f"/valuations/{report.id}").status_code == 404
    assert client.get(f"/valuations/{report.id}/report.pdf").status_code == 404
    assert f"/valuations/{report.id}" not in client.get(f"/listings/{market.listing.id}").text
    sign_in(market.buyer)
    assert client.get(f"/valuations/{report.id}").status_code == 200
    assert f"/valuations/{report.id}" in client.get("/my/valuations").text
    client.post("/signout")
    pdf_url = f"/api/v1/valuations/{report.id}/report.pdf"
    for reader in (market.buyer, market.reviewer):  # who asked for it, the valuer who issued it
        token = factories.api_token(reader, "erp", now=clock())
        got = client.get(pdf_url, headers={"Authorization": f"Bearer {token}"})
        assert got.status_code == 200 and got.mimetype == "application/pdf"
        assert got.data.startswith(b"%PDF")
        assert got.headers["Content-Disposition"] == f'inline; filename="valuation-{report.id}.pdf"'
    seller = factories.api_token(market.seller, "erp", now=clock())
    refused = client.get(pdf_url, headers={"Authorization": f"Bearer {seller}"})
    assert refused.status_code == 404 and refused.get_json()["code"] == "not_found"
    assert client.get(pdf_url).status_code == 404  # as GET /api/v1/valuations/<id> without a token


def _token(user, clock) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(user, 'test', now=clock())}"}


API_INPUTS = {
    "income": {
        "revenues_minor": [
            1_000_000_000,
            1_200_000_000,
            1_400_000_000,
            1_500_000_000,
            1_500_000_000,
        ],
        "royalty_bps": 300,
        "tax_bps": 2500,
        "discount": {"risk_free_bps": 1500},
        "legal_life_years": 5,
        "economic_life_years": 5,
    },
    "use_market": False,
}


def test_api_computes_saves_and_follows_requests(market, client, clock) -> None:
    seller = _token(market.seller, clock)
    assert client.post("/api/v1/valuations/indicative", json={}).status_code == 401
    computed = client.post(
        "/api/v1/valuations/indicative",
        json={"listing_id": market.listing.id, **API_INPUTS},
        headers=seller,
    )
    assert computed.status_code == 200, computed.json
    assert computed.json["result"]["income"]["value_minor"] == 96_769_244
    assert computed.json["id"] is None

    bad = client.post(
        "/api/v1/valuations/indicative",
        json={
            "listing_id": market.listing.id,
            "income": {**API_INPUTS["income"], "royalty_bps": -5},
        },
        headers=seller,
    )
    assert bad.status_code == 422
    assert "income.royalty_bps" in bad.json["errors"]

    saved = client.post(
        "/api/v1/valuations/indicative",
        json={"listing_id": market.listing.id, **API_INPUTS, "save": True},
        headers=seller,
    )
    assert saved.json["id"] is not None
    latest = client.get(f"/api/v1/valuations/listings/{market.listing.id}/latest")
    assert latest.status_code == 200 and latest.json["kind"] == "indicative"

    buyer = _token(market.buyer, clock)
    forbidden = client.post(
        "/api/v1/valuations/indicative",
        json={"listing_id": market.listing.id, **API_INPUTS, "save": True},
        headers=buyer,
    )
    assert forbidden.status_code == 403 and forbidden.json["code"] == "forbidden"

    created = client.post(
        "/api/v1/valuations/requests",
        json={"listing_id": market.listing.id, "purpose": "收购参考"},
        headers=buyer,
    )
    assert created.status_code == 201 and created.json["status"] == "requested"
    again = client.post(
        "/api/v1/valuations/requests",
        json={"listing_id": market.listing.id, "purpose": "再次"},
        headers=buyer,
    )
    assert again.status_code == 409 and again.json["code"] == "valuation_request_open"

    reviewer = _token(market.reviewer, clock)
    request_id = created.json["id"]
    waiting = client.get("/api/v1/valuations/queue", headers=reviewer).json
    assert ([r["id"] for r in waiting["open"]], waiting["mine"]) == ([request_id], [])
    not_a_valuer = client.get("/api/v1/valuations/queue", headers=buyer)
    assert not_a_valuer.status_code == 403 and set(not_a_valuer.json) == {"code", "message", "errors"}  # fmt: skip
    taken = client.post(f"/api/v1/valuations/requests/{request_id}/take", headers=reviewer)
    assert taken.json["status"] == "in_progress"
    waiting = client.get("/api/v1/valuations/queue", headers=reviewer).json
    assert (waiting["open"], [r["id"] for r in waiting["mine"]]) == ([], [request_id])
    issued = client.post(
        f"/api/v1/valuations/requests/{request_id}/report",
        json={**API_INPUTS, "cost": {"labour_minor": COST.labour_minor}, "opinion": "收益法。"},
        headers=reviewer,
    )
    assert issued.status_code == 201, issued.json
    assert issued.json["kind"] == "formal" and issued.json["signer_name"] == market.reviewer.name
    mine = client.get("/api/v1/valuations/requests", headers=buyer)
    assert mine.json["items"][0]["report_id"] == issued.json["id"]
    assert client.get(f"/api/v1/valuations/{issued.json['id']}", headers=seller).status_code == 404


def test_openapi_document_lists_the_valuation_endpoints(client) -> None:
    spec = client.get("/api/v1/openapi.json")
    paths = spec.json["paths"]
    assert "/api/v1/valuations/indicative" in paths
    assert "/api/v1/valuations/requests/{request_id}/report" in paths


def test_declining_a_request_not_taken_or_taken_by_another_is_refused_on_page_and_api(
    market, client, sign_in, clock
) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    taker = factories.broker(clock(), reviewer=market.reviewer)
    other = factories.broker(clock(), reviewer=market.reviewer)
    with unit_of_work():
        req = requests.request_valuation(market.buyer, market.listing.id, "收购参考", now=clock())
    url = f"/valuation-requests/{req.id}"

    sign_in(other)
    assert f"{url}/decline" not in client.get(url).text  # no form to decline an open request
    refused = client.post(f"{url}/decline", data={"reason": "不做"}, follow_redirects=True)
    assert "You have not taken this request" in refused.text
    headers = {"Authorization": f"Bearer {factories.api_token(other, 'test', now=clock())}"}
    api = client.post(
        f"/api/v1/valuations/requests/{req.id}/decline", json={"reason": "不做"}, headers=headers
    )
    assert api.status_code == 409 and api.json["code"] == "valuation_not_taken"
    db.session.refresh(req)
    assert req.status.value == "requested" and req.valuer_id is None

    with unit_of_work(writer=True):
        requests.take_request(taker, req.id, now=clock())
    api = client.post(
        f"/api/v1/valuations/requests/{req.id}/decline", json={"reason": "不做"}, headers=headers
    )
    assert api.status_code == 403 and api.json["code"] == "valuation_not_yours"
    assert "Another valuer" in api.json["message"]
    sign_in(market.reviewer)  # a reviewer sees the request, but it is not theirs to decline
    assert f"{url}/decline" not in client.get(url).text
    refused = client.post(f"{url}/decline", data={"reason": "不做"}, follow_redirects=True)
    assert "Another valuer is working on this request" in refused.text
    db.session.refresh(req)
    assert req.status.value == "in_progress" and req.valuer_id == taker.id

    sign_in(taker)
    assert f"{url}/decline" in client.get(url).text
    declined = client.post(f"{url}/decline", data={"reason": "资料不足"})
    assert declined.status_code == 302
    db.session.refresh(req)
    assert req.status.value == "declined" and req.decline_reason == "资料不足"
