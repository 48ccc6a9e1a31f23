"""The help pages: one per pricing method, TRL and grades, FAQ and contacts, in both languages."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from marketplace.help_pages import TOPICS


@pytest.mark.parametrize("topic", list(TOPICS))
@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_each_help_page_renders_in_both_languages(
    client: FlaskClient, topic: str, language: str
) -> None:
    response = client.get(f"/help/{topic}", headers={"Accept-Language": language})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert ('<html lang="en">' in page) == (language == "en")
    assert ("Help" in page) == (language == "en")
    assert ("帮助" in page) == (language == "zh-CN")


def test_the_help_names_the_configured_rules(client: FlaskClient, app: Flask) -> None:
    headers = {"Accept-Language": "en"}
    listed = client.get("/help/listed-sale", headers=headers).get_data(as_text=True)
    assert f"{app.config['LISTING_PERIOD_WORKING_DAYS']} working days" in listed
    auction = client.get("/help/auction", headers=headers).get_data(as_text=True)
    assert f"at least {app.config['AUCTION_ANNOUNCEMENT_DAYS']} days before" in auction
    assert f"{app.config['DEFAULT_DEPOSIT_BPS'] / 100:g}% of the starting price" in auction
    notice = client.get("/help/negotiation", headers=headers).get_data(as_text=True)
    assert f"for {app.config['PUBLICITY_DAYS']} days" in notice


def test_the_contacts_come_from_the_configuration(client: FlaskClient, app: Flask) -> None:
    app.config["MARKET_CONTACT_PHONE"] = "0631-5200000"
    app.config["MARKET_CONTACT_EMAIL"] = "service@market.example"
    try:
        page = client.get("/help/contacts").get_data(as_text=True)
    finally:
        app.config["MARKET_CONTACT_PHONE"] = ""
        app.config["MARKET_CONTACT_EMAIL"] = ""
    assert "0631-5200000" in page and "mailto:service@market.example" in page
    empty = client.get("/help/contacts", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "has not published its contacts" in empty


def test_an_unknown_help_topic_is_not_found(client: FlaskClient) -> None:
    assert client.get("/help/nothing-here").status_code == 404
    assert client.get("/help/").status_code == 200
