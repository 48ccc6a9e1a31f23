"""Persistence of auctions: row locks, the bid's read and write on SQLite and PostgreSQL, audit.

Concurrency. Everything that changes an auction's price or status runs under a
lock of its row, and re-reads the row once it holds the lock:

* PostgreSQL: ``SELECT … FOR UPDATE`` on the auction; the due-auction sweep
  uses ``FOR UPDATE SKIP LOCKED`` so two workers split the work instead of
  queueing on it, and each auction is closed in its own transaction. A bid
  takes the lock with the conditional UPDATE that advances the row (a
  compare-and-set against the row as read; see `pg_advance` and `auctions.bidding`).
* SQLite: there are no row locks, and our engine's plain (deferred) ``BEGIN``
  takes the write lock only at the first write. Two transactions that both read
  and then write would collide on the lock upgrade (``SQLITE_BUSY_SNAPSHOT``,
  "database is locked", immediately, whatever the busy timeout). So a locking
  use case runs in a unit of work opened with ``writer=True``, whose *first*
  statement is a write: SQLite then queues it on the busy timeout and
  serialises the writers.

Transactions. Everything here runs in the session's transaction, which the
caller's unit of work commits, except the one place that is its own transaction
by nature: a bid on PostgreSQL made first in its unit of work (`may_autocommit`)
runs its read and its single writing statement on a pooled connection in
autocommit (`autocommit_execute`). That statement writes the auction, the bids,
the maximum and the audit entry at once or not at all, so it is atomic without a
transaction around it; and the row lock lasts for that statement only, never
across a BEGIN/COMMIT round trip, which is what lets a hot auction take the bids
it does (bench/bids.py). The unit of work then has nothing left to commit.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, select

from auctions import rules
from auctions.bid_reads import AUCTIONS, AUDIT, BIDS, PROXIES, Execute
from auctions.models import Auction, AuctionBidder, AuctionStatus
from auctions.state_tag import PG_AUCTION_FACTS, PG_MY_MAX, pg_place_facts
from core import plain_sql
from core.domain import N_
from core.extensions import db
from core.rows import get_row

BIDDERS = cast(Table, AuctionBidder.__table__)

# --- locking -----------------------------------------------------------------------------


def is_sqlite() -> bool:
    """True when the session's database is SQLite (no row locks: the write lock instead)."""
    return db.session.get_bind().dialect.name == "sqlite"


def lock_auction(auction_id: int) -> Auction:
    """The auction, row-locked and freshly read, for the rest of the transaction.

    SQLite has no row locks: there the caller's unit of work is opened with
    `writer=True`, so it holds the write lock from its first statement.
    """
    return get_row(Auction, auction_id, N_("No such auction."), lock=True)


# --- the bid's write ---------------------------------------------------------------------


@dataclass(frozen=True)
class Advance:
    """What one accepted submission writes, decided by the rules on one read."""

    state: rules.AuctionState  # as read: the write applies only if the row is still so
    old_leader_max: int | None
    after: rules.AuctionState
    leader_max: int | None
    leader_max_user_id: int | None
    bids: tuple[tuple[int, int | None, int, bool], ...]  # (org, user, amount, is_proxy)
    max_minor: int | None  # the bidder's maximum to store (proxy_bids)
    audit_action: str
    audit_before: dict[str, Any]
    audit_after: dict[str, Any]


# One statement: advance the auction if its row is as read, then (only then) the bids,
# the bidder's maximum and the audit entry. Its first row says whether it advanced; its
# rows are the bids written, each with its bidder's number (竞买号) for the answer.
#
# One text per shape of submission (how many bids, a maximum or not), each prepared by
# psycopg on its connection: with the bids as VALUES rows and no "is there a maximum"
# test, PostgreSQL's plan for the shape is the same whatever the values, so it plans
# the statement once per connection and keeps the plan (with arrays of bids it planned
# every run anew: over a third of its CPU in bench/http.py's bid race).
_PG_ADVANCE = """
WITH advanced AS (
    UPDATE auctions SET
        status = %(status)s,
        current_price_minor = %(price)s,
        leader_org_id = %(leader_org_id)s,
        leader_max_minor = %(leader_max)s,
        leader_max_user_id = %(leader_max_user_id)s,
        bid_count = %(bid_count)s,
        ends_at = %(ends_at)s
    WHERE id = %(auction_id)s
      AND status = %(old_status)s
      AND bid_count = %(old_bid_count)s
      AND ends_at = %(old_ends_at)s
      AND current_price_minor IS NOT DISTINCT FROM %(old_price)s::bigint
      AND leader_org_id IS NOT DISTINCT FROM %(old_leader_org_id)s::integer
      AND leader_max_minor IS NOT DISTINCT FROM %(old_leader_max)s::bigint
    RETURNING id, status, bid_count, current_price_minor, leader_org_id, starts_at, ends_at,
              closed_at, announced_at, deposit_deadline, listing_id
), placed AS (
{placed}
), maximum AS (
{maximum}
), audited AS (
    INSERT INTO audit_entries (at, actor_id, action, object_type, object_id, before, after)
    SELECT %(now)s, %(user_id)s, %(action)s, 'auction', advanced.id,
           %(before)s::json, %(after)s::json
    FROM advanced
), facts AS (  -- the auction as left, for the bidder (auctions.state_tag.FACTS, in order)
    SELECT {facts}
    FROM advanced a
)
SELECT placed.id, placed.bidder_org_id, placed.amount_minor, placed.is_proxy, numbers.number,
       facts.*
FROM advanced CROSS JOIN facts LEFT JOIN placed ON true
LEFT JOIN auction_bidders numbers
       ON numbers.auction_id = advanced.id AND numbers.org_id = placed.bidder_org_id
ORDER BY placed.id
"""
_PG_PLACED = """    INSERT INTO bids (auction_id, bidder_org_id, user_id, amount_minor, placed_at, is_proxy)
    SELECT advanced.id, b.org_id, b.user_id, b.amount, %(now)s, b.is_proxy
    FROM advanced, (VALUES {rows}) AS b(org_id, user_id, amount, is_proxy, n)
    ORDER BY b.n
    RETURNING id, bidder_org_id, amount_minor, is_proxy"""
_PG_BID_ROW = (
    "(%(bid_org_{n})s::integer, %(bid_user_{n})s::integer, %(bid_amount_{n})s::bigint, "
    "%(bid_proxy_{n})s::boolean, {n})"
)
_PG_NO_BIDS = """    SELECT NULL::integer AS id, NULL::integer AS bidder_org_id, NULL::bigint AS amount_minor,
           NULL::boolean AS is_proxy
    WHERE false"""
_PG_MAXIMUM = """    INSERT INTO proxy_bids (auction_id, bidder_org_id, user_id, max_minor, created_at, updated_at)
    SELECT advanced.id, %(org_id)s, %(user_id)s, %(max)s::bigint, %(now)s, %(now)s
    FROM advanced
    ON CONFLICT (auction_id, bidder_org_id) DO UPDATE SET
        max_minor = EXCLUDED.max_minor, user_id = EXCLUDED.user_id,
        updated_at = EXCLUDED.updated_at
    RETURNING max_minor"""
_PG_NO_MAXIMUM = "    SELECT NULL::bigint AS max_minor WHERE false"
_PG_FACTS = (
    PG_AUCTION_FACTS
    + ",\n       "
    + pg_place_facts(
        # what this statement writes, its own reads do not see: its maximum from `maximum`
        "COALESCE((SELECT max_minor FROM maximum), " + PG_MY_MAX + ")"
    )
)


@functools.cache
def pg_advance(bids: int, with_max: bool) -> str:
    """The advancing statement of a submission writing `bids` bids, and a maximum or not."""
    rows = ", ".join(_PG_BID_ROW.format(n=n) for n in range(bids))
    return _PG_ADVANCE.format(
        placed=_PG_PLACED.format(rows=rows) if bids else _PG_NO_BIDS,
        maximum=_PG_MAXIMUM if with_max else _PG_NO_MAXIMUM,
        facts=_PG_FACTS,
    )


# A bid as written: (id, bidder organisation, amount, is_proxy, bidder number or None).
Written = tuple[int, int, int, bool, int | None]


@dataclass(frozen=True)
class Wrote:
    """What one accepted submission wrote, and the auction as it left it."""

    bids: list[Written]
    facts: tuple[Any, ...]  # for the bidder's organisation: auctions.state_tag.FACTS


def advance_postgresql(
    execute: Execute, auction_id: int, org_id: int, user_id: int, advance: Advance, now: datetime
) -> Wrote | None:
    """Write `advance` in one statement; what it wrote, or None if the row had changed."""
    state, after = advance.state, advance.after
    bid_params = {
        f"bid_{name}_{n}": value
        for n, bid in enumerate(advance.bids)
        for name, value in zip(("org", "user", "amount", "proxy"), bid, strict=True)
    }
    rows = execute(
        pg_advance(len(advance.bids), advance.max_minor is not None),
        bid_params
        | {
            "auction_id": auction_id,
            "status": after.status.value,
            "price": after.current_price,
            "leader_org_id": after.leader_org_id,
            "leader_max": advance.leader_max,
            "leader_max_user_id": advance.leader_max_user_id,
            "bid_count": after.bid_count,
            "ends_at": after.ends_at,
            "old_status": state.status.value,
            "old_bid_count": state.bid_count,
            "old_ends_at": state.ends_at,
            "old_price": state.current_price,
            "old_leader_org_id": state.leader_org_id,
            "old_leader_max": advance.old_leader_max,
            "org_id": org_id,
            "user_id": user_id,
            "max": advance.max_minor,
            "now": now,
            "action": advance.audit_action,
            "before": json.dumps(advance.audit_before),
            "after": json.dumps(advance.audit_after),
        },
    )
    if not rows:
        return None
    bids = [(r[0], r[1], r[2], r[3], r[4]) for r in rows if r[0] is not None]
    return Wrote(bids, tuple(rows[0][5:]))


def advance_locked(
    conn: Connection, auction_id: int, org_id: int, user_id: int, advance: Advance, now: datetime
) -> list[Written]:
    """Write `advance` statement by statement, under the lock the caller holds (SQLite)."""
    after = advance.after
    conn.execute(
        AUCTIONS.update()
        .where(AUCTIONS.c.id == auction_id)
        .values(
            status=AuctionStatus(after.status.value),
            current_price_minor=after.current_price,
            leader_org_id=after.leader_org_id,
            leader_max_minor=advance.leader_max,
            leader_max_user_id=advance.leader_max_user_id,
            bid_count=after.bid_count,
            ends_at=after.ends_at,
        )
    )
    written: list[Written] = []
    numbers = _numbers(conn, auction_id) if advance.bids else {}
    for bidder_org_id, bid_user_id, amount, is_proxy in advance.bids:
        result = conn.execute(
            BIDS.insert().values(
                auction_id=auction_id,
                bidder_org_id=bidder_org_id,
                user_id=bid_user_id,
                amount_minor=amount,
                placed_at=now,
                is_proxy=is_proxy,
            )
        )
        assert result.inserted_primary_key is not None
        bid_id = int(result.inserted_primary_key[0])
        written.append((bid_id, bidder_org_id, amount, is_proxy, numbers.get(bidder_org_id)))
    if advance.max_minor is not None:
        where = and_(PROXIES.c.auction_id == auction_id, PROXIES.c.bidder_org_id == org_id)
        values = {"user_id": user_id, "max_minor": advance.max_minor, "updated_at": now}
        if not conn.execute(PROXIES.update().where(where).values(**values)).rowcount:
            conn.execute(
                PROXIES.insert().values(
                    auction_id=auction_id, bidder_org_id=org_id, created_at=now, **values
                )
            )
    conn.execute(
        AUDIT.insert().values(
            at=now,
            actor_id=user_id,
            action=advance.audit_action,
            object_type="auction",
            object_id=auction_id,
            before=advance.audit_before,
            after=advance.audit_after,
        )
    )
    return written


def _numbers(conn: Connection, auction_id: int) -> dict[int, int]:
    """The auction's bidder numbers by organisation."""
    rows = conn.execute(
        select(BIDDERS.c.org_id, BIDDERS.c.number).where(BIDDERS.c.auction_id == auction_id)
    )
    return {org: number for org, number in rows}


def may_autocommit() -> bool:
    """True when the bid is the first work of its unit of work (nothing read or written yet).

    Then the bid may be its own transaction (see the module's docstring); inside a
    transaction already begun (a caller's earlier work, a test's) it joins that one.
    """
    return plain_sql.alone()


autocommit_execute = plain_sql.autocommit_execute
session_execute = plain_sql.session_execute
