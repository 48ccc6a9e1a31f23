"""The open-licence pages as people use them: the patentee declares, a reviewer publishes,
an enterprise takes the licence by notice, a reviewer records its transfer, the patentee
withdraws; the catalogue shows each step."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from accounts import services as accounts
from accounts.models import User
from listings import services as listings
from listings.rules import IPKind, ListingStatus
from tests import factories
from tests.conftest import FrozenClock
from tests.integration.licences.test_open_licences import utility_model

EN = {"Accept-Language": "en"}


@pytest.fixture
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))  # fmt: skip


def _sign_in(client: FlaskClient, user: User) -> None:
    client.post("/signout")
    client.post("/signin", data={"email": user.email, "password": factories.PASSWORD})


def test_an_open_licence_from_declaration_to_withdrawal(
    app: Flask, client: FlaskClient, clock: FrozenClock, upload_folder: Path, quick_passwords: None
) -> None:
    now = clock.current
    reviewer = factories.platform_reviewer(now)
    patentee = factories.seller(now, reviewer=reviewer, name="江城理工大学")
    enterprise = factories.enterprise(now, name="江城新能源有限公司")
    listing = factories.listing(
        patentee, now, status=ListingStatus.PUBLISHED, reviewer=reviewer, folder=upload_folder,
        ip_assets=(listings.IPAssetInput(IPKind.CN_APPLICATION, utility_model()),),
    )  # fmt: skip
    asset = listing.ip_assets[0]
    form = {
        "ip_asset_id": str(asset.id), "fee_kind": "entry_plus_royalty", "entry_fee_yuan": "50,000",
        "royalty_percent": "3.5", "payment_method": "bank_transfer", "term_years": "5",
    }  # fmt: skip

    _sign_in(client, patentee)
    refused = client.post("/open-licences/declare", data=form, headers=EN)
    assert refused.status_code == 422 and b"patent evaluation report" in refused.data
    too_long = client.post("/open-licences/declare", data={**form, "term_years": "12", "report": (io.BytesIO(factories.PDF_BYTES), "report.pdf")}, headers=EN)  # fmt: skip
    assert too_long.status_code == 422 and b"from 1 to 10 years" in too_long.data
    sent = client.post("/open-licences/declare", data={**form, "report": (io.BytesIO(factories.PDF_BYTES), "评价报告.pdf")})  # fmt: skip
    assert sent.status_code == 302
    page = sent.headers["Location"]
    declaration_id = int(page.rsplit("/", 1)[1])
    assert "待审核" in client.get(page).get_data(as_text=True)

    _sign_in(client, enterprise)
    assert client.get(page).status_code == 404  # not public before review
    _sign_in(client, reviewer)
    queue = client.get("/review/open-licences").get_data(as_text=True)
    assert asset.number in queue and "评价报告.pdf" in queue
    client.post(f"/review/open-licences/{declaration_id}/approve")

    catalogue = client.get("/open-licences?q=正极&field=energy").get_data(as_text=True)
    assert asset.number in catalogue and "入门费 ¥50,000.00，另按净销售额的 3.50% 提成" in catalogue
    assert "年费减免 15%" in catalogue

    _sign_in(client, enterprise)
    shown = client.get(page, headers=EN).get_data(as_text=True)
    assert "3.50% of net sales" in shown and "Take this licence" in shown
    taken = client.post(f"{page}/notice", data={"notice": "我方按公布条件实施。"})
    licence_page = taken.headers["Location"]
    waiting = client.get(licence_page, headers=EN).get_data(as_text=True)
    reference = re.search(r"reference (OL-\d+)", waiting)
    assert reference is not None and "Awaiting payment" in waiting

    _sign_in(client, reviewer)
    licence_id = licence_page.rsplit("/", 1)[1]
    client.post(f"/review/open-licences/licences/{licence_id}/payment", data={"amount_yuan": "50000", "bank_reference": reference.group(1)})  # fmt: skip
    _sign_in(client, enterprise)
    record = client.get(licence_page, headers=EN).get_data(as_text=True)
    assert "Granted" in record and "OL-2026-" in record and "江城理工大学" in record

    _sign_in(client, patentee)
    client.post(f"{page}/withdraw")
    client.post("/signout")
    public = client.get(page, headers=EN).get_data(as_text=True)
    assert (
        "Withdrawn on 2 Mar 2026" in public and "江城新能源有限公司" in public
    )  # the licence stays
    listed = client.get("/open-licences", headers=EN).get_data(as_text=True)
    assert "Withdrawn on 2 Mar 2026" in listed
