"""Auction use cases on a real database: create, deposits, bids, proxies, closing, signals."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accounts.models import OrganisationKind
from auctions import bidders, bidding, closing, jobs, queries, services
from auctions.bidder_rules import Viewer
from auctions.models import Auction, AuctionStatus, Bid, ProxyBid
from core.audit_models import AuditEntry
from core.clock import as_utc
from core.domain import DomainError, PermissionDenied
from core.extensions import db
from core.workdays import WorkCalendar
from deals.cancellation_rules import Side
from deals.models import Deal, DealStatus, SaleMethod
from listings import services as listings
from listings.rules import ListingStatus, SaleState
from notifications.models import Notification
from payments import deposits
from payments.bank_transfer import deposit_reference
from payments.models import Deposit, DepositStatus
from tests import cancelling, factories
from trading.models import ListedSale, ListedSaleStatus

from .conftest import INC, START, Market, make_market


def bid_rows(auction_id: int) -> list[tuple[int, int, bool]]:
    return [
        (b.bidder_org_id, b.amount_minor, b.is_proxy)
        for b in db.session.scalars(
            select(Bid).where(Bid.auction_id == auction_id).order_by(Bid.id)
        )
    ]


def audit_actions(object_type: str, object_id: int) -> list[str]:
    return [
        e.action
        for e in db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
            .order_by(AuditEntry.id)
        )
    ]


# --- creating -----------------------------------------------------------------------------


def test_create_auction_puts_the_listing_in_auction_and_audits(market: Market) -> None:
    auction = market.auction
    assert auction.status == AuctionStatus.SCHEDULED  # published; bidding is open from the start
    assert listings.get_listing(market.listing.id).sale_state == SaleState.IN_AUCTION
    assert audit_actions("auction", auction.id) == [
        "auction.create",
        "auction.publish_announcement",
    ]
    assert queries.deposit_amount_of(auction) == START // 10


def test_auction_starting_later_is_scheduled_and_refuses_bids_until_then(
    db_session, clock, upload_folder
) -> None:
    market = make_market(clock(), upload_folder, starts_in=timedelta(hours=2))
    assert market.auction.status == AuctionStatus.SCHEDULED
    bidder = market.bidder()
    with pytest.raises(DomainError) as caught:
        bidding.place_bid(bidder, market.auction.id, START, now=clock())
    assert caught.value.code == "auction_not_started"
    result = bidding.place_bid(bidder, market.auction.id, START, now=clock.advance(hours=2))
    assert result.leading
    assert db.session.get(Auction, market.auction.id).status == AuctionStatus.RUNNING


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"ends_at_hours": 23}, "auction_too_short"),
        ({"deposit_bps": 2500}, "deposit_rate_out_of_range"),
        ({"reserve_price_minor": START - 1}, "invalid_terms"),
        ({"increment_minor": 0}, "invalid_terms"),
    ],
)
def test_create_auction_refuses_bad_terms_and_changes_nothing(
    db_session, clock, upload_folder, overrides: dict, code: str
) -> None:
    seller = factories.seller(clock())
    listing = factories.listing(
        seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder
    )
    hours = overrides.pop("ends_at_hours", 48)
    data = {
        "starting_price_minor": START,
        "increment_minor": INC,
        "starts_at": clock() + timedelta(days=8),
        "ends_at": clock() + timedelta(days=8, hours=hours),
        "deposit_bps": 1000,
        **overrides,
    }
    with pytest.raises(DomainError) as caught:
        services.create_auction(seller, listing.id, services.AuctionInput(**data), now=clock())
    assert caught.value.code == code
    assert db.session.scalar(select(func.count()).select_from(Auction)) == 0
    assert listings.get_listing(listing.id).sale_state == SaleState.AVAILABLE


def test_only_the_owner_auctions_and_not_twice(market: Market, clock) -> None:
    stranger = factories.seller(clock())
    data = services.AuctionInput(
        starting_price_minor=START,
        increment_minor=INC,
        starts_at=clock() + timedelta(days=8),
        ends_at=clock() + timedelta(days=10),
    )
    with pytest.raises(PermissionDenied):
        services.create_auction(stranger, market.listing.id, data, now=clock())
    with pytest.raises(DomainError) as caught:
        services.create_auction(market.seller, market.listing.id, data, now=clock())
    assert caught.value.code == "sale_not_allowed"


# --- deposits -----------------------------------------------------------------------------


def test_deposit_ledger_required_receipt_rejected_resubmitted_held(market: Market, clock) -> None:
    bidder = market.bidder(held=False)
    deposit = services.join_auction(bidder, market.auction.id, now=clock())
    again = services.join_auction(bidder, market.auction.id, now=clock())
    assert again.id == deposit.id and deposit.status == DepositStatus.REQUIRED
    assert deposit.amount_minor == START // 10 and deposit.channel == "offline"

    def upload(reference: str) -> Deposit:
        return deposits.submit_receipt(
            bidder,
            deposit.id,
            stream=io.BytesIO(factories.PDF_BYTES),
            filename="receipt.pdf",
            bank_reference=reference,
            folder=market.folder,
            max_bytes=100_000,
            now=clock(),
        )

    upload(deposit_reference(deposit))
    assert deposit.status == DepositStatus.RECEIPT_SUBMITTED
    assert [d.id for d in deposits.reviewer_queue(market.reviewer)] == [deposit.id]
    with pytest.raises(PermissionDenied):
        deposits.confirm_deposit(bidder, deposit.id, now=clock())
    deposits.reject_receipt(market.reviewer, deposit.id, "金额不符", now=clock())
    assert deposit.status == DepositStatus.REQUIRED
    assert deposits.last_rejection_reason(deposit) == "金额不符"
    upload(deposit_reference(deposit).lower())
    assert deposits.last_rejection_reason(deposit) is None
    deposits.confirm_deposit(market.reviewer, deposit.id, now=clock())
    assert deposit.status == DepositStatus.HELD and deposit.confirmed_by_id == market.reviewer.id
    assert deposits.held_org_ids("auction", market.auction.id) == {bidder.organisation_id}
    assert audit_actions("deposit", deposit.id) == [
        "deposit.require",
        "deposit.submit_receipt",
        "deposit.reject_receipt",
        "deposit.submit_receipt",
        "deposit.confirm",
    ]
    with pytest.raises(DomainError) as caught:
        deposits.confirm_deposit(market.reviewer, deposit.id, now=clock())
    assert caught.value.code == "receipt_not_submitted"


def test_receipt_needs_a_reference_and_a_document(market: Market, clock) -> None:
    bidder = market.bidder(held=False)
    deposit = services.join_auction(bidder, market.auction.id, now=clock())
    with pytest.raises(DomainError) as no_ref:
        deposits.submit_receipt(
            bidder,
            deposit.id,
            stream=io.BytesIO(factories.PDF_BYTES),
            filename="r.pdf",
            bank_reference=" ",
            folder=market.folder,
            max_bytes=100_000,
            now=clock(),
        )
    assert no_ref.value.field == "bank_reference"
    with pytest.raises(DomainError) as bad_file:
        deposits.submit_receipt(
            bidder,
            deposit.id,
            stream=io.BytesIO(b"not a receipt"),
            filename="r.exe",
            bank_reference=deposit_reference(deposit),
            folder=market.folder,
            max_bytes=100_000,
            now=clock(),
        )
    assert bad_file.value.field == "file"
    assert db.session.get(Deposit, deposit.id).status == DepositStatus.REQUIRED


def test_unverified_organisation_cannot_take_part(market: Market, clock) -> None:
    pending = factories.seller(clock(), verified=False, kind=OrganisationKind.ENTERPRISE)
    with pytest.raises(PermissionDenied) as caught:
        services.join_auction(pending, market.auction.id, now=clock())
    assert caught.value.code == "organisation_not_verified"
    with pytest.raises(PermissionDenied):
        bidding.place_bid(pending, market.auction.id, START, now=clock())


# --- bidding ------------------------------------------------------------------------------


def test_bid_without_deposit_is_refused_and_changes_nothing(market: Market, clock) -> None:
    bidder = market.bidder(held=False)
    services.join_auction(bidder, market.auction.id, now=clock())
    with pytest.raises(PermissionDenied) as caught:
        bidding.place_bid(bidder, market.auction.id, START, now=clock())
    assert caught.value.code == "deposit_not_held"
    assert bid_rows(market.auction.id) == []


def test_seller_cannot_bid(market: Market, clock) -> None:
    with pytest.raises(PermissionDenied) as caught:
        bidding.place_bid(market.seller, market.auction.id, START, now=clock())
    assert caught.value.code == "seller_cannot_bid"
    with pytest.raises(PermissionDenied):
        services.join_auction(market.seller, market.auction.id, now=clock())


def test_bids_rise_by_increments_and_a_low_bid_changes_nothing(market: Market, clock) -> None:
    alpha, beta = market.bidder(), market.bidder()
    first = bidding.place_bid(alpha, market.auction.id, START, now=clock())
    assert first.leading and [b.amount_minor for b in first.bids] == [START]
    with pytest.raises(DomainError) as low:
        bidding.place_bid(beta, market.auction.id, START + INC - 100, now=clock())
    assert low.value.code == "bid_below_increment"
    with pytest.raises(DomainError) as odd:
        bidding.place_bid(beta, market.auction.id, START + INC + 100, now=clock())
    assert odd.value.code == "not_whole_increment"
    bidding.place_bid(beta, market.auction.id, START + 2 * INC, now=clock())
    auction = db.session.get(Auction, market.auction.id)
    assert (auction.current_price_minor, auction.leader_org_id, auction.bid_count) == (
        START + 2 * INC,
        beta.organisation_id,
        2,
    )
    assert bid_rows(auction.id) == [
        (alpha.organisation_id, START, False),
        (beta.organisation_id, START + 2 * INC, False),
    ]
    assert audit_actions("auction", auction.id).count("auction.bid") == 2


def test_proxy_maximum_defends_and_is_overtaken(market: Market, clock) -> None:
    alpha, beta = market.bidder(), market.bidder()
    auction_id = market.auction.id
    bidding.place_bid(alpha, auction_id, START, max_minor=START + 4 * INC + 123, now=clock())
    defended = bidding.place_bid(beta, auction_id, START + INC, now=clock())
    assert not defended.leading
    assert bid_rows(auction_id)[-2:] == [
        (beta.organisation_id, START + INC, False),
        (alpha.organisation_id, START + 2 * INC, True),
    ]
    overtaken = bidding.place_bid(
        beta, auction_id, START + 3 * INC, max_minor=START + 10 * INC, now=clock()
    )
    assert overtaken.leading
    assert bid_rows(auction_id)[-3:] == [
        (beta.organisation_id, START + 3 * INC, False),
        (alpha.organisation_id, START + 4 * INC, True),  # alpha's maximum, floored to the grid
        (beta.organisation_id, START + 5 * INC, True),
    ]
    assert db.session.get(Auction, auction_id).current_price_minor == START + 5 * INC
    with pytest.raises(DomainError) as leading:
        bidding.place_bid(beta, auction_id, START + 6 * INC, now=clock())
    assert leading.value.code == "already_leading"
    raised = bidding.place_bid(
        beta, auction_id, START + 6 * INC, max_minor=START + 20 * INC, now=clock()
    )
    assert raised.raised_max and raised.bids == ()
    assert (
        db.session.scalar(
            select(ProxyBid.max_minor).where(ProxyBid.bidder_org_id == beta.organisation_id)
        )
        == START + 20 * INC
    )


def test_bid_in_last_five_minutes_extends_auction(market: Market, clock) -> None:
    bidder = market.bidder()
    ends = as_utc(market.auction.ends_at)
    clock.current = ends - timedelta(seconds=30)
    result = bidding.place_bid(bidder, market.auction.id, START, now=clock())
    assert result.extended
    auction = db.session.get(Auction, market.auction.id)
    assert queries.state_of(auction).ends_at == clock() + timedelta(minutes=5)
    snapshot = closing.auction_snapshot(auction.id, now=clock())
    assert snapshot["extended"] and snapshot["seconds_left"] == 300


def test_restricted_auction_only_for_its_parties(market: Market, clock) -> None:
    auction = db.session.get(Auction, market.auction.id)
    outsider = market.bidder()
    party = market.bidder()
    auction.restricted_to_org_ids = [party.organisation_id]
    db.session.commit()
    with pytest.raises(PermissionDenied) as caught:
        bidding.place_bid(outsider, auction.id, START, now=clock())
    assert caught.value.code == "not_a_party"
    assert bidding.place_bid(party, auction.id, START, now=clock()).leading


# --- closing ------------------------------------------------------------------------------


def test_close_sells_to_the_winner_and_settles_deposits(market: Market, clock) -> None:
    alpha, beta, idle = market.bidder(), market.bidder(), market.bidder()
    bidding.place_bid(alpha, market.auction.id, START, now=clock())
    bidding.place_bid(beta, market.auction.id, START + INC, now=clock())
    clock.current = as_utc(market.auction.ends_at) + timedelta(seconds=1)
    assert jobs.close_due(now=clock()) == 1
    assert jobs.close_due(now=clock()) == 0
    auction = db.session.get(Auction, market.auction.id)
    assert auction.status == AuctionStatus.CLOSED and auction.closed_at is not None
    deal = db.session.scalars(select(Deal)).one()
    assert (deal.buyer_org_id, deal.price_minor, deal.method, deal.source_id) == (
        beta.organisation_id,
        START + INC,
        SaleMethod.AUCTION,
        auction.id,
    )
    assert listings.get_listing(market.listing.id).sale_state == SaleState.SOLD
    by_org = {d.org_id: d for d in deposits.deposits_of_context("auction", auction.id)}
    assert by_org[beta.organisation_id].status == DepositStatus.APPLIED
    assert by_org[beta.organisation_id].deal_id == deal.id
    calendar = WorkCalendar()
    for loser in (alpha, idle):
        released = by_org[loser.organisation_id]
        assert released.status == DepositStatus.RELEASED
        assert as_utc(released.release_due_at) == calendar.add_working_days(clock(), 5)
    assert "auction.close" in audit_actions("auction", auction.id)
    public = closing.auction_snapshot(auction.id, now=clock())
    assert public["status"] == "closed" and public["winner_name"] is None, (
        "the public sees a number"
    )
    assert public["winner_number"] == bidders.number_of(auction.id, beta.organisation_id)
    seller_view = Viewer(org_id=market.seller.organisation_id, is_seller=True)
    to_seller = closing.auction_snapshot(auction.id, now=clock(), viewer=seller_view)
    assert to_seller["winner_name"] == beta.organisation.name
    to_winner = closing.auction_snapshot(
        auction.id, now=clock(), viewer=Viewer(beta.organisation_id)
    )
    assert to_winner["winner_mine"] and not public["winner_mine"]
    assert [a.id for a in queries.list_auctions("closed", now=clock())] == [auction.id]


def test_reserve_not_met_fails_and_names_the_highest_bidder(
    db_session, clock, upload_folder
) -> None:
    market = make_market(clock(), upload_folder, reserve=START + 10 * INC)
    alpha = market.bidder()
    bidding.place_bid(alpha, market.auction.id, START + INC, now=clock())
    assert closing.auction_snapshot(market.auction.id, now=clock())["reserve_met"] is False
    clock.current = as_utc(market.auction.ends_at)
    assert closing.close_auction(market.auction.id, now=clock())
    assert not closing.close_auction(market.auction.id, now=clock())  # exactly once
    auction = db.session.get(Auction, market.auction.id)
    assert auction.status == AuctionStatus.FAILED
    assert queries.highest_bidder_org_id(auction) == alpha.organisation_id
    assert listings.get_listing(market.listing.id).sale_state == SaleState.AVAILABLE
    assert db.session.scalar(select(func.count()).select_from(Deal)) == 0
    assert deposits.deposit_of("auction", auction.id, alpha.organisation_id).status == (
        DepositStatus.RELEASED
    )


def test_no_bids_fails_and_frees_the_listing(market: Market, clock) -> None:
    clock.current = as_utc(market.auction.ends_at)
    assert jobs.close_due(now=clock()) == 1
    auction = db.session.get(Auction, market.auction.id)
    assert auction.status == AuctionStatus.FAILED and queries.highest_bidder_org_id(auction) is None
    assert listings.get_listing(market.listing.id).sale_state == SaleState.AVAILABLE


def test_bid_on_an_ended_auction_is_refused_and_the_caller_closes_it(market: Market, clock) -> None:
    alpha, beta = market.bidder(), market.bidder()
    bidding.place_bid(alpha, market.auction.id, START, now=clock())
    clock.current = as_utc(market.auction.ends_at) + timedelta(minutes=1)
    with pytest.raises(bidding.AuctionDue) as caught:
        bidding.place_bid(beta, market.auction.id, START + INC, now=clock())
    assert caught.value.code == "auction_not_running"
    assert caught.value.auction_id == market.auction.id
    assert db.session.get(Auction, market.auction.id).status == AuctionStatus.RUNNING
    assert closing.close_auction(market.auction.id, now=clock())  # the caller's second step
    assert db.session.get(Auction, market.auction.id).status == AuctionStatus.CLOSED
    assert bid_rows(market.auction.id) == [(alpha.organisation_id, START, False)]
    with pytest.raises(DomainError) as closed:
        bidding.place_bid(beta, market.auction.id, START + INC, now=clock())
    assert closed.value.code == "auction_not_running"


def test_winner_who_does_not_sign_forfeits_the_deposit(market: Market, clock) -> None:
    alpha = market.bidder()
    bidding.place_bid(alpha, market.auction.id, START, now=clock())
    clock.current = as_utc(market.auction.ends_at)
    jobs.close_due(now=clock())
    deal = db.session.scalars(select(Deal)).one()
    cancelling.by_ruling(
        market.seller, market.reviewer, deal.id, "买方未签约", at_fault=Side.BUYER, now=clock()
    )
    deposit = deposits.deposit_of("auction", market.auction.id, alpha.organisation_id)
    assert deposit.status == DepositStatus.FORFEITED
    assert "deposit.forfeit" in audit_actions("deposit", deposit.id)
    assert db.session.get(Deal, deal.id).status == DealStatus.CANCELLED
    told = db.session.scalars(
        select(Notification.event).where(Notification.user_id == alpha.id)
    ).all()
    assert told.count("deposit.forfeited") == 1, "the winner learns it forfeited the deposit"


def test_deal_cancelled_otherwise_releases_the_applied_deposit(market: Market, clock) -> None:
    alpha = market.bidder()
    bidding.place_bid(alpha, market.auction.id, START, now=clock())
    clock.current = as_utc(market.auction.ends_at)
    jobs.close_due(now=clock())
    deal = db.session.scalars(select(Deal)).one()
    cancelling.by_agreement(market.seller, alpha, deal.id, "双方协商解除", now=clock())
    deposit = deposits.deposit_of("auction", market.auction.id, alpha.organisation_id)
    assert deposit.status == DepositStatus.RELEASED and deposit.release_due_at is not None


# --- listed sale → auction ----------------------------------------------------------------


def test_listed_sale_with_several_buyers_opens_a_restricted_auction(
    db_session, clock, upload_folder
) -> None:
    now = clock()
    reviewer = factories.platform_reviewer(now)
    seller = factories.seller(now, reviewer=reviewer)
    listing = factories.listing(
        seller, now, status=ListingStatus.PUBLISHED, folder=upload_folder, reviewer=reviewer
    )
    listings.set_sale_state(listing.id, SaleState.LISTED_SALE, now=now, actor_id=seller.id)
    sale = ListedSale(
        listing_id=listing.id,
        seller_org_id=seller.organisation_id,
        asking_price_minor=START,
        deposit_minor=START // 10,
        working_days=20,
        starts_at=now,
        ends_at=now + timedelta(days=28),
        status=ListedSaleStatus.OPEN,
        created_at=now,
    )
    db.session.add(sale)
    db.session.commit()
    folder = upload_folder.parent / "deposits"
    buyers = [
        factories.seller(now, reviewer=reviewer, kind=OrganisationKind.ENTERPRISE) for _ in range(3)
    ]
    for buyer in buyers:
        deposit = deposits.require_deposit(buyer, "listed_sale", sale.id, START // 10, now=now)
        db.session.commit()
        deposits.submit_receipt(
            buyer,
            deposit.id,
            stream=io.BytesIO(factories.PDF_BYTES),
            filename="r.pdf",
            bank_reference=deposit_reference(deposit),
            folder=folder,
            max_bytes=100_000,
            now=now,
        )
        deposits.confirm_deposit(reviewer, deposit.id, now=now)
    parties = {buyers[0].organisation_id, buyers[1].organisation_id}
    auction = services.open_auction_for_listed_sale(
        listing_id=listing.id,
        listed_sale_id=sale.id,
        org_ids=parties,
        starting_price_minor=START,
        now=now,
        calendar=WorkCalendar(),
    )
    db.session.commit()
    assert auction.status == AuctionStatus.RUNNING and set(auction.restricted_to_org_ids) == parties
    assert queries.state_of(auction).ends_at - now >= timedelta(hours=24)
    assert listings.get_listing(listing.id).sale_state == SaleState.IN_AUCTION
    assert deposits.held_org_ids("auction", auction.id) == parties
    assert deposits.held_org_ids("listed_sale", sale.id) == {buyers[2].organisation_id}
    bidding.place_bid(buyers[0], auction.id, START, now=now)
    bidding.place_bid(buyers[1], auction.id, START + auction.increment_minor, now=now)
    with pytest.raises(PermissionDenied):
        bidding.place_bid(buyers[2], auction.id, START + 5 * auction.increment_minor, now=now)
