"""Cheap requests stay cheap: repeated parameters are capped, facet links cost what they show."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient

from search.backend import SearchResult
from search.views import PAGE
from tests import factories

EN = {"Accept-Language": "en"}
MANY = [("field", f"f{i}") for i in range(3_000)]


def test_a_search_with_3000_values_of_one_parameter_is_a_400(client: FlaskClient) -> None:
    response = client.get("/search", query_string=MANY, headers=EN)
    assert response.status_code == 400
    assert "field" in response.get_data(as_text=True)


def test_the_api_refuses_3000_values_of_one_parameter_in_its_error_shape(
    client: FlaskClient,
) -> None:
    response = client.get("/api/v1/listings/", query_string=MANY, headers=EN)
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "bad_request" and list(body["errors"]) == ["field"]
    assert "at most 20" in body["errors"]["field"][0]


def test_twenty_values_of_one_parameter_still_search(client: FlaskClient) -> None:
    response = client.get("/search", query_string=MANY[:20], headers=EN)
    assert response.status_code == 200


def test_a_form_with_thousands_of_values_of_one_field_is_a_400(client: FlaskClient, clock) -> None:
    user = factories.seller(clock())
    client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})
    response = client.post("/searches", data={"name": "x", "field": [v for _, v in MANY]})
    assert response.status_code == 400


def _query(url: str) -> dict[str, list[str]]:
    parts = urlsplit(url)
    assert parts.path == "/search"
    return parse_qs(parts.query)


def test_facet_links_toggle_one_value_and_keep_the_rest_of_the_query(app: Flask) -> None:
    result = SearchResult(hits=[], total=0, facets={"field": {"energy": 3, "biomed": 1}})
    url = "/search?q=电池&field=energy&field=ict&region=上海市&page=3"
    with app.test_request_context(url, headers=EN):
        _, args = PAGE.read_query(lambda **kw: None, per_page=20)  # type: ignore[arg-type, return-value]
        sidebar = PAGE.sidebar(result, args)
    field = next(f for f in sidebar if f["name"] == "field")
    links = {v["value"]: (v["checked"], _query(v["url"])) for v in field["values"]}
    assert set(links) == {"energy", "biomed", "ict"}  # a ticked value stays to be unticked
    rest = {"q": ["电池"], "region": ["上海市"]}
    assert links["energy"] == (True, {**rest, "field": ["ict"]})
    assert links["ict"] == (True, {**rest, "field": ["energy"]})
    assert links["biomed"] == (False, {**rest, "field": ["energy", "ict", "biomed"]})
    region = next(f for f in sidebar if f["name"] == "region")
    assert _query(region["values"][0]["url"]) == {"q": ["电池"], "field": ["energy", "ict"]}


def test_a_facet_link_that_unticks_the_only_value_drops_the_parameter(app: Flask) -> None:
    result = SearchResult(hits=[], total=0, facets={"field": {"energy": 3}})
    with app.test_request_context("/search?field=energy", headers=EN):
        _, args = PAGE.read_query(lambda **kw: None, per_page=20)  # type: ignore[arg-type, return-value]
        [field] = [f for f in PAGE.sidebar(result, args) if f["name"] == "field"]
    assert field["values"][0]["url"] == "/search"
