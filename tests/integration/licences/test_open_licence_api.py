"""The open-licence API: the catalogue and a declaration are public, with what the caller
may do; a verified organisation takes the licence by notice with a write token."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests import factories
from tests.conftest import FrozenClock
from tests.integration.licences.test_open_licences import (  # noqa: F401
    _published,
    people,
    quick_passwords,
)


def test_a_licence_is_taken_through_the_api(app: Flask, client: FlaskClient, people: dict, clock: FrozenClock) -> None:  # noqa: F811  # fmt: skip
    declaration = _published(app, people, clock.current)
    found = client.get("/api/v1/open-licences/?q=正极&field=energy").get_json()
    assert [item["id"] for item in found["items"]] == [declaration.id]
    assert found["items"][0]["due_on_notice_minor"] == 2_000_000
    assert found["items"][0]["allowed_actions"] == []  # anonymous: nothing
    token = factories.api_token(people["enterprise"], "许可", now=clock.current)
    auth = {"Authorization": f"Bearer {token}"}
    shown = client.get(f"/api/v1/open-licences/{declaration.id}", headers=auth).get_json()
    assert shown["allowed_actions"] == ["give_notice"] and shown["licences"] == []
    assert client.post(f"/api/v1/open-licences/{declaration.id}/notice", json={"notice": ""}, headers=auth).status_code == 422  # fmt: skip
    taken = client.post(f"/api/v1/open-licences/{declaration.id}/notice", json={"notice": "我方按公布条件实施。"}, headers=auth)  # fmt: skip
    assert taken.status_code == 201
    body = taken.get_json()
    assert body["status"] == "awaiting_payment" and body["transfer_reference"] == f"OL-{body['id']}"
    record = client.get(f"/api/v1/open-licences/licences/{body['id']}", headers=auth).get_json()
    assert (
        record["amount_due_minor"] == 2_000_000
        and record["licensee"] == people["enterprise"].organisation.name
    )
    assert client.get(f"/api/v1/open-licences/licences/{body['id']}").status_code == 401
