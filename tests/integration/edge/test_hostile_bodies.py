"""Hostile JSON bodies to the API: a clear 4xx in the one error shape, and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from auctions.models import Bid
from core.extensions import db
from listings.models import Listing, TechNeed
from tests import factories
from tests.integration.auctions.conftest import make_market
from tests.integration.sales import trading
from trading.models import ListedSale, Negotiation

EN = {"Accept-Language": "en"}
HUGE_INTS = [2**63, 2**64, 10**30, -(2**63)]
NOT_WHOLE_NUMBERS = [1.5, "100000", True, None]


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def bearer(user: Any, clock: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(user, 'probe', now=clock())}", **EN}


def assert_refused(response: Any, *fields: str, status: tuple[int, ...] = (400, 422)) -> None:
    """A 4xx in the one shape of the API, naming each of `fields` as the client sent it."""
    assert response.status_code in status, (response.status_code, response.get_data(True)[:300])
    body = response.get_json()
    assert set(body) == {"code", "message", "errors"}, body
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    for name in fields:
        assert name in body["errors"], body["errors"]
        assert all(isinstance(m, str) for m in body["errors"][name])


def listing_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title_zh": "一种锂电池",
        "field": "energy",
        "trl": 4,
        "holder": "测试大学",
        "region": "上海市",
        "transfer_modes": ["assignment"],
        "ip_assets": [{"kind": "cn_application", "number": factories.cn_application()}],
    }
    body.update(overrides)
    return body


def need_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "寻求高镍正极材料循环寿命提升技术",
        "problem": "现有高镍三元正极材料循环500次后容量衰减超过20%。",
        "field": "energy",
        "region": "上海市",
        "transfer_modes": ["assignment"],
    }
    body.update(overrides)
    return body


# --- bids ---------------------------------------------------------------------------------


@pytest.fixture
def bid_url(client: FlaskClient, clock: Any, upload_folder: Any) -> tuple[str, dict[str, str]]:
    market = make_market(clock(), upload_folder)
    return f"/api/v1/auctions/{market.auction.id}/bids", bearer(market.bidder(), clock)


@pytest.mark.parametrize("amount", HUGE_INTS + NOT_WHOLE_NUMBERS)
def test_a_bid_of_an_amount_that_is_no_whole_sane_number_is_refused(
    client: FlaskClient, bid_url: tuple[str, dict[str, str]], amount: Any
) -> None:
    url, auth = bid_url
    response = client.post(url, json={"amount_minor": amount}, headers=auth)
    assert_refused(response, "amount_minor")
    assert count(Bid) == 0


def test_a_proxy_maximum_beyond_any_amount_is_refused(
    client: FlaskClient, bid_url: tuple[str, dict[str, str]]
) -> None:
    url, auth = bid_url
    response = client.post(url, json={"amount_minor": 1_000_000, "max_minor": 10**30}, headers=auth)
    assert_refused(response, "max_minor")
    assert count(Bid) == 0


def test_a_bid_the_rules_refuse_names_the_field_the_client_sent(
    client: FlaskClient, bid_url: tuple[str, dict[str, str]]
) -> None:
    url, auth = bid_url
    response = client.post(url, json={"amount_minor": 1}, headers=auth)  # below the start
    assert response.status_code == 409
    body = response.get_json()
    assert {"code", "message", "errors"} <= set(body)
    assert list(body["errors"]) == ["amount_minor"]
    assert count(Bid) == 0


def test_a_maximum_the_rules_refuse_names_the_field_the_client_sent(
    client: FlaskClient, bid_url: tuple[str, dict[str, str]]
) -> None:
    url, auth = bid_url
    response = client.post(url, json={"amount_minor": 1_000_000, "max_minor": 1}, headers=auth)
    assert response.status_code in (409, 422)
    assert list(response.get_json()["errors"]) == ["max_minor"]
    assert count(Bid) == 0


# --- bodies that are not sane JSON ----------------------------------------------------------

BAD_JSON: dict[str, bytes] = {
    "deep nesting": b"[" * 50_000 + b"]" * 50_000,
    "deep nesting in an object": b'{"amount_minor": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    "5,000-digit integer": b'{"amount_minor": ' + b"7" * 5_000 + b"}",
    "lone surrogate": b'{"amount_minor": 1000000, "note": "\\ud800"}',
    "not JSON": b'{"amount_minor": ',
    "not UTF-8": b'{"amount_minor": 1000000, "note": "\xff"}',
}


@pytest.mark.parametrize("raw", BAD_JSON.values(), ids=BAD_JSON.keys())
def test_a_body_that_is_not_sane_json_is_a_400_for_a_bid(
    client: FlaskClient, bid_url: tuple[str, dict[str, str]], raw: bytes
) -> None:
    url, auth = bid_url
    response = client.post(url, data=raw, content_type="application/json", headers=auth)
    assert_refused(response, status=(400,))
    assert count(Bid) == 0


@pytest.mark.parametrize("raw", BAD_JSON.values(), ids=BAD_JSON.keys())
def test_a_body_that_is_not_sane_json_is_a_400_for_a_listing(
    client: FlaskClient, clock: Any, raw: bytes
) -> None:
    auth = bearer(factories.seller(clock()), clock)
    response = client.post(
        "/api/v1/listings/", data=raw, content_type="application/json", headers=auth
    )
    assert_refused(response, status=(400,))
    assert count(Listing) == 0


LONE_SURROGATE = "\ud800"


@pytest.mark.parametrize("text", ["锂电池\x00", LONE_SURROGATE, "a\udfffb"])
def test_a_listing_whose_text_holds_a_nul_or_a_lone_surrogate_is_refused_on_that_field(
    client: FlaskClient, clock: Any, text: str
) -> None:
    auth = bearer(factories.seller(clock()), clock)
    import json

    raw = json.dumps(listing_body(title_zh=text))  # ensure_ascii: "\ud800" as an escape
    response = client.post(
        "/api/v1/listings/", data=raw, content_type="application/json", headers=auth
    )
    assert_refused(response, "title_zh")
    assert count(Listing) == 0


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"trl": 2**63}, "trl"),
        ({"asking_price_minor": 10**30}, "asking_price_minor"),
        ({"asking_price_minor": 1.5}, "asking_price_minor"),
        ({"asking_price_minor": "100000"}, "asking_price_minor"),
        ({"inventors": ["张三"] * 5_000}, "inventors"),
        ({"ip_assets": [{"kind": "cn_application", "number": "2015\x00"}]}, "ip_assets.0.number"),
    ],
)
def test_a_listing_with_an_insane_value_is_refused_on_that_field(
    client: FlaskClient, clock: Any, overrides: dict[str, Any], field: str
) -> None:
    auth = bearer(factories.seller(clock()), clock)
    response = client.post("/api/v1/listings/", json=listing_body(**overrides), headers=auth)
    assert_refused(response, field)
    assert count(Listing) == 0


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize("deadline", ["0001-01-01", "9999-12-31", "1000-06-01"])
def test_a_need_with_a_deadline_outside_any_sane_year_is_refused(
    client: FlaskClient, clock: Any, deadline: str
) -> None:
    auth = bearer(factories.enterprise(clock()), clock)
    response = client.post("/api/v1/needs/", json=need_body(deadline=deadline), headers=auth)
    assert_refused(response, "deadline")
    assert count(TechNeed) == 0


@pytest.mark.parametrize("amount", [10**30, 2**63, 1.5, "5000000"])
def test_a_need_budget_that_is_no_sane_amount_is_refused(
    client: FlaskClient, clock: Any, amount: Any
) -> None:
    auth = bearer(factories.enterprise(clock()), clock)
    response = client.post("/api/v1/needs/", json=need_body(budget_max_minor=amount), headers=auth)
    assert_refused(response, "budget_max_minor")
    assert count(TechNeed) == 0


# --- listed sales and negotiations -----------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"asking_price_minor": 2**63}, "asking_price_minor"),
        ({"asking_price_minor": 10**30}, "asking_price_minor"),
        ({"asking_price_minor": 1.5}, "asking_price_minor"),
        ({"asking_price_minor": "50000000"}, "asking_price_minor"),
        ({"working_days": 2**64}, "working_days"),
        ({"deposit_minor": 10**30}, "deposit_minor"),
        ({"listing_id": 2**63}, "listing_id"),
    ],
)
def test_a_listed_sale_with_an_insane_number_is_refused(
    client: FlaskClient, clock: Any, upload_folder: Any, overrides: dict[str, Any], field: str
) -> None:
    m = trading.market(clock(), upload_folder)
    body = {"listing_id": m.listing.id, "asking_price_minor": 50_000_000, **overrides}
    response = client.post("/api/v1/sales/", json=body, headers=bearer(m.seller, clock))
    assert_refused(response, field)
    assert count(ListedSale) == 0


@pytest.mark.parametrize(
    "body, field",
    [
        ({"amount_minor": 10**30}, "amount_minor"),
        ({"amount_minor": 2.5}, "amount_minor"),
        ({"buyer_org_id": 2**63}, "buyer_org_id"),
        ({"message": "hello\x00"}, "message"),
    ],
)
def test_opening_a_negotiation_with_insane_input_is_refused(
    client: FlaskClient, clock: Any, upload_folder: Any, body: dict[str, Any], field: str
) -> None:
    m = trading.market(clock(), upload_folder)
    response = client.post(
        "/api/v1/sales/negotiations",
        json={"listing_id": m.listing.id, "amount_minor": 40_000_000, **body},
        headers=bearer(m.buyer, clock),
    )
    assert_refused(response, field)
    assert count(Negotiation) == 0


def test_validation_errors_are_not_nested_under_the_location(
    client: FlaskClient, clock: Any
) -> None:
    auth = bearer(factories.seller(clock()), clock)
    response = client.post("/api/v1/listings/", json=listing_body(trl="x"), headers=auth)
    assert_refused(response, "trl")
    assert "json" not in response.get_json()["errors"]


def test_the_largest_amount_is_a_setting(app: Any, client: FlaskClient, clock: Any) -> None:
    auth = bearer(factories.enterprise(clock()), clock)
    app.config["MAX_AMOUNT_MINOR"] = 1_000_000
    try:
        refused = client.post(
            "/api/v1/needs/", json=need_body(budget_max_minor=1_000_001), headers=auth
        )
        accepted = client.post(
            "/api/v1/needs/", json=need_body(budget_max_minor=1_000_000), headers=auth
        )
    finally:
        app.config["MAX_AMOUNT_MINOR"] = 10**14
    assert_refused(refused, "budget_max_minor")
    assert accepted.status_code == 201
    assert count(TechNeed) == 1


@pytest.mark.parametrize(
    "moments, field",
    [
        ({"starts_at": "0001-01-01"}, "starts_at"),
        ({"starts_at": "0001-01-01T00:00:00+08:00"}, "starts_at"),
        ({"ends_at": "9999-12-31T23:59:59+00:00"}, "ends_at"),
        ({"notice_days": 2**63}, "notice_days"),
        ({"rate_bps": 10**30}, "rate_bps"),
        ({"fixed_minor": 1.5}, "fixed_minor"),
    ],
)
def test_a_mandate_with_an_insane_moment_or_number_is_refused(
    client: FlaskClient, clock: Any, moments: dict[str, Any], field: str
) -> None:
    body = {
        "broker_id": 1,
        "side": "seller",
        "listing_id": 1,
        "starts_at": "2026-03-03T00:00:00+00:00",
        "ends_at": "2026-09-03T00:00:00+00:00",
        "commission_kind": "percentage",
        "rate_bps": 200,
        "payer": "seller",
        **moments,
    }
    auth = bearer(factories.seller(clock()), clock)
    response = client.post("/api/v1/brokers/mandates", json=body, headers=auth)
    assert_refused(response, field)
