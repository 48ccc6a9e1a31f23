"""Every response carries the security headers; pages run only the scripts they were given."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from config import ProductionConfig

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _policy(response: TestResponse) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()
    }


def _assert_secured(response: TestResponse) -> dict[str, str]:
    for name, value in COMMON.items():
        assert response.headers[name] == value, name
    policy = _policy(response)
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "Strict-Transport-Security" not in response.headers  # not outside production
    return policy


def test_a_page_allows_exactly_the_scripts_it_carries_with_a_fresh_nonce(
    client: FlaskClient,
) -> None:
    nonces = []
    for _ in range(2):
        response = client.get("/signup")
        policy = _assert_secured(response)
        [nonce] = re.findall(r"'nonce-([^']+)'", policy["script-src"])
        page = response.get_data(as_text=True)
        scripts = re.findall(r"<script\b[^>]*>", page)
        assert len(scripts) >= 3  # bootstrap, the site's scripts, the page's own
        assert all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/api/v1/listings/",
        "/api/v1/openapi.json",
        "/no-such-page",
        "/api/v1/no-such-endpoint",
        "/listings/999999999",
    ],
)
def test_html_api_and_error_responses_carry_the_headers(client: FlaskClient, path: str) -> None:
    _assert_secured(client.get(path))


def test_a_locked_sign_in_page_carries_the_headers(client: FlaskClient) -> None:
    for _ in range(5):
        response = client.post("/signin", data={"email": "a@example.cn", "password": "wrong"})
    assert response.status_code == 429
    _assert_secured(response)


def test_hsts_is_sent_by_production_settings_only(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ProductionConfig.HSTS and "max-age=" in ProductionConfig.HSTS
    monkeypatch.setitem(app.config, "HSTS", ProductionConfig.HSTS)
    assert client.get("/").headers["Strict-Transport-Security"] == ProductionConfig.HSTS
