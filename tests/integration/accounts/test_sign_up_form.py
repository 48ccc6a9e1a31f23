"""The sign-up form: every error in one round trip, consent recorded, a business licence kept
for the reviewer who verifies the organisation."""

from __future__ import annotations

import io

from flask.testing import FlaskClient
from sqlalchemy import select

from accounts.models import OrganisationDocument, User
from accounts.signup_checks import TERMS_VERSION
from core.extensions import db
from tests import factories
from tests.conftest import FrozenClock


def _form(**overrides: object) -> dict[str, object]:
    return {
        "name": "王老师",
        "email": "tto@example.edu.cn",
        "password": factories.PASSWORD,
        "organisation_mode": "create",
        "org_name": "江城理工大学",
        "kind": "university",
        "credit_code": factories.credit_code(),
        "region": "武汉",
        "consent": TERMS_VERSION,
        **overrides,
    }


def _errors(page: str) -> set[str]:
    """The fields that carry an error message on the page."""
    return {
        chunk.split('"', 1)[0].removesuffix("-error")
        for chunk in page.split('class="invalid-feedback d-block" id="')[1:]
    }


def test_every_problem_of_the_form_is_shown_in_one_round_trip(
    client: FlaskClient, clock: FrozenClock
) -> None:
    taken = factories.seller(clock())
    response = client.post(
        "/signup",
        data=_form(
            email=taken.email,  # registered already: only the database knows
            password="short",
            credit_code="91350100M000100Y44",  # a wrong check character
            region="",
            consent="",
        ),
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert _errors(page) == {"email", "password", "credit_code", "region", "consent"}
    assert "An account with this email already exists." in page
    assert "check character" in page
    assert "Accept the terms of use and the privacy notice" in page
    assert 'value="江城理工大学"' in page


def test_the_database_problems_come_together_too(client: FlaskClient, clock: FrozenClock) -> None:
    taken = factories.seller(clock())
    assert taken.organisation is not None
    response = client.post(
        "/signup",
        data=_form(email=taken.email, credit_code=taken.organisation.credit_code),
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert _errors(response.get_data(as_text=True)) == {"email", "credit_code"}


def test_no_account_without_consent_and_the_consent_is_recorded(
    client: FlaskClient, clock: FrozenClock
) -> None:
    refused = client.post("/signup", data=_form(consent=""))
    assert refused.status_code == 422
    assert db.session.query(User).count() == 0
    page = client.get("/signup").get_data(as_text=True)
    assert 'href="/terms"' in page and 'href="/privacy"' in page
    assert client.get("/terms").status_code == 200
    assert client.get("/privacy").status_code == 200

    assert client.post("/signup", data=_form()).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "tto@example.edu.cn"))
    assert user is not None
    assert user.terms_version == TERMS_VERSION
    assert user.terms_accepted_at == clock()


def test_a_business_licence_reaches_the_reviewer_who_verifies_the_organisation(
    client: FlaskClient, clock: FrozenClock
) -> None:
    reviewer = factories.platform_reviewer(clock())
    licence = (io.BytesIO(factories.PDF_BYTES), "营业执照.pdf")
    assert client.post("/signup", data=_form(licence=licence)).status_code == 302
    document = db.session.scalar(select(OrganisationDocument))
    assert document is not None and document.original_name == "营业执照.pdf"

    client.post("/signout")
    client.post("/signin", data={"email": reviewer.email, "password": factories.PASSWORD})
    queue = client.get("/review/").get_data(as_text=True)
    link = f"/organisation/documents/{document.id}"
    assert link in queue and "营业执照.pdf" in queue
    assert client.get(link).data == factories.PDF_BYTES

    stranger = factories.enterprise(clock())
    client.post("/signout")
    client.post("/signin", data={"email": stranger.email, "password": factories.PASSWORD})
    assert client.get(link).status_code == 404


def test_a_licence_that_is_not_a_document_is_refused_on_its_field(client: FlaskClient) -> None:
    response = client.post(
        "/signup",
        data=_form(licence=(io.BytesIO(b"MZ\x90\x00 not a pdf"), "licence.exe")),
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    assert _errors(response.get_data(as_text=True)) == {"licence"}
    assert db.session.query(User).count() == 0
