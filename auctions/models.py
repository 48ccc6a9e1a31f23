"""Auctions, bids and proxy maximums."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from auctions.rules import Phase
from core.db_types import ClosingPeriodMixin, UTCDateTime, enum_column
from core.extensions import Model, db
from listings.models import ListingTradeMixin

# An auction's stored status is the phase its pure rules know (one enum, not two).
AuctionStatus = Phase


class Auction(ListingTradeMixin, ClosingPeriodMixin, Model):
    """An English ascending auction of one listing."""

    __tablename__ = "auctions"

    seller_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[AuctionStatus] = mapped_column(enum_column(AuctionStatus), index=True)
    starting_price_minor: Mapped[int] = mapped_column(BigInteger)
    reserve_price_minor: Mapped[int | None] = mapped_column(BigInteger)  # hidden from bidders
    increment_minor: Mapped[int] = mapped_column(BigInteger)
    deposit_bps: Mapped[int] = mapped_column(Integer)  # of the starting price, 500–2000
    original_ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    current_price_minor: Mapped[int | None] = mapped_column(BigInteger)
    leader_org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    bid_count: Mapped[int] = mapped_column(Integer, default=0)
    # The leader's standing maximum and its user (a copy of the leader's proxy_bids row,
    # whose user_id has the foreign key): a bid reads and advances one row, and the row's
    # state is what a concurrent bid is compared against.
    leader_max_minor: Mapped[int | None] = mapped_column(BigInteger)
    leader_max_user_id: Mapped[int | None] = mapped_column(Integer)
    # A listed sale with several intents opens an auction among exactly those parties.
    restricted_to_org_ids: Mapped[list[int] | None] = mapped_column(JSON)
    listed_sale_id: Mapped[int | None] = mapped_column(ForeignKey("listed_sales.id"))
    # When bidders and watchers were told it ends within the hour (auctions.jobs).
    ending_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When bidders and watchers were told it opens for bids (auctions.jobs).
    start_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The announcement (拍卖公告): published when a reviewer approves it; deposits are
    # lodged from then until the deadline (None: until bidding ends).
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deposit_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    announcement_reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    refusal_reason: Mapped[str | None] = mapped_column(Text)

    bids: Mapped[list[Bid]] = relationship(back_populates="auction", order_by="Bid.id")


class Bid(Model):
    """An accepted bid; proxy bids are placed by the system for a bidder's maximum."""

    __tablename__ = "bids"

    id: Mapped[int] = mapped_column(primary_key=True)
    auction_id: Mapped[int] = mapped_column(ForeignKey("auctions.id"))
    bidder_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    is_proxy: Mapped[bool] = mapped_column(default=False)
    # Told to the bidder it displaced and to the watchers (auctions.jobs.tell_bids): the
    # hot path writes the bid only; the telling follows after the commit.
    told: Mapped[bool] = mapped_column(default=False, server_default=false())

    auction: Mapped[Auction] = relationship(back_populates="bids")

    __table_args__ = (
        # Two bids can never win the same price.
        db.UniqueConstraint("auction_id", "amount_minor", name="uq_bids_auction_amount"),
        db.Index("ix_bids_untold", "told", "id"),
        # An auction's latest bids (the room, a poll, the bid pages) read as many index
        # entries as they show, however many bids the auction has.
        db.Index("ix_bids_auction_latest", "auction_id", "id"),
    )


class ProxyBid(Model):
    """A bidder's maximum: the system bids for them by the increment up to it."""

    __tablename__ = "proxy_bids"

    id: Mapped[int] = mapped_column(primary_key=True)
    auction_id: Mapped[int] = mapped_column(ForeignKey("auctions.id"), index=True)
    bidder_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    max_minor: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        db.UniqueConstraint("auction_id", "bidder_org_id", name="uq_proxy_bids_auction_bidder"),
    )


class AuctionBidder(Model):
    """A bidder's number (竞买号) in one auction, drawn when its deposit is held.

    Pages and the API name bidders by this number; only reviewers (and the seller,
    after the close) see which organisation holds it.
    """

    __tablename__ = "auction_bidders"

    id: Mapped[int] = mapped_column(primary_key=True)
    auction_id: Mapped[int] = mapped_column(ForeignKey("auctions.id"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    number: Mapped[int] = mapped_column(Integer)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        db.UniqueConstraint("auction_id", "org_id", name="uq_auction_bidders_auction_org"),
        db.UniqueConstraint("auction_id", "number", name="uq_auction_bidders_auction_number"),
    )
