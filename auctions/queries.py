"""Read models of auctions for the pages and the API: lists, the room, the live snapshot (no writes)."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import BindParameter, Select, and_, bindparam, exists, or_, select

from accounts.models import Organisation, User
from auctions import bidder_rules, bidders, rules, term_rules
from auctions.bidder_rules import Viewer
from auctions.models import Auction, AuctionBidder, AuctionStatus, Bid, ProxyBid
from auctions.settings import DEFAULT_SETTINGS, AuctionSettings
from auctions.state_tag import place_columns
from core.clock import as_utc
from core.domain import N_, NotFound
from core.extensions import db
from core.row_lists import all_of
from core.rows import get_row
from listings import services as listings
from listings.models import Listing, title_in
from payments import deposits
from payments.models import Deposit, DepositStatus

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


def closing_now(auction: Auction, *, now: datetime, settings: AuctionSettings) -> bool:
    """Whether the auction is open but its end has passed (the job runner closes it)."""
    return auction.status in OPEN_STATUSES and rules.is_due(state_of(auction, settings), now)


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


@dataclass(frozen=True)
class CallerPlace:
    """The caller's organisation's place in an auction: its deposit, maximum, bidder
    number, and whether it has bid."""

    deposit_id: int | None
    deposit_status: DepositStatus | None
    max_minor: int | None
    number: int | None
    has_bid: bool


@dataclass(frozen=True)
class AuctionRead:
    """An auction as one statement reads it for a caller (`auction_for`)."""

    auction: Auction
    title: str  # its listing's, in the reader's language
    place: CallerPlace | None  # None: the caller acts for no organisation
    numbers: dict[int, int]  # the bidder numbers of the leader and of the caller's organisation


def auction_for(actor: User | None, auction_id: int, *, locale: str) -> AuctionRead:
    """The auction the actor may see (else NotFound, as `visible_auction`), its listing's
    title, the bidder numbers of its leader and of the actor's organisation, and the
    organisation's place in it: one statement, where reading them one by one took six."""
    org_id = actor.acting_org_id if actor is not None and actor.is_authenticated else None
    row = db.session.execute(_AUCTION_FOR, {"auction_id": auction_id, "org_id": org_id}).first()
    if row is None:
        raise NotFound(N_("No such auction."))
    auction = row[0]
    if auction.status in UNPUBLISHED_STATUSES and not may_see_unpublished(actor, auction):
        raise NotFound(N_("No such auction."))
    deposit_id, deposit_status, max_minor, number, _org_status, has_bid, leader_number = row[3:]
    numbers = {
        org: found
        for org, found in ((auction.leader_org_id, leader_number), (org_id, number))
        if org is not None and found is not None
    }
    place = None
    if org_id is not None:
        place = CallerPlace(deposit_id, deposit_status, max_minor, number, bool(has_bid))
    return AuctionRead(auction, title_in(locale, row[1], row[2]), place, numbers)


def _auction_for_query() -> Select[Any]:
    org_id: BindParameter[int] = bindparam("org_id")
    has_bid = exists().where(Bid.auction_id == Auction.id, Bid.bidder_org_id == org_id)
    leader_number = (
        select(AuctionBidder.number)
        .where(
            AuctionBidder.auction_id == Auction.id,
            AuctionBidder.org_id == Auction.leader_org_id,
        )
        .scalar_subquery()
    )
    return (
        select(Auction, Listing.title_zh, Listing.title_en)
        .add_columns(*place_columns(), has_bid, leader_number)
        .join(Listing, Listing.id == Auction.listing_id)
        .where(Auction.id == bindparam("auction_id"))
    )


_AUCTION_FOR = _auction_for_query()  # built once: a poll only binds its parameters


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
) -> list[dict[str, Any]]:
    """The bid history as `viewer` may see it, newest first (`limit` bids; with `before`,
    older than that id): bidder numbers (竞买号), "mine", and the names only for reviewers
    and, after the close, the seller. One statement: the bids' columns with their
    bidders' numbers (and, when named, their organisations)."""
    named = bidder_rules.names_visible(viewer, closed=auction.status in RESULT_STATUSES)
    query = _bids_statement(named, limit)
    if before is not None:
        query = query.where(Bid.id < before)
    rows = db.session.execute(query, {"auction_id": auction.id}).all()
    return [
        {
            "id": row[0],
            "amount_minor": row[1],
            "bidder_number": row[5],
            "mine": bidder_rules.is_mine(viewer, row[2]),
            "bidder_org_id": row[2] if named else None,
            "bidder_name": row[6].display_name(locale) if named else None,
            "placed_at": as_utc(row[3]),
            "is_proxy": row[4],
        }
        for row in rows
    ]


def _bids_query() -> Select[Any]:
    number = and_(
        AuctionBidder.auction_id == Bid.auction_id, AuctionBidder.org_id == Bid.bidder_org_id
    )
    query = (
        select(
            Bid.id, Bid.amount_minor, Bid.bidder_org_id, Bid.placed_at, Bid.is_proxy,
            AuctionBidder.number,
        )
        .outerjoin(AuctionBidder, number)
        .where(Bid.auction_id == bindparam("auction_id"))
        .order_by(Bid.id.desc())
    )  # fmt: skip
    return cast(Select[Any], query)


_BIDS = _bids_query()
_NAMED_BIDS = _BIDS.add_columns(Organisation).join(
    Organisation, Organisation.id == Bid.bidder_org_id
)


@functools.cache
def _bids_statement(named: bool, limit: int | None) -> Select[Any]:
    """The bids' statement, built once per kind and limit (a poll of the auction reads its
    last 20 bids: building the statement and its cache key cost more than running it)."""
    query = _NAMED_BIDS if named else _BIDS
    return query if limit is None else query.limit(limit)


def snapshot_of(
    auction: Auction,
    *,
    now: datetime,
    locale: str = "zh_CN",
    bids_limit: int = 20,
    settings: AuctionSettings = DEFAULT_SETTINGS,
    viewer: Viewer = bidder_rules.ANONYMOUS,
    numbers: Mapping[int, int] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """The live feed's view of an auction as it stands, for `viewer` (who sees which names).

    `numbers` are the auction's bidder numbers when the caller read them already (a
    list of auctions reads them all at once, `preload_for_list`; those of its leader
    at least), `title` its listing's title likewise (`auction_for`).
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
    if title is None:
        title = listings.get_listing(auction.listing_id).title(locale)
    named = bidder_rules.names_visible(viewer, closed=auction.status in RESULT_STATUSES)
    leader = auction.leader_org_id
    sold = auction.status == AuctionStatus.CLOSED
    return {
        "id": auction.id,
        "listing_id": auction.listing_id,
        "title": title,
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
        "bids": feed_bids(bid_rows(auction, viewer, locale=locale, limit=bids_limit))
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
