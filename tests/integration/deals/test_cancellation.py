"""Ending a binding sale early: by agreement, by a reviewer's ruling, by the rules; never alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from accounts.models import OrganisationKind, User
from auctions import bidding, jobs
from core.audit_models import AuditEntry
from core.clock import as_utc
from core.domain import DomainError, NotFound, PermissionDenied
from core.extensions import db
from core.workdays import WorkCalendar
from deals import cancellation
from deals import jobs as deal_jobs
from deals.cancellation_rules import Answer, CancellationKind, CancellationStatus, Grounds, Side
from deals.models import Deal, DealCancellation, DealStatus
from listings import services as listings
from listings.rules import SaleState
from notifications.models import Notification
from payments import deposits
from payments.models import Deposit, DepositStatus
from tests import factories
from tests.integration.auctions.conftest import START, make_market

CALENDAR = WorkCalendar()  # Monday to Friday, no holidays


@dataclass
class Won:
    """An auction won by `winner` (its deposit applied to the price), the deal, a stranger."""

    seller: User
    winner: User
    reviewer: User
    stranger: User
    deal: Deal
    listing_id: int
    auction_id: int

    def deposit(self) -> Deposit:
        return deposits.deposit_of("auction", self.auction_id, self.winner.organisation_id)

    def sale_state(self) -> SaleState:
        return listings.get_listing(self.listing_id).sale_state

    def status(self) -> DealStatus:
        return db.session.get(Deal, self.deal.id).status


@pytest.fixture
def won(db_session, clock, upload_folder: Path) -> Won:
    market = make_market(clock(), upload_folder)
    winner = market.bidder()
    bidding.place_bid(winner, market.auction.id, START, now=clock())
    clock.current = as_utc(market.auction.ends_at)
    jobs.close_due(now=clock())
    deal = db.session.scalars(select(Deal)).one()
    stranger = factories.seller(clock(), reviewer=market.reviewer, kind=OrganisationKind.ENTERPRISE)
    won = Won(
        market.seller, winner, market.reviewer, stranger, deal, market.listing.id, market.auction.id
    )
    assert won.deposit().status == DepositStatus.APPLIED
    assert won.sale_state() == SaleState.SOLD
    return won


def told(user: User, event: str) -> int:
    return (
        db.session.scalars(select(Notification.event).where(Notification.user_id == user.id))
        .all()
        .count(event)
    )


def deal_audit(deal_id: int) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.object_type == "deal", AuditEntry.object_id == deal_id)
            .order_by(AuditEntry.id)
        )
    )


def test_the_winner_alone_cannot_cancel_the_deal_stays_and_the_deposit_stays_held(
    won: Won, clock
) -> None:
    proposal = cancellation.propose(won.winner, won.deal.id, "预算未获批准", now=clock())
    assert proposal.status == CancellationStatus.PENDING
    assert won.status() == DealStatus.AWAITING_SIGNATURE
    assert won.deposit().status == DepositStatus.APPLIED
    assert won.sale_state() == SaleState.SOLD, "the listing stays sold on a mere proposal"
    with pytest.raises(PermissionDenied):
        cancellation.answer(won.winner, won.deal.id, proposal.id, Answer.AGREE, now=clock())
    assert won.status() == DealStatus.AWAITING_SIGNATURE
    assert told(won.seller, "deal.cancel_proposed") == 1, "the seller is asked to confirm"
    assert told(won.winner, "deal.cancel_proposed") == 0
    assert "deal.cancellation_proposed" in deal_audit(won.deal.id)


def test_mutual_cancellation_releases_the_deposit_and_returns_the_listing(won: Won, clock) -> None:
    proposal = cancellation.propose(won.winner, won.deal.id, "双方协商解除", now=clock())
    cancellation.answer(won.seller, won.deal.id, proposal.id, Answer.AGREE, now=clock())
    assert won.status() == DealStatus.CANCELLED
    deal = db.session.get(Deal, won.deal.id)
    assert deal.cancel_reason == "双方协商解除"
    deposit = won.deposit()
    assert deposit.status == DepositStatus.RELEASED and deposit.release_due_at is not None
    assert won.sale_state() == SaleState.AVAILABLE
    assert db.session.get(DealCancellation, proposal.id).status == CancellationStatus.AGREED
    assert told(won.winner, "deal.cancelled") == 1 and told(won.winner, "deposit.released") == 1
    assert deal_audit(won.deal.id)[-2:] == ["deal.cancellation_agreed", "deal.cancel"]


def test_a_declined_proposal_changes_nothing_and_another_may_follow(won: Won, clock) -> None:
    proposal = cancellation.propose(won.seller, won.deal.id, "另有买家", now=clock())
    with pytest.raises(DomainError) as twice:
        cancellation.propose(won.winner, won.deal.id, "我也想", now=clock())
    assert twice.value.code == "cancellation_pending"
    cancellation.answer(won.winner, won.deal.id, proposal.id, Answer.DECLINE, now=clock())
    assert db.session.get(DealCancellation, proposal.id).status == CancellationStatus.DECLINED
    assert won.status() == DealStatus.AWAITING_SIGNATURE
    assert won.deposit().status == DepositStatus.APPLIED and won.sale_state() == SaleState.SOLD
    assert told(won.seller, "deal.cancel_answered") == 1
    again = cancellation.propose(won.seller, won.deal.id, "再议", now=clock())
    cancellation.answer(won.seller, won.deal.id, again.id, Answer.WITHDRAW, now=clock())
    assert db.session.get(DealCancellation, again.id).status == CancellationStatus.WITHDRAWN


def test_a_ruling_with_the_buyer_at_fault_forfeits_its_deposit_and_returns_the_listing(
    won: Won, clock
) -> None:
    request = cancellation.request_ruling(
        won.seller, won.deal.id, Grounds.DEFAULT, "中标人拒不签约", now=clock()
    )
    assert won.status() == DealStatus.AWAITING_SIGNATURE and won.sale_state() == SaleState.SOLD
    assert told(won.winner, "deal.cancel_requested") == 1
    with pytest.raises(DomainError):  # a ruling is not answered by the parties
        cancellation.answer(won.winner, won.deal.id, request.id, Answer.AGREE, now=clock())
    assert request in cancellation.pending_rulings(won.reviewer)
    cancellation.rule(
        won.reviewer,
        won.deal.id,
        request.id,
        upheld=True,
        at_fault=Side.BUYER,
        reason="买方逾期未签约，构成违约",
        now=clock(),
    )
    assert won.status() == DealStatus.CANCELLED
    assert won.deposit().status == DepositStatus.FORFEITED
    assert won.sale_state() == SaleState.AVAILABLE
    ruled = db.session.get(DealCancellation, request.id)
    assert ruled.status == CancellationStatus.UPHELD and ruled.at_fault == Side.BUYER
    assert told(won.winner, "deposit.forfeited") == 1 and told(won.winner, "deal.cancel_ruled") == 1
    assert told(won.seller, "deal.cancel_ruled") == 1
    assert "deal.cancellation_upheld" in deal_audit(won.deal.id)
    assert cancellation.pending_rulings(won.reviewer) == []


def test_a_ruling_with_the_seller_at_fault_releases_the_buyers_deposit(won: Won, clock) -> None:
    request = cancellation.request_ruling(
        won.winner, won.deal.id, Grounds.BREACH, "卖方不提供专利证书", now=clock()
    )
    cancellation.rule(
        won.reviewer, won.deal.id, request.id, upheld=True, at_fault=Side.SELLER,
        reason="卖方违约", now=clock(),
    )  # fmt: skip
    assert won.status() == DealStatus.CANCELLED
    assert won.deposit().status == DepositStatus.RELEASED
    assert won.sale_state() == SaleState.AVAILABLE


def test_a_dismissed_ruling_changes_nothing(won: Won, clock) -> None:
    request = cancellation.request_ruling(
        won.winner, won.deal.id, Grounds.OBJECTION_UPHELD, "有人提出异议", now=clock()
    )
    with pytest.raises(DomainError) as unnamed:
        cancellation.rule(
            won.reviewer, won.deal.id, request.id, upheld=True, at_fault=None, reason="x",
            now=clock(),
        )  # fmt: skip
    assert unnamed.value.field == "at_fault"
    cancellation.rule(
        won.reviewer, won.deal.id, request.id, upheld=False, at_fault=None,
        reason="异议未成立", now=clock(),
    )  # fmt: skip
    assert db.session.get(DealCancellation, request.id).status == CancellationStatus.DISMISSED
    assert won.status() == DealStatus.AWAITING_SIGNATURE
    assert won.deposit().status == DepositStatus.APPLIED and won.sale_state() == SaleState.SOLD
    assert told(won.winner, "deal.cancel_ruled") == 1
    with pytest.raises(DomainError) as again:
        cancellation.rule(
            won.reviewer, won.deal.id, request.id, upheld=True, at_fault=Side.SELLER,
            reason="改判", now=clock(),
        )  # fmt: skip
    assert again.value.code == "not_pending"


def test_by_the_rules_an_unsigned_winner_forfeits_after_the_working_days(won: Won, clock) -> None:
    created = as_utc(won.deal.created_at)
    deadline = CALENDAR.add_working_days(created, 5)
    assert (
        cancellation.lapse_unsigned(
            now=deadline - timedelta(minutes=1), calendar=CALENDAR, working_days=5
        )
        == 0
    )
    assert won.status() == DealStatus.AWAITING_SIGNATURE
    assert cancellation.lapse_unsigned(now=deadline, calendar=CALENDAR, working_days=5) == 1
    assert won.status() == DealStatus.CANCELLED
    assert won.deposit().status == DepositStatus.FORFEITED
    assert won.sale_state() == SaleState.AVAILABLE
    ended = db.session.scalars(select(DealCancellation)).one()
    assert ended.kind == CancellationKind.RULES and ended.at_fault == Side.BUYER
    assert told(won.winner, "deal.cancelled") == 1 and told(won.seller, "deal.cancelled") == 1
    assert cancellation.lapse_unsigned(now=deadline, calendar=CALENDAR, working_days=5) == 0


def test_the_rules_wait_for_a_pending_request_and_spare_a_signed_deal(won: Won, clock) -> None:
    cancellation.request_ruling(
        won.winner, won.deal.id, Grounds.DEFAULT, "卖方不安排签约", now=clock()
    )
    late = CALENDAR.add_working_days(as_utc(won.deal.created_at), 30)
    assert cancellation.lapse_unsigned(now=late, calendar=CALENDAR, working_days=5) == 0
    assert won.status() == DealStatus.AWAITING_SIGNATURE
    assert won.deposit().status == DepositStatus.APPLIED


def test_strangers_and_reviewers_cannot_propose_confirm_or_rule(won: Won, clock) -> None:
    with pytest.raises(NotFound):
        cancellation.propose(won.stranger, won.deal.id, "mine", now=clock())
    with pytest.raises(NotFound):
        cancellation.request_ruling(won.stranger, won.deal.id, Grounds.BREACH, "x", now=clock())
    with pytest.raises(PermissionDenied):
        cancellation.propose(won.reviewer, won.deal.id, "reviewer alone", now=clock())
    proposal = cancellation.propose(won.winner, won.deal.id, "请求解除", now=clock())
    with pytest.raises(NotFound):
        cancellation.answer(won.stranger, won.deal.id, proposal.id, Answer.AGREE, now=clock())
    with pytest.raises(PermissionDenied):
        cancellation.answer(won.reviewer, won.deal.id, proposal.id, Answer.AGREE, now=clock())
    cancellation.answer(won.winner, won.deal.id, proposal.id, Answer.WITHDRAW, now=clock())
    request = cancellation.request_ruling(
        won.winner, won.deal.id, Grounds.BREACH, "卖方违约", now=clock()
    )
    for someone in (won.stranger, won.seller, won.winner):
        with pytest.raises(PermissionDenied):
            cancellation.rule(
                someone, won.deal.id, request.id, upheld=True, at_fault=Side.SELLER,
                reason="x", now=clock(),
            )  # fmt: skip
    with pytest.raises(PermissionDenied):
        cancellation.pending_rulings(won.winner)
    with pytest.raises(NotFound):  # a cancellation is reached through its own deal only
        cancellation.answer(won.winner, won.deal.id + 1, request.id, Answer.WITHDRAW, now=clock())
    assert won.status() == DealStatus.AWAITING_SIGNATURE
    assert won.deposit().status == DepositStatus.APPLIED and won.sale_state() == SaleState.SOLD


def test_a_blank_reason_is_refused_and_writes_nothing(won: Won, clock) -> None:
    with pytest.raises(DomainError) as blank:
        cancellation.propose(won.winner, won.deal.id, "   ", now=clock())
    assert blank.value.field == "reason"
    with pytest.raises(DomainError) as statement:
        cancellation.request_ruling(won.winner, won.deal.id, Grounds.BREACH, "", now=clock())
    assert statement.value.field == "statement"
    assert db.session.scalars(select(DealCancellation)).all() == []


def test_the_minute_sweep_applies_the_rules_with_the_markets_settings(won: Won, clock) -> None:
    assert deal_jobs.lapse_unsigned() == 0
    clock.current = CALENDAR.add_working_days(as_utc(won.deal.created_at), 5)
    assert deal_jobs.lapse_unsigned() == 1
    assert won.status() == DealStatus.CANCELLED
    assert won.deposit().status == DepositStatus.FORFEITED
