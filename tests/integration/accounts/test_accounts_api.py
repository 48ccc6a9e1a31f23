"""Accounts by API alone: sign-up, the first token for email and password, the caller,
the organisation and its members, and the reviewers' verification."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from accounts import services as accounts
from accounts.models import Organisation, User, VerificationStatus
from core.audit_models import AuditEntry
from core.extensions import db
from core.uow import unit_of_work
from tests import factories
from tests.conftest import FrozenClock

EN = {"Accept-Language": "en"}
WRONG = "Not-the-password-1"


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **EN}


def _sign_up_body(n: int, **overrides: str) -> dict[str, str]:
    return {
        "email": f"api-signup{n}@example.edu.cn",
        "name": "王老师",
        "password": factories.PASSWORD,
        "org_name": f"接口测试大学{n}",
        "kind": "university",
        "credit_code": factories.credit_code(),
        "region": "上海市",
        **overrides,
    }


def _first_token(client: FlaskClient, email: str, password: str = factories.PASSWORD, **env: str):
    return client.post(
        "/api/v1/tokens/",
        json={"name": "integration", "email": email, "password": password},
        headers=EN,
        environ_base=env or {"REMOTE_ADDR": "127.0.0.1"},
    )


# --- sign-up ---------------------------------------------------------------------------


def test_sign_up_by_api_registers_the_person_with_a_pending_organisation(
    client: FlaskClient,
) -> None:
    response = client.post("/api/v1/accounts/", json=_sign_up_body(1), headers=EN)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["email"] == "api-signup1@example.edu.cn" and body["org_role"] == "admin"
    assert body["organisation"]["status"] == "pending"
    assert "password" not in str(body) and "password_hash" not in body
    user = db.session.get(User, body["id"])
    assert user is not None and user.organisation.name == "接口测试大学1"


def test_sign_up_by_api_refuses_a_taken_email_by_its_field(client: FlaskClient, clock) -> None:
    taken = factories.seller(clock())
    response = client.post(
        "/api/v1/accounts/", json=_sign_up_body(2, email=taken.email), headers=EN
    )
    assert response.status_code == 422
    assert "already exists" in response.get_json()["errors"]["email"][0]
    assert (
        db.session.scalar(select(Organisation.id).where(Organisation.name == "接口测试大学2"))
        is None
    )


def test_sign_up_by_api_is_limited_per_address_like_sign_in(
    app: Flask, client: FlaskClient
) -> None:
    limit = int(app.config["SIGNIN_RATE_LIMIT"].split()[0])
    address = {"REMOTE_ADDR": "192.0.2.31"}
    for _ in range(limit):  # incomplete: refused for the body, yet counted
        response = client.post("/api/v1/accounts/", json={}, headers=EN, environ_base=address)
        assert response.status_code == 422
    refused = client.post("/api/v1/accounts/", json=_sign_up_body(3), environ_base=address)
    assert refused.status_code == 429 and refused.get_json()["code"] == "rate_limited"
    assert (
        client.post(
            "/api/v1/accounts/", json={}, environ_base={"REMOTE_ADDR": "192.0.2.32"}
        ).status_code
        == 422
    )


# --- the first token --------------------------------------------------------------------


def test_a_first_token_is_issued_for_email_and_password_and_opens_the_api(
    client: FlaskClient, clock: FrozenClock
) -> None:
    user = factories.seller(clock())
    issued = _first_token(client, user.email.upper())
    assert issued.status_code == 201, issued.get_json()
    secret = issued.get_json()["secret"]
    assert issued.headers["Cache-Control"] == "no-store"
    me = client.get("/api/v1/accounts/me", headers=_bearer(secret))
    assert me.status_code == 200 and me.get_json()["id"] == user.id
    assert me.get_json()["organisation"]["status"] == "verified"
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "api_token.issue"))
    assert [entry.actor_id for entry in audit] == [user.id]


def test_a_wrong_password_gets_no_token_and_repeated_ones_lock_like_sign_in(
    client: FlaskClient, clock: FrozenClock
) -> None:
    user = factories.seller(clock())
    wrong = _first_token(client, user.email, WRONG)
    assert wrong.status_code == 401 and wrong.get_json()["message"] == "Wrong email or password."
    for _ in range(3):
        _first_token(client, user.email, WRONG)
    locked = _first_token(client, user.email, WRONG)
    assert locked.status_code == 429 and locked.get_json()["code"] == "sign_in_locked"
    assert int(locked.headers["Retry-After"]) == 60
    # the lock holds against the right password, on the sign-in page too
    assert _first_token(client, user.email).status_code == 429
    page = client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})
    assert page.status_code == 429


def test_no_bearer_token_and_no_credentials_is_a_401(client: FlaskClient) -> None:
    refused = client.post("/api/v1/tokens/", json={"name": "x"}, headers=EN)
    assert refused.status_code == 401 and refused.get_json()["code"] == "unauthorized"
    assert client.get("/api/v1/accounts/me", headers=EN).status_code == 401


# --- the organisation and its members ---------------------------------------------------


def test_the_admin_sees_and_approves_a_person_who_asked_to_join(
    client: FlaskClient, clock: FrozenClock
) -> None:
    admin = factories.seller(clock())
    with unit_of_work():
        joiner = accounts.sign_up(
            accounts.SignUp(
                email="joiner@example.edu.cn",
                name="李娜",
                password=factories.PASSWORD,
                join_credit_code=admin.organisation.credit_code,  # type: ignore[union-attr]
            ),
            now=clock(),
        )
    token = factories.api_token(admin, "admin", now=clock())
    members = client.get("/api/v1/organisations/mine/members", headers=_bearer(token)).get_json()
    assert [m["id"] for m in members["members"]] == [admin.id]
    assert [m["email"] for m in members["pending"]] == ["joiner@example.edu.cn"]
    approved = client.post(
        f"/api/v1/organisations/mine/members/{joiner.id}/approve", headers=_bearer(token)
    )
    assert approved.status_code == 200 and approved.get_json()["membership_approved"] is True
    mine = client.get("/api/v1/organisations/mine", headers=_bearer(token)).get_json()
    assert mine["id"] == admin.organisation_id and mine["status"] == "verified"


def test_a_plain_member_may_not_approve_and_sees_no_one_waiting(
    client: FlaskClient, clock: FrozenClock
) -> None:
    admin = factories.seller(clock())
    with unit_of_work():
        member = accounts.sign_up(
            accounts.SignUp(
                email="member@example.edu.cn",
                name="成员",
                password=factories.PASSWORD,
                join_credit_code=admin.organisation.credit_code,  # type: ignore[union-attr]
            ),
            now=clock(),
        )
        accounts.approve_member(admin, member.id, now=clock())
        waiting = accounts.sign_up(
            accounts.SignUp(
                email="waiting@example.edu.cn",
                name="等待者",
                password=factories.PASSWORD,
                join_credit_code=admin.organisation.credit_code,  # type: ignore[union-attr]
            ),
            now=clock(),
        )
    token = factories.api_token(member, "member", now=clock())
    assert (
        client.get("/api/v1/organisations/mine/members", headers=_bearer(token)).get_json()[
            "pending"
        ]
        == []
    )
    refused = client.post(
        f"/api/v1/organisations/mine/members/{waiting.id}/approve", headers=_bearer(token)
    )
    assert refused.status_code == 403 and refused.get_json()["code"] == "forbidden"
    assert db.session.get(User, waiting.id).membership_approved is False  # type: ignore[union-attr]


# --- verification by reviewers ----------------------------------------------------------


def test_a_reviewer_lists_pending_organisations_and_verifies_one(
    client: FlaskClient, clock: FrozenClock
) -> None:
    applicant = factories.seller(clock(), verified=False)
    reviewer = factories.platform_reviewer(clock())
    token = factories.api_token(reviewer, "reviewer", now=clock())
    queue = client.get("/api/v1/organisations/pending", headers=_bearer(token)).get_json()
    assert applicant.organisation_id in [org["id"] for org in queue]
    verified = client.post(
        f"/api/v1/organisations/{applicant.organisation_id}/verify", json={}, headers=_bearer(token)
    )
    assert verified.status_code == 200 and verified.get_json()["status"] == "verified"
    again = client.post(
        f"/api/v1/organisations/{applicant.organisation_id}/verify", json={}, headers=_bearer(token)
    )
    assert again.status_code == 409 and again.get_json()["code"] == "already_decided"


def test_a_refusal_needs_a_reason_which_the_members_then_read(
    client: FlaskClient, clock: FrozenClock
) -> None:
    applicant = factories.seller(clock(), verified=False)
    reviewer = factories.platform_reviewer(clock())
    token = factories.api_token(reviewer, "reviewer", now=clock())
    url = f"/api/v1/organisations/{applicant.organisation_id}/reject"
    bare = client.post(url, json={}, headers=_bearer(token))
    assert bare.status_code == 422 and "reason" in bare.get_json()["errors"]
    refused = client.post(url, json={"reason": "信用代码与名称不符。"}, headers=_bearer(token))
    assert refused.status_code == 200 and refused.get_json()["status"] == "rejected"
    own = factories.api_token(applicant, "applicant", now=clock())
    mine = client.get("/api/v1/organisations/mine", headers=_bearer(own)).get_json()
    assert (mine["status"], mine["rejection_reason"]) == ("rejected", "信用代码与名称不符。")


def test_only_reviewers_see_the_queue_and_decide(client: FlaskClient, clock: FrozenClock) -> None:
    applicant = factories.seller(clock(), verified=False)
    member = factories.seller(clock())
    token = factories.api_token(member, "member", now=clock())
    assert client.get("/api/v1/organisations/pending", headers=_bearer(token)).status_code == 403
    refused = client.post(
        f"/api/v1/organisations/{applicant.organisation_id}/verify", json={}, headers=_bearer(token)
    )
    assert refused.status_code == 403
    org = db.session.get(Organisation, applicant.organisation_id)
    assert org is not None and org.status == VerificationStatus.PENDING
