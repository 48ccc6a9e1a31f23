"""A deal paid in full moves to "paid" by itself, whichever channel brought the last money."""

from __future__ import annotations

import io

from sqlalchemy import select

from auctions import bidding, closing
from core.audit_models import AuditEntry
from core.extensions import db
from core.uow import unit_of_work
from deals import services as deals
from deals.models import Deal, DealStatus
from payments import offline, queries
from tests import factories
from tests.integration.payments.helpers import START, AuctionMarket


def _deal(m: AuctionMarket, clock) -> tuple[object, Deal]:
    winner = m.bidder()
    m.pay_deposit_by_bank(winner)
    bidding.place_bid(winner, m.auction.id, START, now=clock())
    with unit_of_work(writer=True):
        assert closing.close_auction(m.auction.id, now=clock.advance(hours=49))
    deal = db.session.scalar(
        select(Deal).where(Deal.source_type == "auction", Deal.source_id == m.auction.id)
    )
    assert deal is not None and deal.status == DealStatus.AWAITING_SIGNATURE
    return winner, deal


def _pay(m: AuctionMarket, buyer, deal: Deal, amount: int, clock) -> None:
    """The buyer transfers `amount` and a reviewer confirms it (a unit of work each)."""
    with unit_of_work():
        payment = offline.submit_receipt(
            buyer,
            deal.id,
            amount_minor=amount,
            stream=io.BytesIO(factories.PDF_BYTES),
            filename="回单.pdf",
            bank_reference=f"DEAL-{deal.id}",
            folder=offline.receipt_folder(m.folder.parent),
            max_bytes=1_000_000,
            now=clock(),
        )
    with unit_of_work():
        offline.confirm(m.reviewer, payment.id, now=clock())


def _sign(m: AuctionMarket, deal: Deal, clock) -> None:
    with unit_of_work():
        deals.advance(m.seller, deal.id, DealStatus.SIGNED, now=clock())


def _paid_entries(deal: Deal) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "deal.paid", AuditEntry.object_id == deal.id
            )
        )
    )


def test_a_signed_deal_paid_in_full_is_paid_without_anyone_recording_it(
    auction_market, clock
) -> None:
    m = auction_market
    buyer, deal = _deal(m, clock)
    _sign(m, deal, clock)
    due = queries.money_flow(buyer, deal.id).due
    _pay(m, buyer, deal, due - 100_000, clock)
    db.session.refresh(deal)
    assert deal.status == DealStatus.SIGNED  # part of it: not paid yet
    _pay(m, buyer, deal, 100_000, clock)
    db.session.refresh(deal)
    assert deal.status == DealStatus.PAID and deal.paid_at is not None
    (entry,) = _paid_entries(deal)
    assert entry.actor_id == m.reviewer.id and entry.before == {"status": "signed"}


def test_a_deal_paid_before_it_is_signed_is_paid_once_it_is_signed(auction_market, clock) -> None:
    m = auction_market
    buyer, deal = _deal(m, clock)
    _pay(m, buyer, deal, queries.money_flow(buyer, deal.id).due, clock)
    db.session.refresh(deal)
    assert deal.status == DealStatus.AWAITING_SIGNATURE  # milestones keep their order
    _sign(m, deal, clock)
    db.session.refresh(deal)
    assert deal.status == DealStatus.PAID
    assert len(_paid_entries(deal)) == 1
