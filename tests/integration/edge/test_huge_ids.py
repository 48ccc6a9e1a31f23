"""Ids beyond any row, in any URL of the app, are "not found", never a server error."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule
from werkzeug.routing.converters import IntegerConverter

from tests import factories

HUGE = (2**63, 2**64, 10**30)
_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def _int_rules(app: Flask) -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values())
    ]


def _url(rule: Rule, number: int) -> str:
    def substitute(match: re.Match[str]) -> str:
        converter = rule._converters[match["name"]]
        return str(number) if isinstance(converter, IntegerConverter) else "x"

    return _ARGUMENT.sub(substitute, rule.rule)


def test_the_app_has_many_routes_with_ids(app: Flask) -> None:
    assert len(_int_rules(app)) > 50


@pytest.mark.parametrize("number", HUGE, ids=["2**63", "2**64", "10**30"])
def test_every_route_with_an_id_answers_not_found_for_an_id_beyond_any_row(
    app: Flask, client: FlaskClient, clock, number: int
) -> None:
    user = factories.seller(clock())
    token = {"Authorization": f"Bearer {factories.api_token(user, 'probe', now=clock())}"}
    client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})
    failures = []
    for rule in _int_rules(app):
        url = _url(rule, number)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            try:
                status = client.open(url, method=method, headers=token, json={}).status_code
            except Exception as error:  # a 500: TESTING propagates it
                status = f"500 {type(error).__name__}"
            # 405 when werkzeug matched the path for another method before the converter said no
            if status not in (404, 405):
                failures.append(f"{method} {url}: {status}")
    assert failures == []


HOSTILE_QUERY = {
    "page": str(10**30),
    "per_page": str(2**63),
    "limit": str(2**64),
    "listing_id": str(2**63),
    "need_id": str(10**30),
    "buyer_org_id": str(2**64),
    "broker_id": str(2**63),
    "auction_id": str(2**63),
    "starts_at": "0001-01-01",
    "ends_at": "9999-12-31T23:59",
    "since": "0001-01-01",
    "min_price": str(10**30),
    "max_price": "1e400",
    "trl": str(2**63),
    "q": "电池",
}


def test_every_page_without_an_id_survives_a_hostile_query_string(
    app: Flask, client: FlaskClient, clock
) -> None:
    user = factories.seller(clock())
    client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})
    token = {"Authorization": f"Bearer {factories.api_token(user, 'probe', now=clock())}"}
    failures = []
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in (rule.methods or set()) or rule.rule == "/signout":
            continue
        try:
            status = client.get(rule.rule, query_string=HOSTILE_QUERY, headers=token).status_code
        except Exception as error:  # a 500: TESTING propagates it
            status = 500
            failures.append(f"GET {rule.rule}: {type(error).__name__}: {error}"[:200])
            continue
        if status >= 500:
            failures.append(f"GET {rule.rule}: {status}")
    assert failures == []


HOSTILE_FORM = {
    **HOSTILE_QUERY,
    "amount": "9" * 15,
    "price": "9" * 15,
    "asking_price": "9" * 15,
    "deposit_percent": str(2**63),
    "working_days": str(2**63),
    "notice_days": str(2**63),
    "score": str(2**63),
    "deadline": "0001-01-01",
    "expires_on": "9999-12-31",
    "signed_on": "0001-01-01",
    "starts_on": "0001-01-01",
    "ends_on": "9999-12-31",
    "trl": str(10**30),
    "min_trl": str(10**30),
}


def test_every_form_without_an_id_survives_hostile_values(
    app: Flask, client: FlaskClient, clock
) -> None:
    user = factories.seller(clock())
    client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})
    failures = []
    for rule in app.url_map.iter_rules():
        if rule.arguments or "POST" not in (rule.methods or set()) or rule.rule == "/signout":
            continue
        try:
            status = client.post(rule.rule, data=HOSTILE_FORM).status_code
        except Exception as error:  # a 500: TESTING propagates it
            failures.append(f"POST {rule.rule}: {type(error).__name__}: {error}"[:200])
            continue
        if status >= 500:
            failures.append(f"POST {rule.rule}: {status}")
    assert failures == []
