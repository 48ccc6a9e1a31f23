"""The deal ledger with the offline channel: deposits by bank, the price by bank, payouts by bank."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from auctions import bidding, closing
from brokers import settlement
from core import audit
from core.domain import DomainError, PermissionDenied, ValidationFailed
from core.extensions import db
from core.storage import evidence_path
from core.uow import unit_of_work
from deals import services as deals
from deals.cancellation_rules import Side
from deals.models import Deal, DealStatus
from payments import deposits, ledger, offline, payouts, queries
from payments.bank_transfer import deposit_reference
from payments.models import DepositStatus, LedgerLeg, LedgerTransaction, Payout
from payments.rules import Account, EntryKind, PaymentStatus, PayoutStatus
from tests import cancelling, factories
from tests.integration.payments.helpers import START, AuctionMarket

PRICE = START + 2 * 50_000  # the winner's bid


def _close(m: AuctionMarket, clock) -> Deal:
    with unit_of_work(writer=True):  # as the sweep closes it: committed
        assert closing.close_auction(m.auction.id, now=clock.advance(hours=49))
    deal = db.session.scalar(
        select(Deal).where(Deal.source_type == "auction", Deal.source_id == m.auction.id)
    )
    assert deal is not None
    return deal


def _kinds(deal_id: int) -> list[str]:
    return [t.kind.value for t in ledger.deal_transactions(deal_id)]


def _pay_by_bank(m: AuctionMarket, buyer, deal: Deal, amount: int, clock):
    return offline.submit_receipt(
        buyer,
        deal.id,
        amount_minor=amount,
        stream=io.BytesIO(factories.PDF_BYTES),
        filename="付款回单.pdf",
        bank_reference=f"DEAL-{deal.id}",
        folder=offline.receipt_folder(m.folder.parent),
        max_bytes=1_000_000,
        now=clock(),
    )


def test_an_auction_paid_by_bank_balances_at_every_step(auction_market, clock, app) -> None:
    m = auction_market
    winner, loser = m.bidder(name="赢家测试公司"), m.bidder(name="输家测试公司")
    for bidder in (winner, loser):
        m.pay_deposit_by_bank(bidder)
    assert ledger.check_all() == []
    held = m.deposit_of(loser)
    assert [t.kind for t in ledger.deposit_transactions(held.id)] == [EntryKind.DEPOSIT_HELD]
    bidding.place_bid(loser, m.auction.id, START + 50_000, now=clock())
    bidding.place_bid(winner, m.auction.id, PRICE, now=clock())
    deal = _close(m, clock)

    # The loser's deposit goes back to it by bank; the winner's pays part of the price.
    assert m.deposit_of(loser).status == DepositStatus.RELEASED
    assert [t.kind for t in ledger.deposit_transactions(m.deposit_of(loser).id)] == [
        EntryKind.DEPOSIT_HELD,
        EntryKind.DEPOSIT_RELEASED,
    ]
    assert _kinds(deal.id) == ["deposit_held", "accrual", "deposit_applied"]
    fee = (PRICE * 100 + 5_000) // 10_000
    flow = queries.money_flow(m.seller, deal.id)
    deposit = START // 10
    assert (flow.due, flow.seller_payable, flow.platform_fee) == (
        PRICE - deposit,
        PRICE - fee,
        fee,
    )
    assert flow.balanced and ledger.check_all() == []

    # The buyer pays the rest by bank; a reviewer finds it on the statement.
    payment = _pay_by_bank(m, winner, deal, PRICE - deposit, clock)
    assert payment.status == PaymentStatus.RECEIPT_SUBMITTED
    assert [p.id for p in offline.queue(m.reviewer)] == [payment.id]
    assert queries.money_flow(winner, deal.id).due == PRICE - deposit  # not yet confirmed
    offline.confirm(m.reviewer, payment.id, now=clock())
    assert queries.money_flow(winner, deal.id).due == 0
    assert offline.queue(m.reviewer) == []

    # Payouts: by bank (the money came by bank); the reviewer records the transfer.
    made = payouts.release_payouts(m.reviewer, deal.id, now=clock())
    assert [(p.role, p.amount_minor, p.status) for p in made] == [
        ("seller", PRICE - fee, PayoutStatus.PENDING)
    ]
    offline.record_bank_payout(m.reviewer, made[0].id, "PAYOUT-7", now=clock())
    flow = queries.money_flow(m.seller, deal.id)
    assert flow.seller_payable == 0 and flow.due == 0
    # Left on the platform: the fee in the bank, matched by fee income.
    legs = flow.legs
    assert sum(leg.amount_minor for leg in legs if leg.account == Account.BANK) == fee
    assert ledger.check_all() == []


def test_the_price_cannot_be_overpaid_or_paid_by_the_seller(auction_market, clock) -> None:
    m = auction_market
    winner = m.bidder()
    m.pay_deposit_by_bank(winner)
    with unit_of_work():
        bidding.place_bid(winner, m.auction.id, START, now=clock())
        deal = _close(m, clock)
    due = queries.money_flow(winner, deal.id).due
    with pytest.raises(ValidationFailed) as too_much, unit_of_work():
        _pay_by_bank(m, winner, deal, due + 1, clock)
    assert too_much.value.field == "amount"
    with pytest.raises(PermissionDenied), unit_of_work():
        _pay_by_bank(m, m.seller, deal, due, clock)
    assert queries.money_flow(winner, deal.id).payments == []


def test_a_rejected_receipt_changes_no_balance(auction_market, clock) -> None:
    m = auction_market
    winner = m.bidder()
    m.pay_deposit_by_bank(winner)
    with unit_of_work():
        bidding.place_bid(winner, m.auction.id, START, now=clock())
        deal = _close(m, clock)
    due = queries.money_flow(winner, deal.id).due
    with unit_of_work():
        payment = _pay_by_bank(m, winner, deal, due, clock)
    with pytest.raises(ValidationFailed), unit_of_work():
        offline.reject(m.reviewer, payment.id, "  ", now=clock())
    with unit_of_work():
        offline.reject(m.reviewer, payment.id, "银行流水中没有这笔转账", now=clock())
    assert queries.money_flow(winner, deal.id).due == due
    with pytest.raises(DomainError), unit_of_work():
        offline.confirm(m.reviewer, payment.id, now=clock())


def test_a_winner_who_does_not_sign_forfeits_and_the_deal_ledger_still_balances(
    auction_market, clock
) -> None:
    m = auction_market
    winner = m.bidder()
    m.pay_deposit_by_bank(winner)
    bidding.place_bid(winner, m.auction.id, START, now=clock())
    deal = _close(m, clock)
    cancelling.by_ruling(
        m.seller, m.reviewer, deal.id, "中标人未签约", at_fault=Side.BUYER, now=clock()
    )
    assert m.deposit_of(winner).status == DepositStatus.FORFEITED
    assert sorted(_kinds(deal.id)) == sorted(
        [
            "deposit_held",
            "accrual",
            "deposit_applied",
            "accrual_reversal",
            "deposit_unapplied",
            "deposit_forfeited",
        ]
    )
    # The seller is compensated with the deposit, less the market's fee on it.
    deposit = START // 10
    fee = (deposit * 100 + 5_000) // 10_000
    flow = queries.money_flow(m.reviewer, deal.id)
    assert (flow.due, flow.seller_payable, flow.platform_fee, flow.forfeited) == (
        0,
        deposit - fee,
        0,
        fee,
    )
    (payout,) = offline.payouts_to_make(m.reviewer)
    assert (payout.deal_id, payout.org_id, payout.role, payout.amount_minor) == (
        deal.id,
        m.seller.organisation_id,
        "seller",
        deposit - fee,
    )
    assert [e.action for e in audit.history("payout", payout.id)] == ["payout.create"]
    assert ledger.check_all() == []
    # The reviewer pays it by bank: nothing is owed any more, the fee stays with the market.
    offline.record_bank_payout(m.reviewer, payout.id, "PAYOUT-F1", now=clock())
    flow = queries.money_flow(m.reviewer, deal.id)
    assert flow.seller_payable == 0 and flow.forfeited == fee
    assert sum(leg.amount_minor for leg in flow.legs if leg.account == Account.BANK) == fee
    assert ledger.check_all() == []


def test_a_cancelled_deal_releases_the_deposit_and_refunds_a_bank_payment(
    auction_market, clock
) -> None:
    m = auction_market
    winner = m.bidder()
    m.pay_deposit_by_bank(winner)
    bidding.place_bid(winner, m.auction.id, START, now=clock())
    deal = _close(m, clock)
    payment = _pay_by_bank(m, winner, deal, 100_000, clock)
    offline.confirm(m.reviewer, payment.id, now=clock())
    cancelling.by_agreement(winner, m.seller, deal.id, "双方协商解除", now=clock())
    assert m.deposit_of(winner).status == DepositStatus.RELEASED
    assert db.session.get(type(payment), payment.id).status == PaymentStatus.REFUNDED
    flow = queries.money_flow(m.reviewer, deal.id)
    bank = sum(leg.amount_minor for leg in flow.legs if leg.account == Account.BANK)
    assert bank == 0  # everything that came in by bank went back
    assert ledger.check_all() == []


@pytest.mark.parametrize("payer", [settlement.Payer.SELLER, settlement.Payer.BUYER])
def test_broker_commissions_are_accrued_and_paid_out(
    auction_market, clock, monkeypatch, payer
) -> None:
    m = auction_market
    broker = factories.seller(
        m.now, reviewer=m.reviewer, kind=factories.OrganisationKind.BROKER_AGENCY
    )
    commission = 30_000
    monkeypatch.setattr(
        settlement,
        "commissions_due",
        lambda deal: [
            settlement.CommissionDue(
                mandate_id=1,
                broker_user_id=broker.id,
                broker_org_id=broker.organisation_id,
                payer=payer,
                amount_minor=commission,
            )
        ],
    )
    winner = m.bidder()
    m.pay_deposit_by_bank(winner)
    bidding.place_bid(winner, m.auction.id, START, now=clock())
    deal = _close(m, clock)
    fee = (START * 100 + 5_000) // 10_000
    flow = queries.money_flow(m.reviewer, deal.id)
    deposit = START // 10
    if payer == settlement.Payer.BUYER:
        assert (flow.due, flow.seller_payable) == (START + commission - deposit, START - fee)
    else:
        assert (flow.due, flow.seller_payable) == (START - deposit, START - fee - commission)
    assert flow.broker_payables == {broker.organisation_id: commission}
    assert ledger.check_all() == []
    # The broker's organisation sees the deal's money; a stranger does not.
    assert queries.money_flow(broker, deal.id).deal.id == deal.id
    payment = _pay_by_bank(m, winner, deal, flow.due, clock)
    offline.confirm(m.reviewer, payment.id, now=clock())
    made = payouts.release_payouts(m.reviewer, deal.id, now=clock())
    assert sorted((p.role, p.amount_minor) for p in made) == sorted(
        [("seller", flow.seller_payable), ("broker", commission)]
    )
    for payout in made:
        offline.record_bank_payout(m.reviewer, payout.id, f"PO-{payout.id}", now=clock())
    flow = queries.money_flow(m.reviewer, deal.id)
    assert flow.seller_payable == 0 and flow.broker_payables == {broker.organisation_id: 0}
    assert ledger.check_all() == []


def test_payouts_wait_until_the_buyer_has_paid(auction_market, clock) -> None:
    m = auction_market
    winner = m.bidder()
    m.pay_deposit_by_bank(winner)
    with unit_of_work():
        bidding.place_bid(winner, m.auction.id, START, now=clock())
        deal = _close(m, clock)
    with pytest.raises(DomainError) as refused, unit_of_work():
        payouts.release_payouts(m.reviewer, deal.id, now=clock())
    assert refused.value.code == "payment_outstanding"
    assert db.session.scalars(select(Payout)).all() == []
    with pytest.raises(PermissionDenied), unit_of_work():
        payouts.release_payouts(m.seller, deal.id, now=clock())


def test_check_ledger_reports_a_deal_that_does_not_balance(auction_market, clock, app) -> None:
    m = auction_market
    winner = m.bidder()
    m.pay_deposit_by_bank(winner)
    bidding.place_bid(winner, m.auction.id, START, now=clock())
    deal = _close(m, clock)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["payments", "check-ledger"]).exit_code == 0
    # Someone edits a leg by hand: the check names the deal and fails.
    accrual = ledger.find(f"deal-{deal.id}-accrual")
    assert accrual is not None
    leg = db.session.scalar(
        select(LedgerLeg).where(
            LedgerLeg.transaction_id == accrual.id, LedgerLeg.account == Account.PLATFORM_FEE
        )
    )
    leg.amount_minor -= 1
    db.session.flush()
    result = runner.invoke(args=["payments", "check-ledger"])
    assert result.exit_code == 1
    assert f"deal {deal.id}: posting deal-{deal.id}-accrual does not balance" in result.output


def test_offline_deals_are_accrued_too(db_session, clock) -> None:
    now = clock()
    reviewer = factories.platform_reviewer(now)
    seller = factories.seller(now, reviewer=reviewer)
    deal = deals.register_offline_deal(
        reviewer,
        deals.OfflineDeal(
            seller_name="线下大学",
            buyer_name="线下企业",
            title="线下成交的专利",
            method=deals.SaleMethod.NEGOTIATED,
            contract_type=deals.ContractType.TRANSFER,
            price_minor=8_000_000,
            signed_on=now - timedelta(days=1),
            seller_org_id=seller.organisation_id,
        ),
        now=now,
    )
    flow = queries.money_flow(reviewer, deal.id)
    assert flow.due == 8_000_000 and flow.platform_fee == 80_000
    assert (
        db.session.scalar(
            select(LedgerTransaction.kind).where(LedgerTransaction.deal_id == deal.id)
        )
        == EntryKind.ACCRUAL
    )
    assert deal.status == DealStatus.SIGNED and ledger.check_all() == []


def test_a_receipt_is_removed_when_its_payment_is_not_saved(auction_market, clock) -> None:
    m = auction_market
    winner = m.bidder()
    m.pay_deposit_by_bank(winner)
    with unit_of_work():
        bidding.place_bid(winner, m.auction.id, START, now=clock())
        deal = _close(m, clock)
    folder = offline.receipt_folder(m.folder.parent)
    with pytest.raises(RuntimeError), unit_of_work():
        stored = _pay_by_bank(m, winner, deal, 100_000, clock).receipt_stored_name
        assert stored is not None and evidence_path(folder, stored).exists()
        raise RuntimeError("the request fails after the upload")
    assert not evidence_path(folder, stored).exists()
    assert queries.money_flow(winner, deal.id).payments == []


def test_a_replaced_deposit_receipt_is_removed_once_the_new_one_is_saved(
    auction_market, clock
) -> None:
    m = auction_market
    bidder = m.bidder()
    deposit_id = m.deposit_of(bidder).id

    def upload(reference: str) -> str:
        deposit = deposits.submit_receipt(
            bidder,
            deposit_id,
            stream=io.BytesIO(factories.PDF_BYTES),
            filename="回单.pdf",
            bank_reference=reference,
            folder=m.folder,
            max_bytes=1_000_000,
            now=clock(),
        )
        assert deposit.receipt_stored_name is not None
        return deposit.receipt_stored_name

    with unit_of_work():
        first = upload(deposit_reference(m.deposit_of(bidder)))
    with unit_of_work():
        second = upload(deposit_reference(m.deposit_of(bidder)).lower())
        assert evidence_path(m.folder, first).exists()  # until the new one is committed
    assert not evidence_path(m.folder, first).exists()
    assert evidence_path(m.folder, second).exists()
