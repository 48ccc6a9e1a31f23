"""Sign-up, sign-in and organisation verification on a real database."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from accounts import services as accounts
from accounts.models import MemberRole, User, VerificationStatus
from accounts.signup_checks import TERMS_VERSION
from accounts.throttle import SignInThrottle
from core.audit_models import AuditEntry
from core.domain import DomainError, PermissionDenied, ValidationFailed
from core.extensions import db, limiter
from notifications.models import Notification
from tests import factories
from tests.conftest import FrozenClock


def _sign_up(code: str, email: str = "tto@example.edu.cn") -> accounts.SignUp:
    return accounts.SignUp(
        email=email,
        name="王老师",
        password=factories.PASSWORD,
        organisation=accounts.NewOrganisation(
            name="江城理工大学",
            kind=accounts.OrganisationKind.UNIVERSITY,
            credit_code=code,
            region="湖北省武汉市",
        ),
    )


def test_sign_up_creates_pending_organisation_with_user_as_admin(
    db_session, clock: FrozenClock
) -> None:
    user = accounts.sign_up(_sign_up(factories.credit_code()), now=clock())
    assert user.org_role == MemberRole.ADMIN
    assert user.organisation.status == VerificationStatus.PENDING
    assert user.password_hash.startswith("$argon2id$")


def test_wrong_credit_code_check_character_is_refused_and_nothing_saved(db_session, clock) -> None:
    code = factories.credit_code()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as refused:
        accounts.sign_up(_sign_up(wrong), now=clock())
    assert refused.value.field == "credit_code"
    db.session.rollback()
    assert db.session.query(User).count() == 0


def test_second_person_joins_and_waits_for_the_admin(db_session, clock) -> None:
    code = factories.credit_code()
    admin = accounts.sign_up(_sign_up(code), now=clock())
    joiner = accounts.sign_up(
        accounts.SignUp(
            email="colleague@example.edu.cn",
            name="李老师",
            password=factories.PASSWORD,
            join_credit_code=code.lower(),
        ),
        now=clock(),
    )
    assert joiner.acting_org_id is None
    assert accounts.pending_members(admin) == [joiner]
    accounts.approve_member(admin, joiner.id, now=clock())
    assert joiner.acting_org_id == admin.organisation_id


def test_only_reviewers_verify_and_every_decision_is_audited(db_session, clock) -> None:
    user = accounts.sign_up(_sign_up(factories.credit_code()), now=clock())
    with pytest.raises(PermissionDenied):
        accounts.verify_organisation(user, user.organisation_id, now=clock())
    reviewer = factories.platform_reviewer(clock())
    accounts.verify_organisation(reviewer, user.organisation_id, now=clock())
    assert user.organisation.is_verified
    [told] = db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all()
    assert told.event == "organisation.verified" and told.link == "/organisation"
    entry = db.session.query(AuditEntry).filter_by(action="organisation.verified").one()
    assert (entry.before["status"], entry.after["status"], entry.actor_id) == (
        "pending",
        "verified",
        reviewer.id,
    )
    with pytest.raises(DomainError):
        accounts.reject_organisation(reviewer, user.organisation_id, "late", now=clock())


def test_rejection_needs_a_reason(db_session, clock) -> None:
    user = accounts.sign_up(_sign_up(factories.credit_code()), now=clock())
    with pytest.raises(ValidationFailed):
        accounts.reject_organisation(
            factories.platform_reviewer(clock()), user.organisation_id, "  ", now=clock()
        )
    assert user.organisation.status == VerificationStatus.PENDING


def test_sign_in_with_wrong_password_gives_one_vague_error(app, db_session, clock) -> None:
    throttle = SignInThrottle.from_config(limiter.storage, app.config)
    accounts.sign_up(_sign_up(factories.credit_code()), now=clock())
    for email in ("tto@example.edu.cn", "nobody@example.edu.cn"):
        with pytest.raises(DomainError, match="Wrong email or password"):
            accounts.authenticate(
                email, "nope-nope-nope", now=clock(), throttle=throttle, address="192.0.2.1"
            )
    assert accounts.authenticate(
        "TTO@example.edu.cn", factories.PASSWORD, now=clock(), throttle=throttle, address="x"
    ).last_sign_in_at


def test_sign_up_page_keeps_input_and_shows_field_error(client: FlaskClient) -> None:
    response = client.post(
        "/signup",
        data={
            "name": "王老师",
            "email": "tto@example.edu.cn",
            "password": factories.PASSWORD,
            "organisation_mode": "create",
            "org_name": "江城理工大学",
            "kind": "university",
            "credit_code": "91350100M000100Y44",
            "region": "武汉",
            "consent": TERMS_VERSION,
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="江城理工大学"' in page
    assert "check character" in page
    assert db.session.query(User).count() == 0


def test_sign_up_then_sign_in_through_the_pages(client: FlaskClient) -> None:
    code = factories.credit_code()
    response = client.post(
        "/signup",
        data={
            "name": "王老师",
            "email": "tto@example.edu.cn",
            "password": factories.PASSWORD,
            "organisation_mode": "create",
            "org_name": "江城理工大学",
            "kind": "university",
            "credit_code": code,
            "region": "武汉",
            "consent": TERMS_VERSION,
        },
    )
    assert response.status_code == 302
    client.post("/signout")
    response = client.post(
        "/signin", data={"email": "tto@example.edu.cn", "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert "江城理工大学" in client.get("/organisation").get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite(client: FlaskClient, db_session, clock) -> None:
    factories.seller(clock())
    response = client.post("/signin", data={"email": "nobody@x.cn", "password": "x"})
    client.get("/")
    user = db.session.query(User).first()
    response = client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sign_in_refuses_to_redirect_off_site(client: FlaskClient, clock) -> None:
    user = factories.seller(clock())
    response = client.post(
        "/signin",
        data={
            "email": user.email,
            "password": factories.PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/")


def test_cli_creates_the_operator_organisation(app, db_session, clock) -> None:
    from accounts.rules import make_credit_code

    accounts.create_platform_user(
        "ops@market.example", "运营", factories.PASSWORD, now=clock(), admin=True
    )
    result = app.test_cli_runner().invoke(
        args=[
            "accounts",
            "create-operator",
            "--admin-email",
            "ops@market.example",
            "--name",
            "技术市场运营中心",
            "--credit-code",
            make_credit_code("12310000MB0000002"),
            "--region",
            "上海市",
        ]
    )
    assert result.exit_code == 0, result.output
    org = db.session.query(accounts.Organisation).filter_by(name="技术市场运营中心").one()
    assert org.is_verified and org.kind == accounts.OrganisationKind.OPERATOR
    refused = app.test_cli_runner().invoke(
        args=[
            "accounts",
            "create-operator",
            "--admin-email",
            "nobody@x.cn",
            "--name",
            "x",
            "--credit-code",
            "x",
            "--region",
            "x",
        ]
    )
    assert refused.exit_code != 0
