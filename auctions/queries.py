"""Read models of auctions for the pages and the API: lists, the room, the live snapshot (no writes)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select

from accounts.models import Organisation, User
from auctions import bidder_rules, bidders, rules, term_rules
from auctions.bidder_rules import Viewer
from auctions.models import Auction, AuctionStatus, Bid, ProxyBid
from auctions.settings import DEFAULT_SETTINGS, AuctionSettings
from core.clock import as_utc
from core.domain import N_, NotFound
from core.extensions import db
from core.row_lists import all_of
from core.rows import get_row
from listings import services as listings
from listings.models import Listing
from payments import deposits
from payments.models import Deposit

CONTEXT = "auction"  # the deposit ledger's context type
OPEN_STATUSES = (AuctionStatus.SCHEDULED, AuctionStatus.RUNNING)
CLOSING = "closing"  # the phase of an open auction whose end has passed
RESULT_STATUSES = (AuctionStatus.CLOSED, AuctionStatus.FAILED)
# A draft announcement and a refused one: seen by the seller and reviewers only.
UNPUBLISHED_STATUSES = (AuctionStatus.PENDING_REVIEW, AuctionStatus.REFUSED)


def state_of(auction: Auction, settings: AuctionSettings = DEFAULT_SETTINGS) -> rules.AuctionState:
    """The pure rules' view of an auction row."""
    restricted = auction.restricted_to_org_ids
    return rules.AuctionState(
        status=rules.Phase(auction.status.value),
        starting_price=auction.starting_price_minor,
        increment=auction.increment_minor,
        starts_at=as_utc(auction.starts_at),
        ends_at=as_utc(auction.ends_at),
        seller_org_id=auction.seller_org_id,
        current_price=auction.current_price_minor,
        leader_org_id=auction.leader_org_id,
        bid_count=auction.bid_count,
        reserve_price=auction.reserve_price_minor,
        restricted_to=frozenset(restricted) if restricted is not None else None,
        currency=auction.currency,
        extension_window=settings.extension_window,
        extension=settings.extension,
    )


def get_auction(auction_id: int) -> Auction:
    """An auction by id, or NotFound (auctions and their results are public)."""
    return get_row(Auction, auction_id, N_("No such auction."))


def may_see_unpublished(actor: User | None, auction: Auction) -> bool:
    """The seller and reviewers see a draft or refused announcement; nobody else does."""
    if actor is None or not actor.is_authenticated:
        return False
    return bool(actor.can_review) or actor.acting_org_id == auction.seller_org_id


def visible_auction(actor: User | None, auction_id: int) -> Auction:
    """An auction the actor may see, or NotFound (an unpublished one stays hidden)."""
    auction = get_auction(auction_id)
    if auction.status in UNPUBLISHED_STATUSES and not may_see_unpublished(actor, auction):
        raise NotFound(N_("No such auction."))
    return auction


def deposit_amount_of(auction: Auction) -> int:
    """The deposit a bidder lodges for this auction."""
    return term_rules.deposit_amount(auction.starting_price_minor, auction.deposit_bps)


def deposit_for(actor: User | None, auction: Auction) -> Deposit | None:
    """The actor's organisation's deposit in this auction, if any."""
    org_id = actor.acting_org_id if actor is not None and actor.is_authenticated else None
    return deposits.deposit_of(CONTEXT, auction.id, org_id)


def list_auctions(kind: str, *, now: datetime, limit: int = 100) -> list[Auction]:
    """Running, upcoming or closed (results) auctions, soonest end or newest result first."""
    query = select(Auction)
    if kind == "upcoming":
        query = query.where(Auction.status.in_(OPEN_STATUSES), Auction.starts_at > now)
        query = query.order_by(Auction.starts_at, Auction.id)
    elif kind == "closed":  # with those ended that the job runner is closing
        ended = and_(Auction.status.in_(OPEN_STATUSES), Auction.ends_at <= now)
        query = query.where(or_(Auction.status.in_(RESULT_STATUSES), ended))
        query = query.order_by(Auction.closed_at.desc(), Auction.id.desc())
    else:
        query = query.where(
            Auction.status.in_(OPEN_STATUSES), Auction.starts_at <= now, Auction.ends_at > now
        )
        query = query.order_by(Auction.ends_at, Auction.id)
    return all_of(query.limit(limit))


def auctions_of_listing(listing_id: int) -> list[Auction]:
    """Every auction of a listing, newest first (the listing page links the open one)."""
    return all_of(
        select(Auction).where(Auction.listing_id == listing_id).order_by(Auction.id.desc())
    )


def bid_history(
    auction_id: int, *, limit: int | None = None, before: int | None = None
) -> list[tuple[Bid, Organisation]]:
    """Bids with their bidders, newest first (`limit` of them; with `before`, older than that id)."""
    query = (
        select(Bid, Organisation)
        .join(Organisation, Organisation.id == Bid.bidder_org_id)
        .where(Bid.auction_id == auction_id)
        .order_by(Bid.id.desc())
    )
    if before is not None:
        query = query.where(Bid.id < before)
    if limit is not None:
        query = query.limit(limit)
    return [(bid, org) for bid, org in db.session.execute(query)]


def price_series(auction_id: int) -> list[tuple[datetime, int]]:
    """(time, price) of every bid, oldest first: the chart of the auction room."""
    rows = db.session.execute(
        select(Bid.placed_at, Bid.amount_minor).where(Bid.auction_id == auction_id).order_by(Bid.id)
    )
    return [(as_utc(at), amount) for at, amount in rows]


def auction_version(auction_id: int) -> tuple[str, int, datetime] | None:
    """(status, bid count, end): what the former polling feed read each second (bench/live.py)."""
    row = db.session.execute(
        select(Auction.status, Auction.bid_count, Auction.ends_at).where(Auction.id == auction_id)
    ).first()
    return None if row is None else (row.status.value, row.bid_count, as_utc(row.ends_at))


def org_name(org_id: int | None, locale: str) -> str | None:
    """The display name of an organisation in `locale`, or None."""
    if org_id is None:
        return None
    org = db.session.get(Organisation, org_id)
    return org.display_name(locale) if org else None


def bid_rows(
    auction: Auction,
    viewer: Viewer,
    *,
    locale: str,
    limit: int | None,
    before: int | None = None,
    numbers: Mapping[int, int] | None = None,
) -> list[dict[str, Any]]:
    """The bid history as `viewer` may see it, newest first: bidder numbers (竞买号), "mine",
    and the names only for reviewers and, after the close, the seller. Pass the auction's
    `numbers` (`bidders.numbers_of`) when they were read already."""
    named = bidder_rules.names_visible(viewer, closed=auction.status in RESULT_STATUSES)
    numbers = bidders.numbers_of(auction.id) if numbers is None else numbers
    return [
        {
            "id": bid.id,
            "amount_minor": bid.amount_minor,
            "bidder_number": numbers.get(bid.bidder_org_id),
            "mine": bidder_rules.is_mine(viewer, bid.bidder_org_id),
            "bidder_org_id": bid.bidder_org_id if named else None,
            "bidder_name": org.display_name(locale) if named else None,
            "placed_at": as_utc(bid.placed_at),
            "is_proxy": bid.is_proxy,
        }
        for bid, org in bid_history(auction.id, limit=limit, before=before)
    ]


def snapshot_of(
    auction: Auction,
    *,
    now: datetime,
    locale: str = "zh_CN",
    bids_limit: int = 20,
    settings: AuctionSettings = DEFAULT_SETTINGS,
    viewer: Viewer = bidder_rules.ANONYMOUS,
    numbers: Mapping[int, int] | None = None,
) -> dict[str, Any]:
    """The live feed's view of an auction as it stands, for `viewer` (who sees which names).

    `numbers` are the auction's bidder numbers when the caller read them already (a
    list of auctions reads them all at once, `preload_for_list`).
    `closing.auction_snapshot` closes first. Bidders appear by number; the names of the
    leader and of each bid are given to reviewers, and to the seller after the close;
    the buyer of a sold auction is published by its bidder number.
    """
    state = state_of(auction, settings)
    if auction.status in OPEN_STATUSES:
        phase = "upcoming" if now < state.starts_at else "running"
        if rules.is_due(state, now):
            phase = CLOSING  # ended; the job runner has yet to close it
    else:
        phase = auction.status.value
    listing = listings.get_listing(auction.listing_id)
    named = bidder_rules.names_visible(viewer, closed=auction.status in RESULT_STATUSES)
    leader = auction.leader_org_id
    sold = auction.status == AuctionStatus.CLOSED
    return {
        "id": auction.id,
        "listing_id": auction.listing_id,
        "title": listing.title(locale),
        "restricted": auction.restricted_to_org_ids is not None,
        "deposit_minor": deposit_amount_of(auction),
        "status": phase,
        "currency": auction.currency,
        "starting_price_minor": auction.starting_price_minor,
        "increment_minor": auction.increment_minor,
        "current_price_minor": auction.current_price_minor,
        "minimum_next_bid_minor": rules.minimum_next_bid(state),
        "leader_org_id": leader if named else None,
        "leader_name": org_name(leader, locale) if named else None,
        "leader_number": _number(auction.id, leader, numbers) if leader else None,
        "leader_mine": bidder_rules.is_mine(viewer, leader),
        "bid_count": auction.bid_count,
        "reserve_met": rules.reserve_met(state),
        "starts_at": state.starts_at.isoformat(),
        "ends_at": state.ends_at.isoformat(),
        "extended": state.ends_at > as_utc(auction.original_ends_at),
        "server_time": now.isoformat(),
        "seconds_left": rules.seconds_left(state, now),
        # The buyer of a sold auction, by name to those who may see names, else by number.
        "winner_name": org_name(leader, locale) if sold and named else None,
        "winner_number": _number(auction.id, leader, numbers) if sold and leader else None,
        "winner_mine": sold and bidder_rules.is_mine(viewer, leader),
        "highest_bidder_org_id": highest_bidder_org_id(auction) if named else None,
        "bids": feed_bids(
            bid_rows(auction, viewer, locale=locale, limit=bids_limit, numbers=numbers)
        )
        if bids_limit != 0
        else [],
    }


def feed_bids(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of `bid_rows` as the live feed's snapshot carries them (times as ISO text)."""
    return [{**row, "placed_at": row["placed_at"].isoformat()} for row in rows]


def _number(auction_id: int, org_id: int, numbers: Mapping[int, int] | None) -> int | None:
    if numbers is None:
        return bidders.number_of(auction_id, org_id)
    return numbers.get(org_id)


def preload_for_list(auctions: Sequence[Auction]) -> tuple[dict[int, dict[int, int]], list[Any]]:
    """What the snapshots of `auctions` show, in three statements rather than three per
    auction: their bidder numbers, and their listings and leaders (the rows returned
    must be kept while the snapshots are made: the session holds them weakly)."""
    listing_ids = {auction.listing_id for auction in auctions}
    org_ids = {auction.leader_org_id for auction in auctions} - {None}
    rows: list[Any] = []
    if listing_ids:
        rows += all_of(select(Listing).where(Listing.id.in_(listing_ids)))
    if org_ids:
        rows += all_of(select(Organisation).where(Organisation.id.in_(org_ids)))
    return bidders.numbers_in([auction.id for auction in auctions]), rows


def highest_bidder_org_id(auction: Auction) -> int | None:
    """After a failed auction: the highest bidder, with whom the seller may negotiate."""
    return auction.leader_org_id if auction.status == AuctionStatus.FAILED else None


def my_maximum(actor: User | None, auction: Auction) -> int | None:
    """The actor's organisation's standing maximum (shown only to itself)."""
    org_id = actor.acting_org_id if actor is not None and actor.is_authenticated else None
    if org_id is None:
        return None
    return db.session.scalar(
        select(ProxyBid.max_minor).where(
            ProxyBid.auction_id == auction.id, ProxyBid.bidder_org_id == org_id
        )
    )


def has_bid(auction_id: int, org_id: int) -> bool:
    """Whether the organisation has placed any bid in the auction."""
    return (
        db.session.scalar(
            select(Bid.id).where(Bid.auction_id == auction_id, Bid.bidder_org_id == org_id).limit(1)
        )
        is not None
    )
