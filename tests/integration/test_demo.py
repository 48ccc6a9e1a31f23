"""`flask demo load` builds a whole market, through the services, once, timed from its load."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import Select, func, select

from accounts.models import Organisation
from auctions.models import Auction, AuctionStatus
from brokers.models import DealCommission, Introduction, Mandate
from core.clock import as_utc
from core.extensions import db
from deals.models import Channel, Deal
from events.models import Event, Interest
from listings.models import Listing, ListingImage, TechNeed
from marketplace.demo.catalogue import CATALOGUE
from payments import ledger
from tests.conftest import FrozenClock
from trading.models import ListedSale, PublicityNotice
from valuation.models import Kind, Valuation


def _count(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def test_demo_market_has_every_kind_of_trade_and_loads_only_once(
    app: Flask, db_session: object, clock: FrozenClock
) -> None:
    runner = app.test_cli_runner()
    loaded_at = clock()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "seller@demo.market" in result.output
    assert _count(select(Listing)) == len(CATALOGUE) + 2  # and two listed from abroad
    priced = {
        (c, o)
        for c, o in db.session.execute(
            select(Listing.currency, Organisation.country).join(Organisation)
        )
    }
    assert {("USD", "JP"), ("EUR", "DE")} <= priced
    assert _count(select(Organisation).where(Organisation.country != "CN")) == 2
    assert _count(select(Auction).where(Auction.status == AuctionStatus.RUNNING)) == 3
    assert _count(select(Auction).where(Auction.status == AuctionStatus.SCHEDULED)) == 2
    assert _count(select(Auction).where(Auction.status == AuctionStatus.PENDING_REVIEW)) == 1
    assert _count(select(Auction).where(Auction.status == AuctionStatus.CLOSED)) == 4
    assert _count(select(ListedSale)) == 3
    # three from the trading demo, one from the brokered negotiation
    assert _count(select(PublicityNotice)) == 4
    assert _count(select(Deal).where(Deal.channel == Channel.OFFLINE)) == 3
    assert _count(select(Deal).where(Deal.channel == Channel.ONLINE)) >= 4
    assert _count(select(TechNeed)) == 12
    assert _count(select(Mandate)) >= 2
    assert _count(select(Introduction)) >= 1
    assert _count(select(DealCommission)) >= 1
    assert _count(select(Valuation).where(Valuation.kind == Kind.FORMAL)) >= 1
    assert ledger.check_all() == []
    _a_past_and_an_upcoming_roadshow(loaded_at)
    _auctions_are_timed_from_the_load(loaded_at)
    catalogue = select(Listing.summary_zh).where(Listing.summary_zh.is_not(None))
    summaries = list(db.session.scalars(catalogue))  # the two listed from abroad are English
    assert len({s[:12] for s in summaries}) == len(summaries), "each result is written for itself"
    _results_read_in_both_languages_with_figures()
    images = _count(select(ListingImage))
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and "already loaded" in again.output
    assert _count(select(Listing)) == len(CATALOGUE) + 2  # two listed from abroad
    assert _count(select(ListingImage)) == images
    assert _count(select(Event)) == 2


def _results_read_in_both_languages_with_figures() -> None:
    """Each result says where it applies and gives its details in English; most have a
    figure, described in both languages, its thumbnail beside it."""
    for listing in db.session.scalars(select(Listing).where(Listing.summary_zh.is_not(None))):
        assert listing.application and listing.application_en, listing.title_en
        assert listing.problem_en and listing.advantage_en and listing.economics_en
    figures = db.session.scalars(select(ListingImage)).all()
    assert len(figures) >= len(CATALOGUE) * 3 // 4
    assert all(f.alt_zh and f.alt_en and f.thumb_width <= 480 for f in figures)


def _a_past_and_an_upcoming_roadshow(loaded_at: datetime) -> None:
    """One held two weeks ago, with interest and materials kept; one ahead, with a stream."""
    past, upcoming = db.session.scalars(select(Event).order_by(Event.starts_at)).all()
    assert as_utc(past.ends_at) < loaded_at < as_utc(upcoming.starts_at)
    assert past.materials and _count(select(Interest).where(Interest.event_id == past.id)) == 3
    assert upcoming.agenda and upcoming.stream_url


def _auctions_are_timed_from_the_load(loaded_at: datetime) -> None:
    """Three running (hours to days left, bids only in the past), the announced ones ahead."""
    running = [
        auction
        for auction in db.session.scalars(select(Auction))
        if as_utc(auction.starts_at) <= loaded_at < as_utc(auction.ends_at)
    ]
    assert len(running) == 3
    left = sorted(as_utc(a.ends_at) - loaded_at for a in running)
    assert left[0] >= timedelta(hours=4), "a person opening the demo finds them still running"
    assert left[-1] >= timedelta(days=2), "one runs for days"
    assert all(a.status == AuctionStatus.RUNNING and a.bid_count >= 3 for a in running)
    assert all(as_utc(bid.placed_at) <= loaded_at for a in running for bid in a.bids), (
        "no bid placed after the load"
    )
    upcoming = db.session.scalars(
        select(Auction).where(Auction.status == AuctionStatus.SCHEDULED)
    ).all()
    assert upcoming and all(as_utc(a.starts_at) > loaded_at for a in upcoming)
