"""Auctions' panels of the home: a seller's auctions by state, a bidder's standing, and the
reviewers' announcements to publish (core.home)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from auctions.models import Auction, AuctionStatus, Bid
from core.domain import N_
from core.extensions import db
from core.home import (
    BUYER,
    SELLER,
    Card,
    HomeItem,
    HomePanel,
    ReviewQueue,
    count_by,
    counted_items,
    panels_of_roles,
)

BIDS_SHOWN = 8
_LIVE = (AuctionStatus.SCHEDULED, AuctionStatus.RUNNING)
SELLER_CARD = Card("auctions_seller", SELLER, N_("Auctions"), 30, N_("No auction running: an auction starts from a published result's page."), "listings.mine", N_("Your results"))  # fmt: skip
QUEUE = ReviewQueue("review_auctions", N_("Auctions"), 70, N_("Auction announcements to publish"), "review.queues", "#announcements")  # fmt: skip
BIDDER_CARD = Card("auctions_buyer", BUYER, N_("Your bids"), 30, N_("No bids in running auctions: see the auctions open to bidders."), "auctions.index", N_("Auctions"))  # fmt: skip


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
    return SELLER_CARD.panel(counted_items(by_status, labels, url_for("auctions.index")))


def bidder_panel(org_id: int) -> HomePanel:
    """The live auctions the enterprise bid in, each leading or outbid, ending soonest first."""
    bid_in = select(Bid.auction_id).where(Bid.bidder_org_id == org_id).distinct()
    auctions = db.session.scalars(
        select(Auction)
        .where(Auction.id.in_(bid_in), Auction.status.in_(_LIVE))
        .order_by(Auction.ends_at)
        .limit(BIDS_SHOWN)
    )
    return BIDDER_CARD.panel([_standing(auction, org_id) for auction in auctions])


def _standing(auction: Auction, org_id: int) -> HomeItem:
    leading = auction.leader_org_id == org_id
    return HomeItem(
        label=_("Auction %(number)s", number=auction.id),
        url=url_for("auctions.room", auction_id=auction.id),
        note=_("You lead") if leading else _("Outbid"),
        urgent=not leading,
        count=auction.bid_count,
    )


def reviewer_panel() -> HomePanel:
    """Auction announcements waiting for a reviewer."""
    return QUEUE.panel(Auction.created_at, Auction.status == AuctionStatus.PENDING_REVIEW)


connect = panels_of_roles(seller=seller_panel, buyer=bidder_panel, reviewer=reviewer_panel)
