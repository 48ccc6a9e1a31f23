"""The announcement (拍卖公告): a draft a reviewer publishes at least 7 days before bidding."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from accounts.models import OrganisationKind, User
from auctions import announcements, bidding, services
from auctions.models import Auction, AuctionStatus
from auctions.settings import settings_from_config
from core.audit_models import AuditEntry
from core.domain import DomainError
from core.extensions import db
from core.uow import unit_of_work
from listings import services as listings
from listings.models import Listing
from listings.rules import ListingStatus, SaleState
from notifications.models import Notification
from tests import factories

from .conftest import INC, START, hold_deposit

EN = {"Accept-Language": "en"}
WEEK = timedelta(days=7)


def sign_in(client: FlaskClient, email: str) -> None:
    response = client.post("/signin", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302


def terms(
    now: datetime, *, starts_in: timedelta = WEEK + timedelta(hours=1), **more
) -> services.AuctionInput:
    return services.AuctionInput(
        starting_price_minor=START,
        increment_minor=INC,
        starts_at=now + starts_in,
        ends_at=now + starts_in + timedelta(days=2),
        **more,
    )


@pytest.fixture
def draft(db_session, clock, upload_folder) -> tuple[User, User, Listing, Auction]:
    """A seller's draft announcement, bidding a week and an hour from now (committed)."""
    reviewer = factories.platform_reviewer(clock())
    seller = factories.seller(clock(), reviewer=reviewer)
    listing = factories.listing(
        seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder, reviewer=reviewer
    )
    with unit_of_work():
        auction = services.create_auction(seller, listing.id, terms(clock()), now=clock())
    return seller, reviewer, listing, auction


def told(org_user: User, event: str) -> list[Notification]:
    return list(
        db.session.scalars(
            select(Notification).where(
                Notification.user_id == org_user.id, Notification.event == event
            )
        )
    )


def test_an_auction_starting_within_seven_days_is_refused_on_the_start_field(
    db_session, clock, upload_folder
) -> None:
    seller = factories.seller(clock())
    listing = factories.listing(
        seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder
    )
    with pytest.raises(DomainError) as caught:
        services.create_auction(
            seller, listing.id, terms(clock(), starts_in=WEEK - timedelta(minutes=1)), now=clock()
        )
    assert (caught.value.code, caught.value.field) == ("announcement_too_short", "starts_at")
    assert db.session.scalar(select(func.count()).select_from(Auction)) == 0
    assert listings.get_listing(listing.id).sale_state == SaleState.AVAILABLE


def test_the_announcement_period_comes_from_configuration(
    app, db_session, clock, upload_folder
) -> None:
    seller = factories.seller(clock())
    listing = factories.listing(
        seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder
    )
    settings = settings_from_config({**app.config, "AUCTION_ANNOUNCEMENT_DAYS": 10})
    with pytest.raises(DomainError) as caught:
        services.create_auction(seller, listing.id, terms(clock()), now=clock(), settings=settings)
    assert caught.value.code == "announcement_too_short"


def test_a_draft_is_hidden_from_the_public_and_takes_no_deposit(
    client: FlaskClient, draft, clock
) -> None:
    seller, reviewer, listing, auction = draft
    assert auction.status == AuctionStatus.PENDING_REVIEW
    assert listings.get_listing(listing.id).sale_state == SaleState.IN_AUCTION
    assert client.get(f"/auctions/{auction.id}").status_code == 404
    assert client.get(f"/api/v1/auctions/{auction.id}").status_code == 404
    assert listing.title() not in client.get("/auctions?status=upcoming").get_data(as_text=True)
    bidder = factories.seller(clock(), reviewer=reviewer, kind=OrganisationKind.ENTERPRISE)
    with pytest.raises(DomainError) as caught:
        services.join_auction(bidder, auction.id, now=clock())
    assert caught.value.code == "not_published"
    sign_in(client, seller.email)
    page = client.get(f"/auctions/{auction.id}", headers=EN).get_data(as_text=True)
    assert "awaits a reviewer" in page


def test_a_reviewer_publishes_it_from_the_queue_then_deposits_open_and_bidding_waits_a_week(
    client: FlaskClient, draft, clock, upload_folder
) -> None:
    seller, reviewer, listing, auction = draft
    sign_in(client, reviewer.email)
    queue = client.get("/review/", headers=EN).get_data(as_text=True)
    assert "Auction announcements to publish" in queue and listing.title() in queue
    response = client.post(f"/review/auctions/{auction.id}/publish")
    assert response.status_code == 302
    db.session.expire_all()
    published = db.session.get(Auction, auction.id)
    assert published.status == AuctionStatus.SCHEDULED
    assert published.announced_at is not None
    assert told(seller, "auction.announcement_published")
    actions = db.session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.object_type == "auction", AuditEntry.object_id == auction.id
        )
    ).all()
    assert "auction.publish_announcement" in actions
    client.post("/signout")
    page = client.get(f"/auctions/{auction.id}", headers=EN).get_data(as_text=True)
    for stated in ("Auction announcement", "Viewing period", "Deadline to lodge deposits", "Rules"):
        assert stated in page
    assert "¥1,000.00" in page  # the deposit: 10 % of ¥10,000
    bidder = factories.seller(clock(), reviewer=reviewer, kind=OrganisationKind.ENTERPRISE)
    hold_deposit(bidder, auction.id, reviewer, upload_folder.parent / "deposits", clock())
    with pytest.raises(DomainError) as caught:
        bidding.place_bid(bidder, auction.id, START, now=clock.advance(days=7))
    assert caught.value.code == "auction_not_started"
    assert bidding.place_bid(bidder, auction.id, START, now=clock.advance(hours=1)).leading


def test_publishing_too_late_for_the_start_is_refused(draft, clock) -> None:
    _, reviewer, _, auction = draft
    with pytest.raises(DomainError) as caught:
        announcements.approve(reviewer, auction.id, now=clock() + timedelta(hours=2))
    assert caught.value.code == "announcement_too_short"
    assert db.session.get(Auction, auction.id).status == AuctionStatus.PENDING_REVIEW


def test_only_a_reviewer_publishes(client: FlaskClient, draft) -> None:
    seller, _, _, auction = draft
    sign_in(client, seller.email)
    client.post(f"/review/auctions/{auction.id}/publish")
    db.session.expire_all()
    assert db.session.get(Auction, auction.id).status == AuctionStatus.PENDING_REVIEW


def test_a_refused_announcement_goes_back_to_the_seller_with_the_reason(
    client: FlaskClient, draft, clock
) -> None:
    seller, reviewer, listing, auction = draft
    sign_in(client, reviewer.email)
    client.post(f"/review/auctions/{auction.id}/refuse", data={"reason": ""})
    db.session.expire_all()
    assert db.session.get(Auction, auction.id).status == AuctionStatus.PENDING_REVIEW
    client.post(f"/review/auctions/{auction.id}/refuse", data={"reason": "保留价过低"})
    db.session.expire_all()
    refused = db.session.get(Auction, auction.id)
    assert (refused.status, refused.refusal_reason) == (AuctionStatus.REFUSED, "保留价过低")
    assert listings.get_listing(listing.id).sale_state == SaleState.AVAILABLE
    [notice] = told(seller, "auction.announcement_refused")
    assert notice.params["reason"] == "保留价过低"
    client.post("/signout")
    sign_in(client, seller.email)
    page = client.get(f"/auctions/{auction.id}", headers=EN).get_data(as_text=True)
    assert "was refused" in page and "保留价过低" in page
    with unit_of_work():  # the seller announces it again
        again = services.create_auction(seller, listing.id, terms(clock()), now=clock())
    assert again.status == AuctionStatus.PENDING_REVIEW


def test_deposits_are_lodged_only_until_the_deadline(draft, clock, upload_folder) -> None:
    seller, reviewer, listing, _ = draft
    with unit_of_work():
        announcements.refuse(reviewer, _.id, "redo", now=clock())
    deadline = clock() + timedelta(days=6)
    with unit_of_work():
        auction = services.create_auction(
            seller, listing.id, terms(clock(), deposit_deadline=deadline), now=clock()
        )
        announcements.approve(reviewer, auction.id, now=clock())
    early = factories.seller(clock(), reviewer=reviewer, kind=OrganisationKind.ENTERPRISE)
    services.join_auction(early, auction.id, now=deadline)
    late = factories.seller(clock(), reviewer=reviewer, kind=OrganisationKind.ENTERPRISE)
    with pytest.raises(DomainError) as caught:
        services.join_auction(late, auction.id, now=deadline + timedelta(minutes=1))
    assert caught.value.code == "deposit_deadline_passed"


def test_a_deadline_after_the_end_is_a_field_error(draft, clock, upload_folder) -> None:
    seller, _, _, _ = draft
    other = factories.listing(seller, clock(), status=ListingStatus.PUBLISHED, folder=upload_folder)
    data = terms(clock(), deposit_deadline=clock() + timedelta(days=30))
    with pytest.raises(DomainError) as caught:
        services.create_auction(seller, other.id, data, now=clock())
    assert (caught.value.code, caught.value.field) == (
        "deposit_deadline_too_late",
        "deposit_deadline",
    )
