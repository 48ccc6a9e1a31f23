"""An organisation's business licence through the API: its members and the reviewers download it."""

from __future__ import annotations

import io
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from accounts.models import OrganisationDocument
from core.service_kit import Upload, store_document
from core.uow import unit_of_work
from tests import factories
from tests.conftest import FrozenClock


def _bearer(user, clock: FrozenClock) -> dict[str, str]:
    return {"Authorization": f"Bearer {factories.api_token(user, 'erp', now=clock())}"}


def test_the_licence_is_listed_and_downloads_for_members_and_reviewers_only(
    app: Flask, client: FlaskClient, clock: FrozenClock
) -> None:
    applicant = factories.seller(clock(), verified=False)
    with unit_of_work():
        store_document(
            OrganisationDocument(organisation_id=applicant.organisation_id),
            Upload(io.BytesIO(factories.PDF_BYTES), "营业执照.pdf"),
            by=applicant.id, now=clock(), folder=Path(app.config["UPLOAD_FOLDER"]) / "organisations",
            max_bytes=1_000_000,
        )  # fmt: skip
    mine = client.get("/api/v1/organisations/mine", headers=_bearer(applicant, clock)).get_json()
    [licence] = mine["documents"]
    assert licence["kind"] == "business_licence" and licence["original_name"] == "营业执照.pdf"
    reviewer = _bearer(factories.platform_reviewer(clock()), clock)
    queue = client.get("/api/v1/organisations/pending", headers=reviewer).get_json()
    [listed] = [org for org in queue if org["id"] == applicant.organisation_id]
    assert listed["documents"] == [licence]
    for who in (_bearer(applicant, clock), reviewer):
        got = client.get(licence["file_url"], headers=who)
        assert got.status_code == 200 and got.data == factories.PDF_BYTES
        assert got.headers["Content-Type"] == "application/pdf"
        assert "%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf" in got.headers["Content-Disposition"]
    other = client.get(licence["file_url"], headers=_bearer(factories.seller(clock()), clock))
    assert other.status_code == 404 and other.get_json()["code"] == "not_found"
    assert client.get(licence["file_url"]).get_json()["code"] == "unauthorized"
