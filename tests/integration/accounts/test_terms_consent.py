"""New terms: a person who accepted an earlier version is asked to accept the current one
before going on in the browser, whether signed in already or signing in; the API goes on."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from accounts.models import User
from accounts.signup_checks import TERMS_VERSION
from core.audit_models import AuditEntry
from core.extensions import db
from core.uow import unit_of_work
from tests import factories

EN = {"Accept-Language": "en"}
EARLIER = "2026-12"
ACCEPT = "/terms/accept"


def _on_earlier_terms(user: User) -> None:
    with unit_of_work():
        db.session.get(User, user.id).terms_version = EARLIER  # type: ignore[union-attr]


def _sign_in(client: FlaskClient, email: str, next_page: str = "") -> Any:
    data = {"email": email, "password": factories.PASSWORD, "next": next_page}
    response = client.post("/signin", data=data)
    assert response.status_code == 302
    return response


def test_a_signed_in_person_accepts_the_new_terms_before_going_on_and_it_is_audited(
    app: Any, client: FlaskClient, clock: Any
) -> None:
    seller = factories.seller(clock())
    token = factories.api_token(seller, "sync", now=clock())
    _sign_in(client, seller.email)
    assert client.get("/organisation", headers=EN).status_code == 200
    _on_earlier_terms(seller)  # the terms changed while they were signed in

    asked = client.get("/organisation?tab=members", headers=EN)
    assert asked.status_code == 303
    assert asked.headers["Location"] == f"{ACCEPT}?next=/organisation?tab%3Dmembers"
    page = client.get(asked.headers["Location"], headers=EN).get_data(as_text=True)
    assert "The terms have changed" in page and f"version {EARLIER}" in page
    assert "The privacy notice says what personal information is collected" in page
    assert 'href="/terms"' in page and 'href="/privacy"' in page
    assert 'action="/signout"' in page

    assert client.get("/terms", headers=EN).status_code == 200  # the texts stay readable
    issued = client.post("/account/tokens", data={"name": "more", "scope": "read", "days": "30"})
    assert issued.status_code == 303 and issued.headers["Location"] == ACCEPT
    bearer = {"Authorization": f"Bearer {token}", **EN}
    assert client.get("/api/v1/accounts/me", headers=bearer).status_code == 200  # the API goes on
    assert client.get("/search/suggest?q=ab", headers={"Accept": "application/json"}).is_json

    unticked = client.post(ACCEPT, data={"next": "/organisation"}, headers=EN)
    assert unticked.status_code == 422
    assert "Tick the box to accept" in unticked.get_data(as_text=True)
    assert db.session.get(User, seller.id).terms_version == EARLIER  # type: ignore[union-attr]

    accepted = client.post(
        ACCEPT, data={"consent": TERMS_VERSION, "next": "/organisation"}, headers=EN
    )
    assert accepted.status_code == 302 and accepted.headers["Location"] == "/organisation"
    user = db.session.get(User, seller.id)
    assert user is not None and user.terms_version == TERMS_VERSION
    assert user.terms_accepted_at == clock()
    entry = db.session.query(AuditEntry).filter_by(action="user.accept_terms").one()
    assert (entry.object_id, entry.actor_id) == (seller.id, seller.id)
    assert entry.before is not None and entry.after is not None
    assert entry.before["terms"] == EARLIER and entry.after["terms"] == TERMS_VERSION
    shown = client.get("/organisation", headers=EN).get_data(as_text=True)
    assert "you accepted the current terms" in shown
    assert client.get(ACCEPT).headers["Location"] == "/home"  # nothing left to accept


def test_signing_in_on_earlier_terms_asks_first_and_then_goes_where_it_was_going(
    client: FlaskClient, clock: Any
) -> None:
    seller = factories.seller(clock())
    _on_earlier_terms(seller)
    signed_in = _sign_in(client, seller.email, next_page="/my/listings")
    asked = client.get(signed_in.headers["Location"])
    assert asked.headers["Location"] == f"{ACCEPT}?next=/my/listings"
    zh = client.get(asked.headers["Location"], headers={"Accept-Language": "zh-CN"})
    assert "条款已更新" in zh.get_data(as_text=True)
    accepted = client.post(ACCEPT, data={"consent": TERMS_VERSION, "next": "/my/listings"})
    assert accepted.headers["Location"] == "/my/listings"
    assert client.get("/my/listings").status_code == 200


def test_terms_changed_while_the_page_was_open_are_not_taken_as_accepted(
    client: FlaskClient, clock: Any
) -> None:
    seller = factories.seller(clock())
    _on_earlier_terms(seller)
    _sign_in(client, seller.email)
    stale = client.post(ACCEPT, data={"consent": EARLIER}, headers=EN)
    assert stale.status_code == 422 and "changed again" in stale.get_data(as_text=True)
    assert db.session.query(AuditEntry).filter_by(action="user.accept_terms").count() == 0


def test_the_market_staff_are_not_asked(client: FlaskClient, clock: Any) -> None:
    reviewer = factories.platform_reviewer(clock())  # no consent recorded: staff
    _sign_in(client, reviewer.email)
    assert client.get("/review/").status_code == 200
