"""Sessions end at sign-out, at a password change and after their lifetime; proxies are trusted
only when configured."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from accounts.models import User
from core.audit_models import AuditEntry
from core.extensions import db
from marketplace import create_app
from tests import factories
from tests.conftest import FrozenClock

NEW_PASSWORD = "Blue-kettle-on-the-stove-7"


def _signed_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    response = client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


def _copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of `client`'s session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def _is_signed_in(client: FlaskClient) -> bool:
    return client.get("/organisation").status_code == 200


def test_a_session_cookie_copied_before_sign_out_is_refused_after(
    app: Flask, db_session, clock: FrozenClock
) -> None:
    user = factories.seller(clock())
    browser = _signed_in(app, user)
    thief = _copy(app, browser)
    assert _is_signed_in(thief)
    browser.post("/signout")
    assert not _is_signed_in(browser)
    assert not _is_signed_in(thief)
    assert db.session.query(AuditEntry).filter_by(action="user.sign_out").count() == 1


def test_a_password_change_signs_out_every_other_session_and_keeps_this_one(
    app: Flask, db_session, clock: FrozenClock
) -> None:
    user = factories.seller(clock())
    laptop, phone = _signed_in(app, user), _signed_in(app, user)
    response = laptop.post(
        "/account/password",
        data={"current_password": factories.PASSWORD, "password": NEW_PASSWORD},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 302
    assert _is_signed_in(laptop)
    assert not _is_signed_in(phone)
    laptop.post("/signout")
    assert (
        laptop.post(
            "/signin", data={"email": user.email, "password": factories.PASSWORD}
        ).status_code
        == 422
    )
    assert (
        laptop.post("/signin", data={"email": user.email, "password": NEW_PASSWORD}).status_code
        == 302
    )
    assert db.session.query(AuditEntry).filter_by(action="user.password_change").count() == 1


@pytest.mark.parametrize(
    ("current", "new", "message"),
    [
        ("Wrong-password-1", NEW_PASSWORD, "current password is wrong"),
        (factories.PASSWORD, "Liverpool2024!", "most common"),
        (factories.PASSWORD, "Ab3-" + "x" * 200, "at most 128 characters"),
    ],
)
def test_a_password_change_is_refused_without_the_current_password_or_with_a_weak_one(
    app: Flask, db_session, clock: FrozenClock, current: str, new: str, message: str
) -> None:
    user = factories.seller(clock())
    browser = _signed_in(app, user)
    response = browser.post(
        "/account/password",
        data={"current_password": current, "password": new},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _is_signed_in(browser)
    browser.post("/signout")
    assert (
        browser.post(
            "/signin", data={"email": user.email, "password": factories.PASSWORD}
        ).status_code
        == 302
    )


def test_a_session_ends_twelve_hours_after_sign_in_however_active(
    app: Flask, db_session, clock: FrozenClock
) -> None:
    browser = _signed_in(app, factories.seller(clock()))
    for _ in range(11):
        clock.advance(hours=1)
        assert _is_signed_in(browser)
    clock.advance(minutes=59)
    assert _is_signed_in(browser)
    clock.advance(minutes=1)
    response = browser.get("/organisation", headers={"Accept-Language": "en"})
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def _attempt(client: FlaskClient, forwarded_for: str):
    """An incomplete sign-in form: counted by the rate limit, never a password failure."""
    return client.post(
        "/signin",
        data={"email": "x@example.cn"},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(
    app: Flask, client: FlaskClient
) -> None:
    limit = int(app.config["SIGNIN_RATE_LIMIT"].split()[0])
    for n in range(limit):
        assert _attempt(client, f"192.0.2.{n}").status_code == 422
    assert _attempt(client, "198.51.100.1").status_code == 429


def test_x_forwarded_for_names_the_client_behind_a_trusted_proxy(
    app: Flask, db_session, tmp_path: Path
) -> None:
    proxied = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SEARCH_INDEX_PATH": str(tmp_path / "search.db"),
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
            "TRUSTED_PROXY_COUNT": 1,
        }
    )
    client = proxied.test_client()
    limit = int(proxied.config["SIGNIN_RATE_LIMIT"].split()[0])
    for _ in range(limit):
        assert _attempt(client, "192.0.2.1").status_code == 422
    assert _attempt(client, "192.0.2.1").status_code == 429
    assert _attempt(client, "198.51.100.1").status_code == 422
