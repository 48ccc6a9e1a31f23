"""What auctions tell people: opening, outbid, ending, won or lost, and the seller's result."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, select

from auctions.models import Auction, AuctionBidder, AuctionStatus, Bid
from core.extensions import db
from core.row_lists import all_of
from listings.models import Listing
from notifications.services import notify_org
from notifications.watches import notify_watchers
from payments.deposits import held_org_ids
from webhooks.events import publish


def _about(auction: Auction) -> dict[str, object]:
    listing = db.session.get(Listing, auction.listing_id)
    title = listing.title("zh_CN") if listing else ""
    title_en = listing.title("en") if listing else ""
    return {"title": title, "title_en": title_en, "currency": auction.currency}


def _link(auction_id: int) -> str:
    return f"/auctions/{auction_id}"


TELL_BIDS_JOB = "auctions.tell_bids"
UNTOLD_BATCH = 500


def tell_bids(*, now: datetime) -> int:
    """Tell what the bids placed since the last run changed; how many bids (flushes).

    Per auction in the batch: each organisation that lost the lead hears once, at the
    price the auction has now, and the watchers hear once. Bids are marked told in the
    same transaction, so each is told once whichever worker runs this.
    """
    query = select(Bid).where(Bid.told.is_(False)).order_by(Bid.id).limit(UNTOLD_BATCH)
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    bids = all_of(query)
    by_auction: dict[int, list[Bid]] = {}
    for bid in bids:
        by_auction.setdefault(bid.auction_id, []).append(bid)
    for auction_id, new in by_auction.items():
        _tell_auction(auction_id, new, now=now)
    for bid in bids:
        bid.told = True
    db.session.flush()
    return len(bids)


def _tell_auction(auction_id: int, new: list[Bid], *, now: datetime) -> None:
    auction = db.session.get(Auction, auction_id)
    if auction is None:
        return
    before = db.session.scalar(
        select(Bid.bidder_org_id)
        .where(Bid.auction_id == auction_id, Bid.id < new[0].id)
        .order_by(Bid.id.desc())
        .limit(1)
    )
    leaders = [before, *(bid.bidder_org_id for bid in new)]
    displaced = {
        earlier for earlier, later in pairwise(leaders) if earlier is not None and earlier != later
    } - {auction.leader_org_id}
    params = {**_about(auction), "price_minor": auction.current_price_minor or 0}
    link = _link(auction_id)
    told = []
    for org_id in sorted(displaced):
        told += notify_org(org_id, "auction.outbid", params=params, link=link, now=now)
    bids = {**params, "bids": len(new)}  # the seller's systems follow its auction
    publish(auction.seller_org_id, "auction.bid", data=bids, link=link, now=now)
    notify_watchers(
        "auction", auction_id, "watch.auction_bid", params=params, link=link, now=now,
        told=[n.user_id for n in told],
    )  # fmt: skip


def closed(auction: Auction, *, sold: bool, now: datetime) -> None:
    """The winner learns it won, every other bidder that it lost; the seller learns the
    result (flushes)."""
    about = _about(auction)
    link = _link(auction.id)
    price = auction.current_price_minor or auction.starting_price_minor
    if sold and auction.leader_org_id is not None:
        won = {**about, "price_minor": price}
        notify_org(auction.leader_org_id, "auction.won", params=won, link=link, now=now)
    outcome_zh, outcome_en = ("成交", "sold") if sold else ("流拍", "no sale")
    result = {**about, "outcome": outcome_zh, "outcome_en": outcome_en}
    notify_org(auction.seller_org_id, "auction.result", params=result, link=link, now=now)
    winner = auction.leader_org_id if sold else None
    bidders = select(AuctionBidder.org_id).where(AuctionBidder.auction_id == auction.id)
    for org_id in sorted(set(db.session.scalars(bidders)) - {winner}):
        notify_org(org_id, "auction.lost", params=result, link=link, now=now)
    notify_watchers(
        "auction", auction.id, "watch.auction_closed", params=result, link=link, now=now
    )


def announcement_published(auction: Auction, *, now: datetime) -> None:
    """The seller learns its announcement is published; the listing's watchers learn of the sale."""
    link = _link(auction.id)
    notify_org(
        auction.seller_org_id, "auction.announcement_published",
        params=_about(auction), link=link, now=now,
    )  # fmt: skip
    params = {**_about(auction), "how": "拍卖", "how_en": "by auction"}
    notify_watchers(
        "listing", auction.listing_id, "watch.listing_for_sale", params=params, link=link, now=now
    )


def announcement_refused(auction: Auction, *, now: datetime) -> None:
    """The seller learns its announcement was refused, and why."""
    params = {**_about(auction), "reason": auction.refusal_reason or ""}
    notify_org(
        auction.seller_org_id, "auction.announcement_refused",
        params=params, link=_link(auction.id), now=now,
    )  # fmt: skip


ENDING_SOON = timedelta(hours=1)
STARTING_LATE = timedelta(hours=1)  # an opening older than this is not news any more


def tell_ending_soon(*, now: datetime) -> int:
    """Bidders (deposit held) and watchers of auctions ending within the hour hear it once."""
    due = (
        Auction.status == AuctionStatus.RUNNING,
        Auction.ending_told_at.is_(None),
        Auction.ends_at <= now + ENDING_SOON,
        Auction.ends_at > now,
    )
    return _tell_once(_sweep(due, Auction.ends_at), "auction.ending", "ending_told_at", now=now)


def tell_starting(*, now: datetime) -> int:
    """Bidders (deposit held) and watchers of auctions that have opened hear it once."""
    due = (
        Auction.status.in_((AuctionStatus.SCHEDULED, AuctionStatus.RUNNING)),
        Auction.start_told_at.is_(None),
        Auction.starts_at <= now,
        Auction.starts_at > now - STARTING_LATE,
        Auction.ends_at > now,
    )
    auctions = _sweep(due, Auction.starts_at)
    return _tell_once(auctions, "auction.starting", "start_told_at", now=now)


def _tell_once(auctions: list[Auction], event: str, told_at: str, *, now: datetime) -> int:
    """Tell each auction's bidders and watchers `event`, and mark it told (column `told_at`)."""
    for auction in auctions:
        _tell_bidders_and_watchers(auction, event, now=now)
        setattr(auction, told_at, now)
    db.session.flush()
    return len(auctions)


def _sweep(due: tuple[ColumnElement[bool], ...], order: Any) -> list[Auction]:
    """The auctions a sweep tells, row-locked on PostgreSQL (a second worker skips them)."""
    query = select(Auction).where(*due).order_by(order)
    if db.engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return all_of(query)


def _tell_bidders_and_watchers(auction: Auction, event: str, *, now: datetime) -> None:
    """The organisations holding a deposit, then the watchers not told through them."""
    price = auction.current_price_minor or auction.starting_price_minor
    params = {**_about(auction), "price_minor": price}
    link = _link(auction.id)
    told = []
    for org_id in sorted(held_org_ids("auction", auction.id)):
        told += notify_org(org_id, event, params=params, link=link, now=now)
    notify_watchers(
        "auction", auction.id, event, params=params, link=link, now=now,
        told=[n.user_id for n in told],
    )  # fmt: skip
