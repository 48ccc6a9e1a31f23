"""Public notice (公示) of a negotiated price: objections, decisions, the clean end and the deal."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.audit_models import AuditEntry
from core.domain import DomainError, PermissionDenied, ValidationFailed
from core.extensions import db
from deals.models import Deal, SaleMethod
from listings.rules import SaleState
from tests import factories
from tests.integration.sales.trading import agreed, market, sign_in, sign_out
from trading import notice_queries, notices
from trading.models import NegotiationStatus, Objection
from trading.rules import NoticeStatus, ObjectionStatus

EN = {"Accept-Language": "en"}
REASONS = "The agreed price is far below the valuation report of last year."


def test_a_clean_period_concludes_the_deal_exactly_once(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    negotiation, notice = agreed(m, clock())
    assert notices.close_due_notices(now=clock()) == 0  # still running
    clock.advance(days=15)
    assert notices.close_due_notices(now=clock()) == 1
    assert notices.close_due_notices(now=clock()) == 0
    assert notices.close_notice(notice.id, now=clock()) is None
    assert notice.status == NoticeStatus.CLEAN
    assert negotiation.status == NegotiationStatus.CONCLUDED
    deal = db.session.scalars(select(Deal)).one()
    assert (deal.method, deal.price_minor, deal.buyer_org_id) == (
        SaleMethod.NEGOTIATED,
        45_000_000,
        m.buyer.acting_org_id,
    )
    assert (deal.source_type, deal.source_id) == ("negotiation", negotiation.id)
    assert m.listing.sale_state == SaleState.SOLD


def test_anyone_signed_in_objects_once(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    _, notice = agreed(m, clock())
    citizen = factories.seller(clock(), verified=False)
    objection = notices.lodge_objection(citizen, notice.id, REASONS, now=clock())
    assert objection.status == ObjectionStatus.LODGED
    with pytest.raises(DomainError) as twice:
        notices.lodge_objection(citizen, notice.id, "Another reason, written again.", now=clock())
    assert twice.value.code == "objection_exists"
    assert "already lodged" in str(twice.value)
    with pytest.raises(ValidationFailed):
        notices.lodge_objection(m.other_buyer, notice.id, "too low", now=clock())
    assert db.session.query(Objection).count() == 1


def test_no_objection_after_the_period(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    _, notice = agreed(m, clock())
    clock.advance(days=15, seconds=1)
    with pytest.raises(DomainError) as error:
        notices.lodge_objection(m.other_buyer, notice.id, REASONS, now=clock())
    assert error.value.code == "notice_closed"


def test_an_upheld_objection_fells_the_agreement(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    negotiation, notice = agreed(m, clock())
    objection = notices.lodge_objection(m.other_buyer, notice.id, REASONS, now=clock())
    with pytest.raises(PermissionDenied):
        notices.decide_objection(m.buyer, objection.id, uphold=True, reason="x", now=clock())
    with pytest.raises(ValidationFailed):
        notices.decide_objection(m.reviewer, objection.id, uphold=True, reason=" ", now=clock())
    notices.decide_objection(
        m.reviewer, objection.id, uphold=True, reason="估值报告支持异议。", now=clock()
    )
    assert objection.status == ObjectionStatus.UPHELD
    assert notice.status == NoticeStatus.FALLEN
    assert negotiation.status == NegotiationStatus.FALLEN
    assert m.listing.sale_state == SaleState.AVAILABLE
    clock.advance(days=20)
    assert notices.close_due_notices(now=clock()) == 0
    assert db.session.query(Deal).count() == 0
    with pytest.raises(DomainError):
        notices.decide_objection(m.reviewer, objection.id, uphold=False, reason="x", now=clock())


def test_a_dismissed_objection_lets_the_notice_run_to_a_clean_end(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    _, notice = agreed(m, clock())
    objection = notices.lodge_objection(m.other_buyer, notice.id, REASONS, now=clock())
    notices.decide_objection(
        m.reviewer, objection.id, uphold=False, reason="价格经评估合理。", now=clock()
    )
    assert notice.status == NoticeStatus.RUNNING
    clock.advance(days=15)
    assert notices.close_due_notices(now=clock()) == 1
    assert notice.status == NoticeStatus.CLEAN
    actions = db.session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.object_type == "publicity_notice")
        .order_by(AuditEntry.id)
    ).all()
    assert actions == [
        "notice.publish",
        "notice.objection",
        "notice.objection_decide",
        "notice.clean",
    ]


def test_an_undecided_objection_makes_the_end_wait_for_the_reviewer(
    db_session, clock, upload_folder
):
    m = market(clock(), upload_folder)
    negotiation, notice = agreed(m, clock())
    objection = notices.lodge_objection(m.other_buyer, notice.id, REASONS, now=clock())
    clock.advance(days=16)
    assert notices.close_due_notices(now=clock()) == 0
    assert notice_queries.verdict(notice, clock()).value == "waiting"
    assert notice.status == NoticeStatus.RUNNING
    notices.decide_objection(
        m.reviewer, objection.id, uphold=False, reason="No evidence given.", now=clock()
    )
    assert notice.status == NoticeStatus.CLEAN
    assert negotiation.status == NegotiationStatus.CONCLUDED
    assert db.session.query(Deal).count() == 1


def test_the_queue_is_for_reviewers(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    _, notice = agreed(m, clock())
    objection = notices.lodge_objection(m.other_buyer, notice.id, REASONS, now=clock())
    assert notice_queries.objection_queue(m.reviewer) == [objection]
    with pytest.raises(PermissionDenied):
        notice_queries.objection_queue(m.buyer)


# --- pages, API, command -------------------------------------------------------------------


def test_notices_page_has_an_empty_state(client, clock):
    page = client.get("/notices", headers=EN)
    assert page.status_code == 200
    assert "No notice is running right now." in page.get_data(as_text=True)


def test_notice_pages_objection_and_double_objection(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    _, notice = agreed(m, clock())
    listing_page = client.get("/notices", headers=EN).get_data(as_text=True)
    assert notice.result_name in listing_page
    page = client.get(f"/notices/{notice.id}", headers=EN).get_data(as_text=True)
    assert "Sign in to lodge an objection" in page
    assert "through 2 offers, from ¥400,000.00 to ¥450,000.00" in page
    sign_in(client, m.other_buyer)
    short = client.post(f"/notices/{notice.id}/objections", data={"reasons": "no"}, headers=EN)
    assert short.status_code == 422 and "at least 10 characters" in short.get_data(as_text=True)
    lodged = client.post(f"/notices/{notice.id}/objections", data={"reasons": REASONS})
    assert lodged.status_code == 302
    # A second tab still showing the form submits again: refused with a clear message.
    twice = client.post(f"/notices/{notice.id}/objections", data={"reasons": REASONS}, headers=EN)
    assert twice.status_code == 409
    assert "already lodged an objection" in twice.get_data(as_text=True)
    assert db.session.query(Objection).count() == 1


def test_reviewer_decides_in_the_queue(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    _, notice = agreed(m, clock())
    objection = notices.lodge_objection(m.other_buyer, notice.id, REASONS, now=clock())
    sign_in(client, m.buyer)
    assert client.get("/notices/objections/queue").status_code == 403
    sign_out(client)
    sign_in(client, m.reviewer)
    queue = client.get("/notices/objections/queue", headers=EN).get_data(as_text=True)
    assert REASONS in queue
    missing = client.post(
        f"/notices/objections/{objection.id}/decide", data={"uphold": "true"}, headers=EN
    )
    assert missing.status_code == 302 and objection.status == ObjectionStatus.LODGED
    done = client.post(
        f"/notices/objections/{objection.id}/decide",
        data={"uphold": "true", "reason": "估值报告支持异议。"},
    )
    assert done.status_code == 302
    assert notice.status == NoticeStatus.FALLEN
    assert m.listing.sale_state == SaleState.AVAILABLE


def test_viewing_a_notice_after_a_clean_period_has_the_job_runner_conclude_the_deal(
    client, clock, upload_folder
):
    m = market(clock(), upload_folder)
    _, notice = agreed(m, clock())
    clock.advance(days=15)
    page = client.get(f"/notices/{notice.id}", headers=EN).get_data(as_text=True)
    assert "Ended clean" in page
    assert db.session.query(Deal).count() == 1


def test_api_lodges_an_objection_once(client, clock, upload_folder):
    m = market(clock(), upload_folder)
    _, notice = agreed(m, clock())
    auth = {"Authorization": f"Bearer {factories.api_token(m.other_buyer, 'ci', now=clock())}"}
    assert (
        client.post(f"/api/v1/sales/notices/{notice.id}/objections", json={"reasons": REASONS})
    ).status_code == 401
    first = client.post(
        f"/api/v1/sales/notices/{notice.id}/objections", json={"reasons": REASONS}, headers=auth
    )
    assert first.status_code == 201 and first.get_json()["status"] == "lodged"
    second = client.post(
        f"/api/v1/sales/notices/{notice.id}/objections",
        json={"reasons": REASONS},
        headers={**auth, **EN},
    )
    assert second.status_code == 409 and second.get_json()["code"] == "objection_exists"
    got = client.get(f"/api/v1/sales/notices/{notice.id}").get_json()
    assert got["objections_count"] == 1 and got["price_minor"] == 45_000_000


def test_cli_close_notices_prints_the_count(app, db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    agreed(m, clock())
    clock.advance(days=15)
    result = app.test_cli_runner().invoke(args=["deals", "close-notices"])
    assert result.exit_code == 0, result.output
    assert "Closed 1 public notice(s)." in result.output
    assert m.listing.sale_state == SaleState.SOLD
