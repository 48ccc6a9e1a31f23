"""Saved searches by API: create, list, change how often, delete; each only its owner's."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests import factories

URL = "/api/v1/saved-searches/"


def token_of(user: Any, now: Any) -> dict[str, str]:
    return {"Authorization": "Bearer " + factories.api_token(user, "alerts", now=now)}


def test_saved_search_is_created_listed_changed_and_deleted(
    client: FlaskClient, db_session, clock
) -> None:
    user = factories.enterprise(clock())
    token = token_of(user, clock())
    made = client.post(
        URL,
        json={
            "name": "电池",
            "text": "正极材料",
            "filters": {"field": ["energy"]},
            "frequency": "daily",
        },
        headers=token,
    )
    assert made.status_code == 201, made.json
    saved = made.json
    assert (saved["name"], saved["filters"], saved["frequency"]) == (
        "电池",
        {"field": ["energy"]},
        "daily",
    )
    assert [s["id"] for s in client.get(URL, headers=token).json["items"]] == [saved["id"]]
    changed = client.patch(f"{URL}{saved['id']}", json={"frequency": "instant"}, headers=token)
    assert changed.status_code == 200 and changed.json["frequency"] == "instant"
    gone = client.delete(f"{URL}{saved['id']}", headers=token)
    assert gone.status_code == 200 and gone.json["items"] == []
    assert client.get(URL, headers=token).json["items"] == []


def test_saved_search_refusals(client: FlaskClient, db_session, clock) -> None:
    owner, stranger = factories.enterprise(clock()), factories.enterprise(clock())
    token = token_of(owner, clock())
    bad = client.post(
        URL, json={"filters": {"colour": ["red"]}, "frequency": "hourly"}, headers=token
    )
    assert bad.status_code == 422
    assert "frequency" in bad.json["errors"] and any(
        key.startswith("filters") for key in bad.json["errors"]
    )
    saved = client.post(URL, json={"text": "电池", "frequency": "off"}, headers=token).json
    theirs = token_of(stranger, clock())
    assert (
        client.patch(f"{URL}{saved['id']}", json={"frequency": "daily"}, headers=theirs).status_code
        == 404
    )
    assert client.delete(f"{URL}{saved['id']}", headers=theirs).status_code == 404
    assert client.get(URL, headers=theirs).json["items"] == []
    assert client.post(URL, json={"frequency": "off"}).status_code == 401
