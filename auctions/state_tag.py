"""The validator of an auction's state as one caller sees it, read in one small statement.

Bidders poll `GET /api/v1/auctions/<id>` while they lead. Building the answer reads the
listing, the bidder numbers, the bids, the caller's deposit and maximum (several
statements and the serialisation); most polls find nothing changed. The tag is a hash
of everything the answer depends on but the clock's own fields (`server_time`,
`seconds_left`: a client counts down from `ends_at`): the auction's row, the listing's
last change, the caller's deposit, maximum, bidder number and organisation's state, the
caller and language, and which of the auction's moments have passed. A poll that
sends it back as If-None-Match gets a 304 after that one statement (on PostgreSQL in
autocommit, plain SQL: one round trip), before the kept answers are even looked at
(`ApiBlueprint.read(tag=...)`). A bid's answer carries the tag as its own write left
the auction: the write returns the same facts (`auctions.store`), so nothing is read
after it. The facts are hashed as plain values (`_canonical`), so a plain PostgreSQL
row and SQLAlchemy's typed one give the same tag.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import Any, cast

from sqlalchemy import BindParameter, Connection, Row, Select, bindparam, select

from accounts.models import Organisation, User
from auctions.models import Auction, AuctionBidder, AuctionStatus, ProxyBid
from core import plain_sql
from core.clock import as_utc
from core.extensions import db
from listings.models import Listing
from payments.models import Deposit

# Drafts and refused announcements are shown to their seller and reviewers only: the full
# path decides who sees them.
_UNPUBLISHED = (AuctionStatus.PENDING_REVIEW, AuctionStatus.REFUSED)


def state_tag(actor: User | None, auction_id: int, *, now: datetime, locale: str) -> str | None:
    """The ETag of the auction's answer for `actor` now; None when the full path must
    decide (no such auction, or one not published)."""
    org_id = actor.acting_org_id if actor is not None and actor.is_authenticated else None
    facts = _read(auction_id, org_id)
    if facts is None or facts[0] in _UNPUBLISHED:
        return None
    return _tag(viewer_of(actor), auction_id, org_id, facts, now=now, locale=locale)


def viewer_of(actor: User | None) -> Viewer:
    """What of the caller the tag depends on: who, and whether a reviewer."""
    if actor is None or not actor.is_authenticated:
        return None
    return (actor.id, bool(actor.can_review))


def tag_after_bid(
    viewer: Viewer,
    auction_id: int,
    org_id: int,
    facts: Sequence[Any],
    *,
    now: datetime,
    locale: str,
) -> str:
    """The ETag `state_tag` gives the bidder while the auction stays as its bid left it.

    `facts`: the auction's facts for the bidder's organisation as the bid's own write left
    them, in the columns of `FACTS` (PostgreSQL: returned by the write; SQLite: read in
    its transaction, `read_facts`), so the answer reads nothing after the write. A bidder
    that sends it back learns of the next change only. (`viewer`: `viewer_of` the
    bidder, taken before the bid's commit expired the user.)
    """
    return _tag(viewer, auction_id, org_id, facts, now=now, locale=locale)


def read_facts(conn: Connection, auction_id: int, org_id: int) -> Row[Any]:
    """The auction's facts for `org_id` (the columns of `FACTS`), read on `conn` (a bid's
    transaction, after its writes)."""
    row = conn.execute(_OF_ORGANISATION, {"auction_id": auction_id, "org_id": org_id}).first()
    assert row is not None  # the bid's own transaction has just written the auction
    return row


Viewer = tuple[int, bool] | None  # the caller's user id and whether it reviews; None: anonymous
# What the tag hashes of the auction and of the caller's organisation's place in it, in
# this order (`_statement`'s columns; a bid's write returns the same, `auctions.store`).
FACTS = (
    "status", "bid_count", "current_price_minor", "leader_org_id", "starts_at", "ends_at",
    "closed_at", "announced_at", "deposit_deadline", "listing_updated_at", "deposit_id",
    "deposit_status", "my_max_minor", "my_number", "org_status",
)  # fmt: skip
_MOMENTS = (FACTS.index("starts_at"), FACTS.index("ends_at"), FACTS.index("deposit_deadline"))


def _read(auction_id: int, org_id: int | None) -> tuple[Any, ...] | None:
    """The facts (`FACTS`; without the organisation's place for an anonymous caller)."""
    params = {"auction_id": auction_id, "org_id": org_id}
    if plain_sql.on_postgresql() and plain_sql.alone():  # a poll: one round trip
        with plain_sql.autocommit_execute() as execute:
            rows = execute(_PG_ANONYMOUS if org_id is None else _PG_OF_ORGANISATION, params)
        return tuple(rows[0]) if rows else None
    row = db.session.execute(_ANONYMOUS if org_id is None else _OF_ORGANISATION, params).first()
    return None if row is None else tuple(row)


def _tag(
    viewer: Viewer,
    auction_id: int,
    org_id: int | None,
    facts: Sequence[Any],
    *,
    now: datetime,
    locale: str,
) -> str:
    passed = tuple(facts[i] is not None and as_utc(facts[i]) <= now for i in _MOMENTS)
    hashed = (auction_id, _canonical(facts), passed, viewer, org_id, str(locale))
    return hashlib.sha256(repr(hashed).encode()).hexdigest()[:32]


def _canonical(facts: Sequence[Any]) -> tuple[Any, ...]:
    """The facts as plain values, the same whoever read them: an enum as its stored value,
    a moment in UTC (SQLAlchemy's row gives enums and aware UTC datetimes; a plain
    PostgreSQL row, text and datetimes in the connection's time zone)."""
    return tuple(
        value.value
        if isinstance(value, Enum)
        else as_utc(value).astimezone(UTC)
        if isinstance(value, datetime)
        else value
        for value in facts
    )


def place_columns() -> list[Any]:
    """Scalar subqueries of the organisation's (`:org_id`) place in the auction (`:auction_id`):
    its deposit's id and status, maximum, bidder number, and the organisation's status."""
    auction_id: BindParameter[int] = bindparam("auction_id")
    org_id: BindParameter[int] = bindparam("org_id")
    deposit = (
        select(Deposit.id, Deposit.status)
        .where(
            Deposit.context_type == "auction",
            Deposit.context_id == auction_id,
            Deposit.org_id == org_id,
        )
        .order_by(Deposit.id.desc())
        .limit(1)
    )
    return [
        deposit.with_only_columns(Deposit.id).scalar_subquery(),
        deposit.with_only_columns(Deposit.status).scalar_subquery(),
        select(ProxyBid.max_minor)
        .where(ProxyBid.auction_id == auction_id, ProxyBid.bidder_org_id == org_id)
        .order_by(ProxyBid.id.desc())
        .limit(1)
        .scalar_subquery(),
        select(AuctionBidder.number)
        .where(AuctionBidder.auction_id == auction_id, AuctionBidder.org_id == org_id)
        .scalar_subquery(),
        select(Organisation.status).where(Organisation.id == org_id).scalar_subquery(),
    ]


def _statement(mine: list[Any]) -> Select[Any]:
    statement = (
        select(
            Auction.status, Auction.bid_count, Auction.current_price_minor,
            Auction.leader_org_id, Auction.starts_at, Auction.ends_at, Auction.closed_at,
            Auction.announced_at, Auction.deposit_deadline, Listing.updated_at, *mine,
        )
        .join(Listing, Listing.id == Auction.listing_id)
        .where(Auction.id == bindparam("auction_id"))
    )  # fmt: skip
    return cast(Select[Any], statement)


# Built once: a poll only binds its parameters (building the statement cost more than
# running it).
_ANONYMOUS = _statement([])
_OF_ORGANISATION = _statement(place_columns())

# The same in PostgreSQL's own SQL, run without SQLAlchemy's per-statement work: the
# auction's facts (`a`: the auction), and its organisation's (%(org_id)s) place in it.
# A bid's write returns them too (auctions.store), its own maximum in place of `my_max`.
PG_AUCTION_FACTS = """a.status, a.bid_count, a.current_price_minor, a.leader_org_id,
       a.starts_at, a.ends_at, a.closed_at, a.announced_at, a.deposit_deadline,
       (SELECT l.updated_at FROM listings l WHERE l.id = a.listing_id)"""
PG_MY_MAX = """(SELECT p.max_minor FROM proxy_bids p
        WHERE p.auction_id = a.id AND p.bidder_org_id = %(org_id)s
        ORDER BY p.id DESC LIMIT 1)"""


def pg_place_facts(my_max: str = PG_MY_MAX) -> str:
    """The organisation's place in the auction `a`: deposit, maximum, number, its status."""
    deposit = """(SELECT d.{} FROM deposits d WHERE d.context_type = 'auction'
        AND d.context_id = a.id AND d.org_id = %(org_id)s ORDER BY d.id DESC LIMIT 1)"""
    return f"""{deposit.format("id")}, {deposit.format("status")}, {my_max},
       (SELECT n.number FROM auction_bidders n
        WHERE n.auction_id = a.id AND n.org_id = %(org_id)s),
       (SELECT o.status FROM organisations o WHERE o.id = %(org_id)s)"""


_PG_ANONYMOUS = f"SELECT {PG_AUCTION_FACTS}\nFROM auctions a WHERE a.id = %(auction_id)s"
_PG_OF_ORGANISATION = (
    f"SELECT {PG_AUCTION_FACTS}, {pg_place_facts()}\nFROM auctions a WHERE a.id = %(auction_id)s"
)
