"""Personal API tokens: issued, listed, scoped, expiring and revoked by their owner."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event, select

from accounts import tokens
from accounts.models import ApiToken, TokenScope, User
from core.audit_models import AuditEntry
from core.clock import as_utc
from core.domain import NotFound, ValidationFailed
from core.extensions import db
from tests import factories
from tests.conftest import FrozenClock

MAX_DAYS = 365


def _bearer(secret: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **extra}


def _sign_in(client: FlaskClient, user: User) -> None:
    response = client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


# --- the use cases -------------------------------------------------------------------


def test_a_token_is_shown_once_and_only_its_hash_is_stored(db_session, clock) -> None:
    user = factories.seller(clock())
    issued = tokens.issue_token(
        user, tokens.NewToken("CI", TokenScope.READ, days=30), now=clock(), max_days=MAX_DAYS
    )
    row = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert row.token_hash == hashlib.sha256(issued.secret.encode()).hexdigest()
    assert issued.secret not in {str(v) for v in vars(row).values()}
    assert (row.name, row.scope) == ("CI", TokenScope.READ)
    assert as_utc(row.expires_at) == clock() + timedelta(days=30)
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "api_token.issue")
    ).one()
    assert (entry.actor_id, entry.object_id, entry.after["scope"]) == (user.id, row.id, "read")
    assert issued.secret not in str(entry.after)


@pytest.mark.parametrize("days", [0, -1, MAX_DAYS + 1])
def test_an_expiry_beyond_the_bounds_is_refused(db_session, clock, days: int) -> None:
    user = factories.seller(clock())
    with pytest.raises(ValidationFailed) as refused:
        tokens.issue_token(user, tokens.NewToken("x", days=days), now=clock(), max_days=MAX_DAYS)
    assert refused.value.field == "days"
    assert db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id)) is None


def test_owner_lists_and_revokes_their_tokens_but_not_anothers(db_session, clock) -> None:
    owner, other = factories.seller(clock()), factories.seller(clock())
    mine = tokens.issue_token(owner, tokens.NewToken("a"), now=clock(), max_days=MAX_DAYS)
    theirs = tokens.issue_token(other, tokens.NewToken("b"), now=clock(), max_days=MAX_DAYS)
    assert [t.name for t in tokens.tokens_of(owner)] == ["a"]
    with pytest.raises(NotFound):
        tokens.revoke_token(owner, theirs.token.id, now=clock())
    assert theirs.token.revoked_at is None
    revoked = tokens.revoke_token(owner, mine.token.id, now=clock())
    assert revoked.revoked_at is not None
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "api_token.revoke")
    ).one()
    assert (entry.actor_id, entry.object_id) == (owner.id, mine.token.id)


# --- the API -------------------------------------------------------------------------


def test_api_issues_lists_and_revokes_with_a_write_token(client: FlaskClient, clock) -> None:
    user = factories.seller(clock())
    writer = factories.api_token(user, "main", now=clock())
    created = client.post(
        "/api/v1/tokens/",
        json={"name": "bot", "scope": "read", "days": 7},
        headers=_bearer(writer),
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["secret"].startswith("tt_") and body["scope"] == "read"
    assert created.headers["Cache-Control"] == "no-store"
    listed = client.get("/api/v1/tokens/", headers=_bearer(writer)).get_json()
    assert sorted(t["name"] for t in listed["items"]) == ["bot", "main"]
    assert all("secret" not in t and "token_hash" not in t for t in listed["items"])
    assert body["secret"] not in str(listed)
    # the new read token reads, and is refused any write with the one error shape
    assert client.get("/api/v1/tokens/", headers=_bearer(body["secret"])).status_code == 200
    for method, url in (
        ("post", "/api/v1/tokens/"),
        ("delete", f"/api/v1/tokens/{body['id']}"),
        ("post", "/api/v1/listings/"),
    ):
        refused = getattr(client, method)(url, json={}, headers=_bearer(body["secret"]))
        assert refused.status_code == 403, (method, url)
        assert refused.get_json()["code"] == "forbidden" and refused.get_json()["message"]
    gone = client.delete(f"/api/v1/tokens/{body['id']}", headers=_bearer(writer))
    assert gone.status_code == 200 and gone.get_json()["revoked_at"]
    assert client.get("/api/v1/tokens/", headers=_bearer(body["secret"])).status_code == 401


def test_api_refuses_to_revoke_another_users_token(client: FlaskClient, clock) -> None:
    owner, other = factories.seller(clock()), factories.seller(clock())
    factories.api_token(owner, "mine", now=clock())
    theirs = factories.api_token(other, "theirs", now=clock())
    mine = factories.api_token(owner, "main", now=clock())
    their_id = db.session.scalar(select(ApiToken.id).where(ApiToken.name == "theirs"))
    refused = client.delete(f"/api/v1/tokens/{their_id}", headers=_bearer(mine))
    assert refused.status_code == 404 and refused.get_json()["code"] == "not_found"
    assert client.get("/api/v1/tokens/", headers=_bearer(theirs)).status_code == 200


def test_expired_and_revoked_tokens_get_401_even_on_public_reads(
    client: FlaskClient, clock: FrozenClock
) -> None:
    user = factories.seller(clock())
    with db.session.begin_nested():
        issued = tokens.issue_token(
            user, tokens.NewToken("short", days=1), now=clock(), max_days=MAX_DAYS
        )
    assert client.get("/api/v1/deals/", headers=_bearer(issued.secret)).status_code == 200
    clock.advance(days=1, seconds=1)
    for url in ("/api/v1/deals/", "/api/v1/auctions/"):
        expired = client.get(url, headers=_bearer(issued.secret, **{"Accept-Language": "en"}))
        assert expired.status_code == 401
        assert expired.get_json()["code"] == "unauthorized"
        assert "expired" in expired.get_json()["message"]
    assert (
        client.post("/api/v1/listings/", json={}, headers=_bearer(issued.secret)).status_code == 401
    )


def test_api_refuses_an_expiry_beyond_the_maximum_and_anonymous_callers(
    client: FlaskClient, clock
) -> None:
    user = factories.seller(clock())
    writer = factories.api_token(user, "main", now=clock())
    too_long = client.post(
        "/api/v1/tokens/", json={"name": "x", "days": MAX_DAYS + 1}, headers=_bearer(writer)
    )
    assert too_long.status_code == 422 and "days" in too_long.get_json()["errors"]
    assert client.post("/api/v1/tokens/", json={"name": "x"}).status_code == 401
    assert client.get("/api/v1/tokens/").status_code == 401


def test_a_signed_in_session_may_issue_a_token_by_api(client: FlaskClient, clock) -> None:
    user = factories.seller(clock())
    _sign_in(client, user)
    created = client.post("/api/v1/tokens/", json={"name": "laptop"})
    assert created.status_code == 201 and created.get_json()["scope"] == "write"


def test_a_session_write_by_api_needs_the_csrf_token(
    app, client: FlaskClient, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = factories.seller(clock())
    _sign_in(client, user)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    forged = client.post("/api/v1/tokens/", json={"name": "from another site"})
    assert forged.status_code == 400 and forged.get_json()["code"] == "bad_request"
    assert db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id)) is None


# --- the page ------------------------------------------------------------------------


def test_settings_page_issues_shows_once_lists_and_revokes(client: FlaskClient, clock) -> None:
    user = factories.seller(clock())
    _sign_in(client, user)
    home = client.get("/account/tokens").get_data(as_text=True)
    assert 'href="/account/tokens"' in client.get("/").get_data(as_text=True)
    assert "form" in home
    created = client.post("/account/tokens", data={"name": "报表", "scope": "read", "days": "30"})
    assert created.status_code == 200 and created.headers["Cache-Control"] == "no-store"
    page = created.get_data(as_text=True)
    [secret] = re.findall(r"tt_[A-Za-z0-9_-]{40,}", page)
    row = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)).one()
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    again = client.get("/account/tokens").get_data(as_text=True)
    assert "报表" in again and secret not in again
    revoked = client.post(f"/account/tokens/{row.id}/revoke")
    assert revoked.status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, row.id).revoked_at is not None


def test_settings_page_refuses_bad_expiry_and_anothers_token(client: FlaskClient, clock) -> None:
    owner, other = factories.seller(clock()), factories.seller(clock())
    factories.api_token(other, "theirs", now=clock())
    their_id = db.session.scalar(select(ApiToken.id).where(ApiToken.name == "theirs"))
    _sign_in(client, owner)
    refused = client.post("/account/tokens", data={"name": "x", "scope": "write", "days": "999"})
    assert refused.status_code == 422
    assert db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == owner.id)) is None
    assert client.post(f"/account/tokens/{their_id}/revoke").status_code == 404
    assert db.session.get(ApiToken, their_id).revoked_at is None
    assert client.get("/account/tokens").status_code == 200
    client.post("/signout")
    assert client.get("/account/tokens").status_code == 302  # to sign-in


def _example_path(rule: str) -> str:
    """A concrete path of a URL rule: ids are 1, `any(...)` its first choice."""
    path = re.sub(r"<int:[^>]+>", "1", rule)
    return re.sub(r"<any\(([^,)]+)[^>]*>", lambda m: m.group(1).strip(), path)


def test_a_read_token_is_refused_every_write_of_the_api(app, client: FlaskClient, clock) -> None:
    user = factories.seller(clock())
    reader = factories.api_token(user, "reader", now=clock(), scope=TokenScope.READ)
    writes = [
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"})
    ]
    assert len(writes) > 30
    for method, rule in writes:
        response = client.open(_example_path(rule), method=method, json={}, headers=_bearer(reader))
        assert response.status_code == 403, (method, rule, response.status_code)
        assert set(response.get_json()) >= {"code", "message"}


def test_a_token_checked_recently_costs_one_read_and_is_refused_once_revoked(
    client: FlaskClient, clock: FrozenClock
) -> None:
    """The worker remembers a valid token for a while: a call reads only its user by id,
    writes nothing and commits nothing; revoking it is refused from the next call."""
    user = factories.seller(clock())
    secret = factories.api_token(user, "cached", now=clock())
    first = client.get("/api/v1/accounts/me", headers=_bearer(secret))
    assert first.status_code == 200  # its last use is noted now, once a minute at most
    statements: list[str] = []

    def note(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        assert client.get("/api/v1/accounts/me", headers=_bearer(secret)).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    writes = [sql for sql in statements if sql.split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []  # its last use was noted under a minute ago
    assert not any("api_tokens" in sql for sql in statements)  # the token: remembered
    token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == user.id))
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=_bearer(secret)).status_code in (
        200,
        204,
    )
    again = client.get("/api/v1/accounts/me", headers=_bearer(secret, **{"Accept-Language": "en"}))
    assert again.status_code == 401
    assert "revoked" in again.get_json()["message"]
