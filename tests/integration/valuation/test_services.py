"""Valuation use cases on a real database: indicative valuations, requests, formal reports."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.audit import history
from core.domain import DomainError, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from notifications.models import Notification
from tests import factories
from tests.integration.valuation.inputs import COST, income_inputs
from valuation import queries, requests, services, valuers
from valuation.models import Valuation
from valuation.rules import Kind, RequestStatus


def test_seller_saves_an_indicative_valuation_that_the_listing_shows(market, clock) -> None:
    valuation = services.save_indicative(
        market.seller, market.listing.id, income_inputs(use_market=False), now=clock()
    )
    assert valuation.kind == Kind.INDICATIVE
    assert valuation.central_minor == 96_769_244  # the worked example, income only
    assert valuation.low_minor < valuation.central_minor < valuation.high_minor
    assert queries.latest_for_listing(market.listing.id).id == valuation.id
    assert [e.action for e in history("valuation", valuation.id)] == ["valuation.indicative"]
    # Stored as computed: the year table and the sensitivity grid are in the result.
    stored = db.session.get(Valuation, valuation.id)
    assert len(stored.result["income"]["years"]) == 5
    assert stored.result["income"]["sensitivity"]["values_minor"][2][2] == 96_769_244


def test_only_the_seller_saves_and_only_seller_or_valuers_compute(market, clock) -> None:
    with pytest.raises(PermissionDenied):
        services.save_indicative(market.buyer, market.listing.id, income_inputs(), now=clock())
    with pytest.raises(PermissionDenied):
        services.compute(market.buyer, market.listing.id, income_inputs(), now=clock())
    _, result = services.compute(market.reviewer, market.listing.id, income_inputs(), now=clock())
    assert result["income"]["value_minor"] == 96_769_244
    assert db.session.query(Valuation).count() == 0  # computing saves nothing


def test_market_approach_uses_the_platforms_deals(market, clock, comparable_deals) -> None:
    comparable_deals(400_000, 500_000, 600_000)
    _, result = services.compute(
        market.seller, market.listing.id, income_inputs(income=None, discount=None), now=clock()
    )
    market_part = result["market"]
    assert market_part["applicable"]
    assert len(market_part["comparables"]) == 3
    assert {c["match"] for c in market_part["comparables"]} == {"ipc"}
    # Same maturity, portfolio and date: no adjustment; the median is ¥500,000.
    assert market_part["range"] == {
        "low_minor": 45_000_000,
        "central_minor": 50_000_000,
        "high_minor": 55_000_000,
    }
    assert result["reconciled"]["weights"] == {"market": 100}


def test_market_approach_says_when_there_are_too_few_deals(market, clock, comparable_deals) -> None:
    comparable_deals(400_000)
    _, result = services.compute(
        market.seller, market.listing.id, income_inputs(cost=COST), now=clock()
    )
    assert result["market"]["applicable"] is False
    assert len(result["market"]["comparables"]) == 1
    assert set(result["reconciled"]["weights"]) == {"income", "cost"}


def test_no_method_at_all_is_refused(market, clock) -> None:
    with pytest.raises(ValidationFailed):
        services.save_indicative(
            market.seller,
            market.listing.id,
            income_inputs(income=None, discount=None, use_market=True),
            now=clock(),
        )


def test_buyer_requests_a_report_a_reviewer_issues_it_privately(market, clock) -> None:
    request = requests.request_valuation(
        market.buyer, market.listing.id, "收购前的价值参考", now=clock()
    )
    assert request.side == "buyer" and request.status == RequestStatus.REQUESTED
    with pytest.raises(DomainError) as caught:
        requests.request_valuation(market.buyer, market.listing.id, "再来一次", now=clock())
    assert caught.value.code == "valuation_request_open"

    queue = requests.valuer_queue(market.reviewer, now=clock())
    assert [r.id for r in queue["open"]] == [request.id]
    requests.take_request(market.reviewer, request.id, now=clock())
    assert request.status == RequestStatus.IN_PROGRESS and request.valuer_id == market.reviewer.id

    report = requests.issue_report(
        market.reviewer,
        request.id,
        income_inputs(cost=COST),
        "收益法为主，成本法为辅。",
        now=clock(),
    )
    told = db.session.scalars(
        select(Notification).where(
            Notification.user_id == market.buyer.id, Notification.event == "valuation.issued"
        )
    ).all()
    assert [n.link for n in told] == [f"/valuations/{report.id}"], "the requester is told once"
    assert report.kind == Kind.FORMAL and report.side == "buyer"
    assert report.signer_name == market.reviewer.name
    assert report.signer_credential == valuers.REVIEWER_CREDENTIAL
    assert request.status == RequestStatus.ISSUED and request.report.id == report.id
    actions = [e.action for e in history("valuation_request", request.id)]
    assert actions == [
        "valuation_request.request",
        "valuation_request.take",
        "valuation_request.issue",
    ]
    # The buyer's report is the buyer's: not on the listing, not for the seller or others.
    assert queries.latest_for_listing(market.listing.id) is None
    assert queries.visible_valuation(market.buyer, report.id).id == report.id
    for outsider in (market.seller, market.stranger, None):
        with pytest.raises(NotFound):
            queries.visible_valuation(outsider, report.id)


def test_seller_side_formal_report_is_shown_on_the_listing(market, clock) -> None:
    services.save_indicative(market.seller, market.listing.id, income_inputs(), now=clock())
    request = requests.request_valuation(
        market.seller, market.listing.id, "挂牌前评估", now=clock()
    )
    assert request.side == "seller"
    requests.take_request(market.reviewer, request.id, now=clock())
    clock.advance(hours=1)
    report = requests.issue_report(
        market.reviewer, request.id, income_inputs(), "采用收益法。", now=clock()
    )
    latest = queries.latest_for_listing(market.listing.id)
    assert latest.id == report.id and latest.is_formal
    assert queries.visible_valuation(market.stranger, report.id).id == report.id


def test_only_valuers_take_requests_and_never_for_their_own_side(market, clock) -> None:
    request = requests.request_valuation(market.buyer, market.listing.id, "参考", now=clock())
    with pytest.raises(PermissionDenied):
        requests.take_request(market.stranger, request.id, now=clock())
    with pytest.raises(PermissionDenied):
        requests.issue_report(market.stranger, request.id, income_inputs(), "x", now=clock())
    # Issuing needs the request taken first.
    with pytest.raises(DomainError) as caught:
        requests.issue_report(market.reviewer, request.id, income_inputs(), "x", now=clock())
    assert caught.value.code == "valuation_request_state"
    other = factories.platform_reviewer(clock())
    requests.take_request(market.reviewer, request.id, now=clock())
    with pytest.raises(PermissionDenied):
        requests.issue_report(other, request.id, income_inputs(), "x", now=clock())


def test_valuer_declines_with_a_reason_and_requester_may_withdraw(market, clock) -> None:
    request = requests.request_valuation(market.buyer, market.listing.id, "参考", now=clock())
    requests.take_request(market.reviewer, request.id, now=clock())
    with pytest.raises(ValidationFailed) as caught:
        requests.decline_request(market.reviewer, request.id, "  ", now=clock())
    assert caught.value.field == "reason"
    requests.decline_request(market.reviewer, request.id, "资料不足", now=clock())
    assert request.status == RequestStatus.DECLINED and request.decline_reason == "资料不足"
    entry = history("valuation_request", request.id)[-1]
    assert entry.action == "valuation_request.decline" and entry.reason == "资料不足"

    again = requests.request_valuation(market.buyer, market.listing.id, "补充资料后", now=clock())
    with pytest.raises(PermissionDenied):
        requests.withdraw_request(market.stranger, again.id, now=clock())
    requests.withdraw_request(market.buyer, again.id, now=clock())
    assert again.status == RequestStatus.WITHDRAWN
    with pytest.raises(DomainError):
        requests.take_request(market.reviewer, again.id, now=clock())


def test_requests_need_a_verified_organisation_and_a_visible_listing(
    market, clock, upload_folder
) -> None:
    unverified = factories.seller(clock(), verified=False)
    with pytest.raises(PermissionDenied):
        requests.request_valuation(unverified, market.listing.id, "参考", now=clock())
    draft = factories.listing(market.seller, clock())
    with pytest.raises(NotFound):
        requests.request_valuation(market.buyer, draft.id, "参考", now=clock())
    # The seller may ask for its own draft, but must say what for.
    with pytest.raises(ValidationFailed) as caught:
        requests.request_valuation(market.seller, draft.id, " ", now=clock())
    assert caught.value.field == "purpose"
    assert requests.request_valuation(market.seller, draft.id, "定价", now=clock()).side == "seller"


def test_an_accredited_broker_may_issue_a_report_signed_with_the_certificate(market, clock) -> None:
    broker = factories.broker(clock(), reviewer=market.reviewer)
    assert valuers.valuer_role(broker, now=clock()) == "broker"
    request = requests.request_valuation(market.buyer, market.listing.id, "参考", now=clock())
    requests.take_request(broker, request.id, now=clock())
    report = requests.issue_report(broker, request.id, income_inputs(), "收益法。", now=clock())
    assert "高级技术经理人" in report.signer_credential
    assert f"JJR-{broker.id:06d}" in report.signer_credential


def test_an_expired_broker_is_not_a_valuer(market, clock) -> None:
    broker = factories.broker(clock(), reviewer=market.reviewer, expires_in_days=10)
    clock.advance(days=11)
    assert valuers.valuer_role(broker, now=clock()) is None
    request = requests.request_valuation(market.buyer, market.listing.id, "参考", now=clock())
    with pytest.raises(PermissionDenied):
        requests.take_request(broker, request.id, now=clock())


def test_a_request_is_taken_once(market, clock) -> None:
    request = requests.request_valuation(market.buyer, market.listing.id, "参考", now=clock())
    other = factories.platform_reviewer(clock())
    requests.take_request(market.reviewer, request.id, now=clock())
    with pytest.raises(DomainError) as caught:
        requests.take_request(other, request.id, now=clock())
    assert caught.value.code == "valuation_request_state"
    assert requests.get_request(request.id).valuer_id == market.reviewer.id


def test_a_broker_declines_only_a_request_it_has_taken(market, clock) -> None:
    taker = factories.broker(clock(), reviewer=market.reviewer)
    other = factories.broker(clock(), reviewer=market.reviewer)
    request = requests.request_valuation(market.buyer, market.listing.id, "参考", now=clock())
    with pytest.raises(DomainError) as caught:  # open: nobody has taken it
        requests.decline_request(other, request.id, "不感兴趣", now=clock())
    assert caught.value.code == "valuation_not_taken" and caught.value.status == 409
    assert (request.status, request.valuer_id) == (RequestStatus.REQUESTED, None)

    requests.take_request(taker, request.id, now=clock())
    for outsider in (other, market.reviewer):  # taken by another valuer
        with pytest.raises(PermissionDenied) as denied:
            requests.decline_request(outsider, request.id, "不感兴趣", now=clock())
        assert denied.value.code == "valuation_not_yours"
    assert (request.status, request.valuer_id) == (RequestStatus.IN_PROGRESS, taker.id)
    assert [e.action for e in history("valuation_request", request.id)] == [
        "valuation_request.request",
        "valuation_request.take",
    ]

    requests.decline_request(taker, request.id, "资料不足", now=clock())
    assert (request.status, request.decline_reason) == (RequestStatus.DECLINED, "资料不足")
    [told] = db.session.scalars(
        select(Notification).where(Notification.event == "valuation.declined")
    ).all()
    assert told.user_id == market.buyer.id and told.params["reason"] == "资料不足"
    assert told.link == f"/valuation-requests/{request.id}"
