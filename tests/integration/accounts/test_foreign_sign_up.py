"""An organisation abroad signs up with its national registration number and documents,
works in English, and is verified in the reviewers' one queue."""

from __future__ import annotations

import io

from flask.testing import FlaskClient
from sqlalchemy import select

from accounts.foreign_registration import japan_check_digit
from accounts.models import Organisation, OrganisationDocument, User, VerificationStatus
from accounts.signup_checks import TERMS_VERSION
from core.extensions import db
from tests import factories
from tests.conftest import FrozenClock

BASE = "700110005901"
JP_NUMBER = f"{japan_check_digit(BASE)}{BASE}"
WRONG_JP = f"{(japan_check_digit(BASE) + 1) % 10}{BASE}"


def _form(**overrides: object) -> dict[str, object]:
    return {
        "name": "Hanako Sato",
        "email": "tlo@example.ac.jp",
        "password": factories.PASSWORD,
        "organisation_mode": "create",
        "country": "JP",
        "org_name": "東都工業大学",
        "org_name_en": "Toto Institute of Technology",
        "kind": "university",
        "registration_number": JP_NUMBER,
        "region": "Tokyo",
        "consent": TERMS_VERSION,
        **overrides,
    }


def test_a_wrong_check_digit_and_a_missing_latin_name_are_refused_on_their_fields(
    client: FlaskClient,
) -> None:
    response = client.post(
        "/signup",
        data=_form(registration_number=WRONG_JP, org_name_en=""),
        headers={"Accept-Language": "zh-CN"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="registration_number-error"' in page and 'id="org_name_en-error"' in page
    assert 'id="credit_code-error"' not in page  # no Chinese credit code is asked abroad
    assert db.session.query(User).count() == 0


def test_a_foreign_university_signs_up_in_english_and_is_verified_in_the_same_queue(
    client: FlaskClient, clock: FrozenClock
) -> None:
    reviewer = factories.platform_reviewer(clock())
    document = (io.BytesIO(factories.PDF_BYTES), "touki.pdf")
    # A Chinese browser: the organisation abroad still gets English.
    headers = {"Accept-Language": "zh-CN"}
    response = client.post("/signup", data=_form(licence=document), headers=headers)
    assert response.status_code == 302
    org = db.session.scalar(select(Organisation).where(Organisation.country == "JP"))
    assert org is not None and org.credit_code is None
    assert (org.registration_number, org.name, org.name_en) == (
        JP_NUMBER,
        "東都工業大学",
        "Toto Institute of Technology",
    )
    kept = db.session.scalar(select(OrganisationDocument))
    assert kept is not None and kept.kind == "registration_document"
    page = client.get("/organisation", headers=headers).get_data(as_text=True)
    assert "National registration number" in page and JP_NUMBER in page and "Japan" in page

    again = client.post(
        "/signup", data=_form(email="other@example.ac.jp"), headers={"Accept-Language": "en"}
    )
    assert again.status_code == 422
    assert "This organisation is already registered" in again.get_data(as_text=True)

    client.post("/signout")
    client.post("/signin", data={"email": reviewer.email, "password": factories.PASSWORD})
    queue = client.get("/review/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "東都工業大学" in queue and JP_NUMBER in queue and "touki.pdf" in queue
    assert client.post(f"/review/organisations/{org.id}/verify").status_code == 302
    db.session.refresh(org)
    assert org.status == VerificationStatus.VERIFIED


def test_a_us_university_is_checked_against_the_ein_format(client: FlaskClient) -> None:
    refused = client.post(
        "/signup",
        data=_form(country="US", registration_number="07-1234567"),  # 07: no IRS campus
        headers={"Accept-Language": "en"},
    )
    assert refused.status_code == 422
    assert "not a valid registration number" in refused.get_data(as_text=True)
    accepted = client.post("/signup", data=_form(country="US", registration_number="12-3456789"))
    assert accepted.status_code == 302
    org = db.session.scalar(select(Organisation).where(Organisation.country == "US"))
    assert org is not None and org.registration_number == "123456789"
