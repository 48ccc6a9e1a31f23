"""`flask demo load` builds a whole market, through the services, once."""

from __future__ import annotations

from sqlalchemy import func, select

from auctions.models import Auction, AuctionStatus
from brokers.models import DealCommission, Introduction, Mandate
from core.extensions import db
from deals.models import Channel, Deal
from listings.models import Listing, TechNeed
from payments import ledger
from trading.models import ListedSale, PublicityNotice
from valuation.models import Kind, Valuation


def test_demo_market_has_every_kind_of_trade_and_loads_only_once(app, db_session) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load", "--listings", "80"])
    assert result.exit_code == 0, result.output
    assert "seller@demo.market" in result.output
    count = lambda q: db.session.scalar(select(func.count()).select_from(q))  # noqa: E731
    assert count(select(Listing).subquery()) == 80
    assert count(select(Auction).where(Auction.status == AuctionStatus.RUNNING).subquery()) == 3
    for announced in (AuctionStatus.SCHEDULED, AuctionStatus.PENDING_REVIEW):  # 拍卖公告
        assert count(select(Auction).where(Auction.status == announced).subquery()) == 1
    assert count(select(ListedSale).subquery()) == 3
    # three from the trading demo, one from the brokered negotiation
    assert count(select(PublicityNotice).subquery()) == 4
    assert count(select(Deal).where(Deal.channel == Channel.OFFLINE).subquery()) == 3
    assert count(select(Deal).where(Deal.channel == Channel.ONLINE).subquery()) >= 4
    assert count(select(TechNeed).subquery()) == 12
    assert count(select(Mandate).subquery()) >= 2
    assert count(select(Introduction).subquery()) >= 1
    assert count(select(DealCommission).subquery()) >= 1
    assert count(select(Valuation).where(Valuation.kind == Kind.FORMAL).subquery()) >= 1
    assert ledger.check_all() == []
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and "already loaded" in again.output
