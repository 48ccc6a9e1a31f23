"""Sign-in under attack: lockouts per account and per address, the same path for unknown emails."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from accounts import services as accounts
from accounts.signup_checks import TERMS_VERSION
from tests import factories
from tests.conftest import FrozenClock

WRONG = "Not-the-password-1"


def _sign_in(client: FlaskClient, email: str, password: str, address: str = "198.51.100.7"):
    return client.post(
        "/signin",
        data={"email": email, "password": password},
        headers={"Accept-Language": "en"},
        environ_base={"REMOTE_ADDR": address},
    )


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    client: FlaskClient, clock: FrozenClock
) -> None:
    user = factories.seller(clock())
    for _ in range(4):
        assert _sign_in(client, user.email, WRONG).status_code == 422
    locked = _sign_in(client, user.email, WRONG)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) == 60
    assert "Too many failed sign-ins" in locked.get_data(as_text=True)
    refused = _sign_in(client, user.email, factories.PASSWORD)
    assert refused.status_code == 429
    assert client.get("/organisation").status_code == 302  # still signed out


def test_the_lock_ends_and_each_further_failure_locks_for_longer(
    client: FlaskClient, clock: FrozenClock
) -> None:
    user = factories.seller(clock())
    for _ in range(5):
        _sign_in(client, user.email, WRONG)
    clock.advance(seconds=61)
    assert int(_sign_in(client, user.email, WRONG).headers["Retry-After"]) == 120
    clock.advance(seconds=121)
    assert _sign_in(client, user.email, factories.PASSWORD).status_code == 302


def test_a_right_password_forgives_the_failures_before_it(
    client: FlaskClient, clock: FrozenClock
) -> None:
    user = factories.seller(clock())
    for _ in range(4):
        _sign_in(client, user.email, WRONG)
    assert _sign_in(client, user.email, factories.PASSWORD).status_code == 302
    client.post("/signout")
    for _ in range(4):
        assert _sign_in(client, user.email, WRONG).status_code == 422


def test_unknown_and_known_emails_take_the_same_path(
    client: FlaskClient, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = factories.seller(clock())
    verified: list[str] = []
    real = accounts._hasher

    class CountingHasher:
        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

        def verify(self, hash: str, password: str) -> bool:
            verified.append(hash[:9])
            return real.verify(hash, password)

    monkeypatch.setattr(accounts, "_hasher", CountingHasher())
    answers = {}
    for email in (user.email, "nobody@example.edu.cn"):
        verified.clear()
        pages = [_sign_in(client, email, WRONG) for _ in range(5)]
        answers[email] = ([p.status_code for p in pages], len(verified))
        assert verified and set(verified) == {"$argon2id"}  # a real hash each time
    assert answers[user.email] == answers["nobody@example.edu.cn"] == ([422] * 4 + [429], 5)


def test_many_accounts_tried_from_one_address_lock_that_address_only(
    client: FlaskClient, clock: FrozenClock
) -> None:
    user = factories.seller(clock())
    for n in range(20):
        _sign_in(client, f"guess{n}@example.edu.cn", WRONG, address="203.0.113.9")
    assert _sign_in(client, user.email, factories.PASSWORD, "203.0.113.9").status_code == 429
    assert _sign_in(client, user.email, factories.PASSWORD, "198.51.100.7").status_code == 302


def test_too_many_attempts_from_one_address_are_refused_with_retry_after(
    app: Flask, client: FlaskClient, clock: FrozenClock
) -> None:
    def attempt(address: str):  # an incomplete form: counted, yet never a failed password
        return client.post(
            "/signin",
            data={"email": "x@example.cn"},
            headers={"Accept-Language": "en"},
            environ_base={"REMOTE_ADDR": address},
        )

    limit = int(app.config["SIGNIN_RATE_LIMIT"].split()[0])
    for _ in range(limit):
        assert attempt("192.0.2.1").status_code == 422
    refused = attempt("192.0.2.1")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 61  # about the minute of the limit
    assert "Too many sign-in attempts" in refused.get_data(as_text=True)
    assert attempt("192.0.2.2").status_code == 422


@pytest.mark.parametrize(
    ("password", "message"),
    [("Liverpool2024!", "most common"), ("Ab3-" + "x" * 200, "at most 128 characters")],
)
def test_sign_up_refuses_a_common_or_too_long_password(
    client: FlaskClient, password: str, message: str
) -> None:
    response = client.post(
        "/signup",
        data={
            "name": "王老师",
            "email": "tto@example.edu.cn",
            "password": password,
            "organisation_mode": "create",
            "org_name": "江城理工大学",
            "kind": "university",
            "credit_code": factories.credit_code(),
            "region": "武汉",
            "consent": TERMS_VERSION,
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert client.get("/organisation").status_code == 302  # nobody signed in
