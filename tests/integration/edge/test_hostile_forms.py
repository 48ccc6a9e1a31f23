"""Hostile input to the HTML forms: the form again with a message, or an error page; never a
500, and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from auctions.models import Auction, Bid
from core.extensions import db
from listings.models import Listing, TechNeed
from tests import factories
from tests.integration.auctions.conftest import make_market
from tests.integration.sales import trading

EN = {"Accept-Language": "en"}


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def sign_in(client: FlaskClient, email: str) -> None:
    response = client.post("/signin", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302


def need_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "title": "寻求高镍正极材料循环寿命提升技术",
        "problem": "现有高镍三元正极材料循环500次后容量衰减超过20%。",
        "field": "energy",
        "region": "上海市",
        "transfer_modes": ["assignment"],
    }
    form.update(overrides)
    return form


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"deadline": "0001-01-01"}, "Give a date between the years"),
        ({"deadline": "9999-12-31"}, "Give a date between the years"),
        ({"min_trl": str(2**63)}, "Maturity (TRL) must be between 1 and 9."),
        ({"budget_max": "9" * 15}, "The amount is beyond what the market accepts."),
    ],
)
def test_the_need_form_shows_a_message_for_an_insane_value(
    client: FlaskClient, clock: Any, overrides: dict[str, Any], message: str
) -> None:
    sign_in(client, factories.enterprise(clock()).email)
    response = client.post("/needs/new", data=need_form(**overrides), headers=EN)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count(TechNeed) == 0


@pytest.mark.parametrize("field", ["title", "problem", "region"])
def test_a_nul_in_a_form_field_is_a_400_naming_the_field(
    client: FlaskClient, clock: Any, field: str
) -> None:
    sign_in(client, factories.enterprise(clock()).email)
    response = client.post("/needs/new", data=need_form(**{field: "电池\x00"}), headers=EN)
    assert response.status_code == 400
    assert field in response.get_data(as_text=True)
    assert count(TechNeed) == 0


def test_a_nul_in_a_query_string_is_a_400_naming_the_parameter(client: FlaskClient) -> None:
    response = client.get("/search", query_string={"q": "电池\x00"}, headers=EN)
    assert response.status_code == 400 and "q" in response.get_data(as_text=True)
    api = client.get("/api/v1/listings/", query_string={"q": "a\x00"})
    assert api.status_code == 400 and list(api.get_json()["errors"]) == ["q"]


def test_the_listing_form_refuses_a_maturity_beyond_any_number(client: FlaskClient, clock) -> None:
    sign_in(client, factories.seller(clock()).email)
    form = {
        "title_zh": "一种石墨烯导热膜的制备方法",
        "field": "materials",
        "trl": str(10**30),
        "holder": "测试大学",
        "region": "上海市",
        "transfer_modes": ["assignment"],
        "ip_kind": ["cn_application"],
        "ip_number": [factories.cn_application()],
        "ip_title": [""],
    }
    response = client.post("/listings/new", data=form, headers=EN)
    assert response.status_code == 422
    assert count(Listing) == 0


def _auction_form(**overrides: str) -> dict[str, str]:
    form = {
        "starting_price": "10,000",
        "increment": "500",
        "reserve_price": "",
        "starts_at": "2026-03-03T09:30",
        "ends_at": "2026-03-05T09:30",
        "deposit_percent": "10",
    }
    form.update(overrides)
    return form


@pytest.mark.parametrize(
    "overrides, field_message",
    [
        ({"starts_at": "0001-01-01"}, "Give a date"),
        ({"starts_at": "0001-01-01T00:00"}, "Give a date"),
        ({"ends_at": "9999-12-31T23:59"}, "Give a date"),
        ({"deposit_percent": str(2**63)}, "The deposit must be between 5 and 20 percent"),
        ({"starting_price": "9" * 40}, ""),
    ],
)
def test_the_auction_form_shows_a_message_for_an_insane_value(
    client: FlaskClient,
    clock: Any,
    upload_folder: Any,
    overrides: dict[str, str],
    field_message: str,
) -> None:
    m = trading.market(clock(), upload_folder)
    sign_in(client, m.seller.email)
    response = client.post(
        f"/listings/{m.listing.id}/auction/new", data=_auction_form(**overrides), headers=EN
    )
    assert response.status_code in (400, 422)
    assert field_message in response.get_data(as_text=True)
    assert count(Auction) == 0


@pytest.mark.parametrize(
    "amount", ["9" * 40, "1e400", "9" * 5_000, "１２３\x00", "9" * 15, "1,000,000,000,001"]
)
def test_the_bid_form_refuses_an_insane_amount(
    client: FlaskClient, clock: Any, upload_folder: Any, amount: str
) -> None:
    market = make_market(clock(), upload_folder)
    bidder = market.bidder()
    sign_in(client, bidder.email)
    response = client.post(
        f"/auctions/{market.auction.id}/bids", data={"amount": amount}, headers=EN
    )
    assert 400 <= response.status_code < 500
    assert count(Bid) == 0


def test_the_message_is_in_chinese_by_default(client: FlaskClient, clock: Any) -> None:
    sign_in(client, factories.enterprise(clock()).email)
    response = client.post("/needs/new", data=need_form(deadline="0001-01-01"))
    assert response.status_code == 422
    assert "请填写 1900 年至 2100 年之间的日期。" in response.get_data(as_text=True)
