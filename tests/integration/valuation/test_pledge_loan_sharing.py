"""Valuations for pledge loans (知识产权质押融资): the request states its purpose, the report
says it and is not public; the owner shares it with a partner bank, which reads it until the
report is taken back; nobody else reads it. Every share is audited."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from accounts.models import OrganisationKind
from core.audit_models import AuditEntry
from core.domain import NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.uow import unit_of_work
from tests import factories
from tests.integration.licences.test_open_licence_pages import _sign_in, quick_passwords  # noqa: F401
from tests.integration.valuation.conftest import Market
from tests.integration.valuation.inputs import income_inputs
from valuation import queries, requests, sharing
from valuation.rules import Purpose

EN = {"Accept-Language": "en"}


def _pledge_report(market: Market, now) -> int:  # type: ignore[no-untyped-def]
    with unit_of_work():
        asked = requests.request_valuation(market.seller, market.listing.id, "向江城银行申请专利质押贷款", now=now, purpose_kind=Purpose.PLEDGE_LOAN)  # fmt: skip
        requests.take_request(market.reviewer, asked.id, now=now)
        return requests.issue_report(
            market.reviewer, asked.id, income_inputs(), "评估意见", now=now
        ).id


def test_a_pledge_loan_report_is_read_by_the_banks_it_is_shared_with(market: Market, clock, quick_passwords: None) -> None:  # noqa: F811  # fmt: skip
    now = clock()
    bank = factories.seller(now, kind=OrganisationKind.BANK, name="江城银行")
    other_bank = factories.seller(now, kind=OrganisationKind.BANK, name="江城农商银行")
    report_id = _pledge_report(market, now)
    report = queries.get_valuation(report_id)
    assert report.request.purpose_kind == Purpose.PLEDGE_LOAN  # type: ignore[union-attr]
    assert queries.latest_for_listing(market.listing.id) is None  # not on the public listing
    for stranger in (None, market.buyer, bank, other_bank):
        assert not queries.can_view_valuation(stranger, report)
    with pytest.raises(PermissionDenied), unit_of_work():
        sharing.share(market.buyer, report_id, bank.organisation_id, now=now)  # not the owner
    with pytest.raises(ValidationFailed), unit_of_work():
        sharing.share(market.seller, report_id, market.buyer.organisation_id, now=now)  # not a bank
    with unit_of_work():
        sharing.share(market.seller, report_id, bank.organisation_id, now=now)
    assert queries.can_view_valuation(bank, report) and not queries.can_view_valuation(other_bank, report)  # fmt: skip
    assert [v.id for v in sharing.reports_shared_with(bank)] == [report_id]
    with unit_of_work():
        sharing.unshare(market.seller, report_id, bank.organisation_id, now=now)
    assert not queries.can_view_valuation(bank, report)
    with pytest.raises(NotFound), unit_of_work():
        sharing.unshare(market.seller, report_id, bank.organisation_id, now=now)
    audited = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_id == report_id, AuditEntry.action.like("valuation.%")).order_by(AuditEntry.id)).all()  # fmt: skip
    assert [a for a in audited if "share" in a] == ["valuation.share", "valuation.unshare"]


def test_pages_and_api_share_and_show_the_purpose(client: FlaskClient, market: Market, clock, quick_passwords: None) -> None:  # noqa: F811  # fmt: skip
    now = clock()
    bank = factories.seller(now, kind=OrganisationKind.BANK, name="江城银行")
    _sign_in(client, market.seller)
    sent = client.post(f"/listings/{market.listing.id}/valuation-requests/new", data={"purpose": "质押贷款", "purpose_kind": "pledge_loan"})  # fmt: skip
    assert sent.status_code == 302
    asked = db.session.scalars(select(requests.ValuationRequest).order_by(requests.ValuationRequest.id.desc())).first()  # fmt: skip
    assert asked is not None and asked.purpose_kind == Purpose.PLEDGE_LOAN
    with unit_of_work():
        requests.take_request(market.reviewer, asked.id, now=now)
        report_id = requests.issue_report(
            market.reviewer, asked.id, income_inputs(), "意见", now=now
        ).id
    page = client.get(f"/valuations/{report_id}", headers=EN).data.decode()
    assert "Pledge loan" in page and "江城银行" in page  # the purpose, and the bank to share with
    assert client.post(f"/valuations/{report_id}/shares", data={"bank_org_id": str(bank.organisation_id)}).status_code == 302  # fmt: skip
    _sign_in(client, bank)
    assert client.get(f"/valuations/{report_id}").status_code == 200
    assert f"V-{report_id:06d}" in client.get("/bank/valuations").data.decode()
    _sign_in(client, market.buyer)
    assert client.get(f"/valuations/{report_id}").status_code == 404
    assert client.get("/bank/valuations").status_code == 403
    token = factories.api_token(market.seller, "owner", now=now)
    auth = {"Authorization": f"Bearer {token}"}
    revoked = client.post(f"/api/v1/valuations/{report_id}/shares/{bank.organisation_id}/revoke", headers=auth)  # fmt: skip
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    again = client.post(f"/api/v1/valuations/{report_id}/shares", headers=auth, json={"bank_org_id": bank.organisation_id})  # fmt: skip
    assert again.status_code == 201 and again.get_json()["revoked_at"] is None
    got = client.get(f"/api/v1/valuations/requests/{asked.id}", headers=auth).get_json()
    assert got["purpose_kind"] == "pledge_loan"
    banker = {"Authorization": f"Bearer {factories.api_token(bank, 'bank', now=now)}"}
    shared = client.get("/api/v1/valuations/shared", headers=banker)
    assert [v["id"] for v in shared.get_json()["items"]] == [report_id]  # as /bank/valuations
    not_a_bank = client.get("/api/v1/valuations/shared", headers=auth)
    assert not_a_bank.status_code == 403 and set(not_a_bank.get_json()) == {"code", "message", "errors"}  # fmt: skip
