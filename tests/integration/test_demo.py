"""`flask demo load` builds a whole market, through the services, once, timed from its load."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Select, func, select

from accounts.models import Organisation
from auctions.models import Auction, AuctionStatus
from brokers.models import DealCommission, Introduction, Mandate
from core.clock import as_utc
from core.extensions import db
from deals import trade_records
from deals.models import Channel, Deal, DealStatus
from deals.trade_models import TradeRecord
from deals.trade_rules import CheckOutcome, TechCategory, TradeDirection
from events.models import Event, Interest
from licences.deal_models import RoyaltyReport
from licences.models import OpenLicence, OpenLicenceDeclaration
from licences.rules import DeclarationStatus, LicenceStatus
from listings.co_owner_models import CoOwnerConsent, RightsAgreement, RightsHolder
from listings.co_owner_rules import HolderBasis
from listings.evaluation_models import ResultEvaluation
from listings.legal_rules import LegalStatus
from listings.models import Listing, ListingImage, PatentStatusRecord, PledgeeConsent, TechNeed
from marketplace.demo import abroad
from marketplace.demo.catalogue import CATALOGUE
from payments import ledger
from payments.rules import totals_by_currency
from rewards.models import DealReward, RewardLine
from tests.conftest import FrozenClock
from trading.models import ListedSale, PublicityNotice
from valuation.models import Kind, Valuation


def _count(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery())) or 0


def test_demo_market_has_every_kind_of_trade_and_loads_only_once(
    app: Flask, client: FlaskClient, clock: FrozenClock
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
    # three from the trading demo, one from the brokered negotiation, one from abroad
    assert _count(select(PublicityNotice)) == 5
    assert _count(select(Deal).where(Deal.channel == Channel.OFFLINE)) == 3
    assert _count(select(Deal).where(Deal.channel == Channel.ONLINE)) >= 4
    assert _count(select(TechNeed)) == 12
    assert _count(select(Mandate)) >= 2
    assert _count(select(Introduction)) >= 1
    assert _count(select(DealCommission)) >= 1
    assert _count(select(Valuation).where(Valuation.kind == Kind.FORMAL)) >= 1
    assert ledger.check_all() == []
    _a_past_and_an_upcoming_roadshow(loaded_at)
    _an_international_deal(client)
    _auctions_are_timed_from_the_load(loaded_at)
    catalogue = select(Listing.summary_zh).where(Listing.summary_zh.is_not(None))
    summaries = [s for s in db.session.scalars(catalogue) if s]  # those from abroad are English
    assert len({s[:12] for s in summaries}) == len(summaries), "each result is written for itself"
    _results_read_in_both_languages_with_figures()
    _every_right_the_market_handles()
    images = _count(select(ListingImage))
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and "already loaded" in again.output
    assert _count(select(Listing)) == len(CATALOGUE) + 2  # two listed from abroad
    assert _count(select(ListingImage)) == images
    assert _count(select(Event)) == 2


def _an_international_deal(client: FlaskClient) -> None:
    """The German institute's euro listing sold to a Chinese enterprise: a technology import,
    its record complete, checked and registered, its ledger in euros; the pages show it."""
    record = db.session.scalars(select(TradeRecord)).one()
    deal = db.session.get(Deal, record.deal_id)
    assert deal is not None and deal.status == DealStatus.COMPLETED
    assert (record.direction, record.seller_country, record.buyer_country) == (TradeDirection.IMPORT, "DE", "CN")  # fmt: skip
    assert (record.currency, record.amount_minor) == ("EUR", deal.price_minor) == ("EUR", 262_000_00)  # fmt: skip
    assert record.usd_rate_on is not None and record.usd_rate_on <= trade_records.deal_day(deal)
    assert 250_000_00 < record.usd_minor < 320_000_00 and not record.usd_manual  # at ~1.08 $/€
    assert record.category == TechCategory.FREE and record.check_outcome == CheckOutcome.CLEARED
    assert record.payment_terms and record.certificate_number
    legs = ledger.deal_legs(deal.id)
    assert legs and {leg.currency for leg in legs} == {"EUR"}
    assert totals_by_currency(legs) == {"EUR": 0}
    client.post("/signin", data={"email": "transfer@demo-abroad.example", "password": abroad.PASSWORD})  # fmt: skip
    english = {"Accept-Language": "en"}
    page = client.get(f"/deals/{deal.id}", headers=english).get_data(as_text=True)
    assert "€262,000.00" in page and f"/deals/{deal.id}/trade-record" in page
    page = client.get(f"/deals/{deal.id}/trade-record", headers=english).get_data(as_text=True)
    assert "Technology import" in page and "(DE)" in page and "(CN)" in page
    assert "Jinling Advanced Materials Co., Ltd." in page and "金陵新材料股份有限公司" in page
    assert record.certificate_number in page and "Free (not restricted)" in page
    csv = client.get(f"/deals/{deal.id}/trade-record.csv").get_data(as_text=True)
    assert f"{record.usd_minor / 100:.2f}" in csv and record.certificate_number in csv
    client.post("/signout")


def _every_right_the_market_handles() -> None:
    """Open licences (one withdrawn, its licence granted before still in force), a licence
    with two royalty reports (one late) and an inventors' pool for each, a co-owned result
    signed off with its consents, a pledged patent, evaluations, inventors' statements."""
    declared = db.session.execute(select(OpenLicenceDeclaration.id, OpenLicenceDeclaration.status)).all()  # fmt: skip
    assert sorted(s for _, s in declared) == [DeclarationStatus.PUBLISHED, DeclarationStatus.WITHDRAWN]  # fmt: skip
    withdrawn = next(i for i, s in declared if s == DeclarationStatus.WITHDRAWN)
    granted = db.session.scalars(select(OpenLicence).where(OpenLicence.declaration_id == withdrawn)).all()  # fmt: skip
    assert [g.status for g in granted] == [LicenceStatus.GRANTED]
    reports = db.session.scalars(select(RoyaltyReport).order_by(RoyaltyReport.period_index)).all()
    assert [(r.period_index, r.late) for r in reports] == [(0, False), (1, True)]
    pools = db.session.scalars(select(DealReward).where(DealReward.royalty_report_id.is_not(None))).all()  # fmt: skip
    assert len(pools) == 2 and all(p.pool_minor > 0 and p.lines for p in pools)
    assert _count(select(DealReward).where(DealReward.royalty_report_id.is_(None))) == 1
    assert _count(select(RewardLine)) >= 8  # three inventors twice, two once: their statements
    holders = db.session.scalars(select(RightsHolder)).all()
    assert len(holders) == 3 and sum(h.share_bp for h in holders) == 10_000
    assert {h.basis for h in holders} == {HolderBasis.OWNERSHIP, HolderBasis.RIGHT_OF_USE}
    listing = holders[0].listing_id
    agreement = db.session.scalar(select(RightsAgreement).where(RightsAgreement.listing_id == listing))  # fmt: skip
    assert agreement is not None and agreement.signed_off_at is not None
    assert _count(select(CoOwnerConsent)) == 2
    pledged = db.session.scalar(select(PatentStatusRecord).where(PatentStatusRecord.status == LegalStatus.PLEDGED))  # fmt: skip
    assert pledged is not None and pledged.pledgee
    assert _count(select(PledgeeConsent)) == 1
    assert _count(select(ResultEvaluation)) >= 2


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
