"""Auctions' panels of the home: a seller's auctions by state, a bidder's standing, and the
reviewers' announcements to publish (core.home)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from accounts.models import User
from auctions.models import Auction, AuctionStatus, Bid
from core.extensions import db
from core.home import (
    BUYER,
    SELLER,
    HomeItem,
    HomePanel,
    count_by,
    counted_items,
    home_panels,
    queue_item,
    review_panel,
    role_panels,
)

BIDS_SHOWN = 8
_LIVE = (AuctionStatus.SCHEDULED, AuctionStatus.RUNNING)


def seller_panel(org_id: int) -> HomePanel:
    """The seller's auctions waiting for review, announced or running."""
    by_status = count_by(
        Auction.status,
        Auction.seller_org_id == org_id,
        Auction.status.in_((AuctionStatus.PENDING_REVIEW, *_LIVE)),
    )
    labels = {
        AuctionStatus.PENDING_REVIEW: _("Announcements awaiting review"),
        AuctionStatus.SCHEDULED: _("Auctions announced"),
        AuctionStatus.RUNNING: _("Auctions running"),
    }
    return HomePanel(
        key="auctions_seller",
        role=SELLER,
        title=_("Auctions"),
        items=counted_items(by_status, labels, url_for("auctions.index")),
        empty=_("No auction running: an auction starts from a published result's page."),
        empty_url=url_for("listings.mine"),
        empty_action=_("Your results"),
        order=30,
    )


def bidder_panel(org_id: int) -> HomePanel:
    """The live auctions the enterprise bid in, each leading or outbid, ending soonest first."""
    bid_in = select(Bid.auction_id).where(Bid.bidder_org_id == org_id).distinct()
    auctions = list(
        db.session.scalars(
            select(Auction)
            .where(Auction.id.in_(bid_in), Auction.status.in_(_LIVE))
            .order_by(Auction.ends_at)
            .limit(BIDS_SHOWN)
        )
    )
    items = [
        HomeItem(
            label=_("Auction %(number)s", number=auction.id),
            url=url_for("auctions.room", auction_id=auction.id),
            note=_("You lead") if auction.leader_org_id == org_id else _("Outbid"),
            urgent=auction.leader_org_id != org_id,
            count=auction.bid_count,
        )
        for auction in auctions
    ]
    return HomePanel(
        key="auctions_buyer",
        role=BUYER,
        title=_("Your bids"),
        items=items,
        empty=_("No bids in running auctions: see the auctions open to bidders."),
        empty_url=url_for("auctions.index"),
        empty_action=_("Auctions"),
        order=30,
    )


def announcement_queue() -> HomeItem:
    """Auction announcements waiting for a reviewer."""
    return queue_item(
        _("Auction announcements to publish"),
        url_for("review.queues") + "#announcements",
        Auction.created_at,
        Auction.status == AuctionStatus.PENDING_REVIEW,
    )


def on_home(user: User, *, roles: frozenset[str], **_kw: Any) -> list[HomePanel] | None:
    return role_panels(
        user.acting_org_id,
        roles,
        seller=seller_panel,
        buyer=bidder_panel,
        reviewer=lambda: review_panel(
            "review_auctions", _("Auctions"), [announcement_queue()], order=70
        ),
    )


def connect() -> None:
    home_panels.connect(on_home, weak=False)
