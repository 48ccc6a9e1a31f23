"""Changing one's password by API: proven by the current one, a weak new one refused on its
own field, the browser sessions ended, the new password the one that signs in."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests import factories
from tests.conftest import FrozenClock

NEW = "Battery-staple-27"


def test_a_person_changes_the_password_by_api(client: FlaskClient, db_session: object, clock: FrozenClock) -> None:  # fmt: skip
    person = factories.enterprise(clock.current)
    browser = client.application.test_client()
    signed_in = browser.post("/signin", data={"email": person.email, "password": factories.PASSWORD})  # fmt: skip
    assert signed_in.status_code == 302 and browser.get("/account/password").status_code == 200
    auth = {"Authorization": f"Bearer {factories.api_token(person, '密码', now=clock.current)}", "Accept-Language": "en"}  # fmt: skip
    url = "/api/v1/accounts/me/password"
    assert client.post(url, json={"current_password": factories.PASSWORD, "password": NEW}).status_code == 401  # fmt: skip
    wrong = client.post(url, json={"current_password": "Not-the-password-1", "password": NEW}, headers=auth)  # fmt: skip
    assert wrong.status_code == 422 and list(wrong.get_json()["errors"]) == ["current_password"]
    weak = client.post(url, json={"current_password": factories.PASSWORD, "password": "short"}, headers=auth)  # fmt: skip
    assert weak.status_code == 422 and list(weak.get_json()["errors"]) == ["password"]
    changed = client.post(url, json={"current_password": factories.PASSWORD, "password": NEW}, headers=auth)  # fmt: skip
    assert changed.status_code == 200 and changed.get_json()["email"] == person.email
    assert browser.get("/account/password").status_code == 302  # that session has ended
    fresh = client.application.test_client()
    assert fresh.post("/signin", data={"email": person.email, "password": factories.PASSWORD}).status_code != 302  # fmt: skip
    assert fresh.post("/signin", data={"email": person.email, "password": NEW}).status_code == 302
