"""Persistence of auctions: row locks, the bid's read and write on SQLite and PostgreSQL, audit.

Concurrency. Everything that changes an auction's price or status runs under a
lock of its row, and re-reads the row once it holds the lock:

* PostgreSQL: ``SELECT … FOR UPDATE`` on the auction; the due-auction sweep
  uses ``FOR UPDATE SKIP LOCKED`` so two workers split the work instead of
  queueing on it, and each auction is closed in its own transaction. A bid
  takes the lock with the conditional UPDATE that advances the row (a
  compare-and-set against the row as read; see `PG_ADVANCE` and `auctions.bidding`).
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

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, Engine, Select, Table, and_, bindparam, select

from accounts.models import Organisation, User, VerificationStatus
from auctions import rules
from auctions.models import Auction, AuctionStatus, Bid, ProxyBid
from auctions.queries import CONTEXT
from auctions.settings import AuctionSettings
from core.audit.models import AuditEntry
from core.clock import as_utc
from core.domain import N_, NotFound
from core.extensions import db
from payments.models import Deposit, DepositStatus

Execute = Callable[[str, dict[str, Any]], Sequence[Any]]  # plain SQL, parameters → rows

# --- locking -----------------------------------------------------------------------------


def is_sqlite() -> bool:
    """True when the session's database is SQLite (no row locks: the write lock instead)."""
    return db.session.get_bind().dialect.name == "sqlite"


def lock_auction(auction_id: int) -> Auction:
    """The auction, row-locked and freshly read, for the rest of the transaction.

    SQLite has no row locks: there the caller's unit of work is opened with
    `writer=True`, so it holds the write lock from its first statement.
    """
    auction = db.session.scalar(
        select(Auction)
        .where(Auction.id == auction_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if auction is None:
        raise NotFound(N_("No such auction."))
    return auction


# --- the bid's read ----------------------------------------------------------------------

_AUCTIONS = cast(Table, Auction.__table__)
_BIDS = cast(Table, Bid.__table__)
_PROXIES = cast(Table, ProxyBid.__table__)
_DEPOSITS = Deposit.__table__
_USERS = User.__table__
_ORGS = Organisation.__table__
_AUDIT = cast(Table, AuditEntry.__table__)


def _standing_query() -> Select[Any]:
    return (
        select(
            _AUCTIONS.c.status,
            _AUCTIONS.c.starting_price_minor,
            _AUCTIONS.c.increment_minor,
            _AUCTIONS.c.starts_at,
            _AUCTIONS.c.ends_at,
            _AUCTIONS.c.seller_org_id,
            _AUCTIONS.c.current_price_minor,
            _AUCTIONS.c.leader_org_id,
            _AUCTIONS.c.bid_count,
            _AUCTIONS.c.reserve_price_minor,
            _AUCTIONS.c.restricted_to_org_ids,
            _AUCTIONS.c.currency,
            _AUCTIONS.c.leader_max_minor,
            _AUCTIONS.c.leader_max_user_id,
            _USERS.c.active,
            _USERS.c.organisation_id,
            _USERS.c.membership_approved,
            _ORGS.c.status.label("org_status"),
            _DEPOSITS.c.status.label("deposit_status"),
        )
        .select_from(_AUCTIONS)
        .outerjoin(_USERS, _USERS.c.id == bindparam("user_id"))
        .outerjoin(_ORGS, _ORGS.c.id == _USERS.c.organisation_id)
        .outerjoin(
            _DEPOSITS,
            and_(
                _DEPOSITS.c.context_type == CONTEXT,
                _DEPOSITS.c.context_id == _AUCTIONS.c.id,
                _DEPOSITS.c.org_id == _USERS.c.organisation_id,
            ),
        )
        .where(_AUCTIONS.c.id == bindparam("auction_id"))
    )


_STANDING = _standing_query()  # SQLite (and the column order of _PG_STANDING)


@dataclass(frozen=True)
class Standing:
    """One read: the auction's state and leader's maximum, the bidder's organisation and deposit."""

    state: rules.AuctionState
    leader_max: int | None
    leader_max_user_id: int | None
    org_id: int | None  # the organisation the user acts for (None: none, or inactive)
    org_verified: bool
    deposit_held: bool


# The same read in PostgreSQL's own SQL, run without SQLAlchemy's per-statement work
# (the columns in the order of _STANDING).
_PG_STANDING = """
SELECT a.status, a.starting_price_minor, a.increment_minor, a.starts_at, a.ends_at,
       a.seller_org_id, a.current_price_minor, a.leader_org_id, a.bid_count,
       a.reserve_price_minor, a.restricted_to_org_ids, a.currency, a.leader_max_minor,
       a.leader_max_user_id, u.active, u.organisation_id, u.membership_approved,
       o.status, d.status
FROM auctions a
LEFT JOIN users u ON u.id = %(user_id)s
LEFT JOIN organisations o ON o.id = u.organisation_id
LEFT JOIN deposits d
       ON d.context_type = 'auction' AND d.context_id = a.id AND d.org_id = u.organisation_id
WHERE a.id = %(auction_id)s
"""
_PG_STANDING_LOCKED = _PG_STANDING + "FOR UPDATE OF a\n"


def _standing_of(row: Sequence[Any] | None, settings: AuctionSettings) -> Standing:
    """The standing from a row of _STANDING or _PG_STANDING (statuses as enums or text)."""
    if row is None:
        raise NotFound(N_("No such auction."))
    restricted = row[10]
    state = rules.AuctionState(
        status=rules.Phase(row[0]),
        starting_price=row[1],
        increment=row[2],
        starts_at=as_utc(row[3]),
        ends_at=as_utc(row[4]),
        seller_org_id=row[5],
        current_price=row[6],
        leader_org_id=row[7],
        bid_count=row[8],
        reserve_price=row[9],
        restricted_to=frozenset(restricted) if restricted is not None else None,
        currency=row[11],
        extension_window=settings.extension_window,
        extension=settings.extension,
    )
    acting = bool(row[14]) and bool(row[16])
    return Standing(
        state=state,
        leader_max=row[12],
        leader_max_user_id=row[13],
        org_id=row[15] if acting else None,
        org_verified=row[17] == VerificationStatus.VERIFIED,
        deposit_held=row[18] == DepositStatus.HELD,
    )


def read_standing(
    conn: Connection, auction_id: int, user_id: int, settings: AuctionSettings
) -> Standing:
    """SQLite: the standing of `user_id` in the auction, read through SQLAlchemy."""
    row = conn.execute(_STANDING, {"auction_id": auction_id, "user_id": user_id}).first()
    return _standing_of(row, settings)


def read_standing_postgresql(
    execute: Execute, auction_id: int, user_id: int, settings: AuctionSettings, *, lock: bool
) -> Standing:
    """PostgreSQL: the same read in plain SQL, under `FOR UPDATE` of the auction when `lock`."""
    rows = execute(
        _PG_STANDING_LOCKED if lock else _PG_STANDING,
        {"auction_id": auction_id, "user_id": user_id},
    )
    return _standing_of(rows[0] if rows else None, settings)


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
# the bidder's maximum and the audit entry. Its first row says whether it advanced.
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
    RETURNING id
), placed AS (
    INSERT INTO bids (auction_id, bidder_org_id, user_id, amount_minor, placed_at, is_proxy)
    SELECT advanced.id, b.org_id, b.user_id, b.amount, %(now)s, b.is_proxy
    FROM advanced, unnest(
        %(bid_orgs)s::integer[], %(bid_users)s::integer[],
        %(bid_amounts)s::bigint[], %(bid_proxies)s::boolean[]
    ) WITH ORDINALITY AS b(org_id, user_id, amount, is_proxy, n)
    ORDER BY b.n
    RETURNING id, bidder_org_id, amount_minor, is_proxy
), maximum AS (
    INSERT INTO proxy_bids (auction_id, bidder_org_id, user_id, max_minor, created_at, updated_at)
    SELECT advanced.id, %(org_id)s, %(user_id)s, %(max)s::bigint, %(now)s, %(now)s
    FROM advanced WHERE %(max)s::bigint IS NOT NULL
    ON CONFLICT (auction_id, bidder_org_id) DO UPDATE SET
        max_minor = EXCLUDED.max_minor, user_id = EXCLUDED.user_id,
        updated_at = EXCLUDED.updated_at
), audited AS (
    INSERT INTO audit_entries (at, actor_id, action, object_type, object_id, before, after)
    SELECT %(now)s, %(user_id)s, %(action)s, 'auction', advanced.id,
           %(before)s::json, %(after)s::json
    FROM advanced
)
SELECT placed.id, placed.bidder_org_id, placed.amount_minor, placed.is_proxy
FROM advanced LEFT JOIN placed ON true
ORDER BY placed.id
"""


def advance_postgresql(
    execute: Execute, auction_id: int, org_id: int, user_id: int, advance: Advance, now: datetime
) -> list[tuple[int, int, int, bool]] | None:
    """Write `advance` in one statement; the bids written, or None if the row had changed."""
    state, after = advance.state, advance.after
    rows = execute(
        _PG_ADVANCE,
        {
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
            "bid_orgs": [b[0] for b in advance.bids],
            "bid_users": [b[1] for b in advance.bids],
            "bid_amounts": [b[2] for b in advance.bids],
            "bid_proxies": [b[3] for b in advance.bids],
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
    return [(r[0], r[1], r[2], r[3]) for r in rows if r[0] is not None]


def advance_locked(
    conn: Connection, auction_id: int, org_id: int, user_id: int, advance: Advance, now: datetime
) -> list[tuple[int, int, int, bool]]:
    """Write `advance` statement by statement, under the lock the caller holds (SQLite)."""
    after = advance.after
    conn.execute(
        _AUCTIONS.update()
        .where(_AUCTIONS.c.id == auction_id)
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
    written = []
    for bidder_org_id, bid_user_id, amount, is_proxy in advance.bids:
        result = conn.execute(
            _BIDS.insert().values(
                auction_id=auction_id,
                bidder_org_id=bidder_org_id,
                user_id=bid_user_id,
                amount_minor=amount,
                placed_at=now,
                is_proxy=is_proxy,
            )
        )
        assert result.inserted_primary_key is not None
        written.append((int(result.inserted_primary_key[0]), bidder_org_id, amount, is_proxy))
    if advance.max_minor is not None:
        where = and_(_PROXIES.c.auction_id == auction_id, _PROXIES.c.bidder_org_id == org_id)
        values = {"user_id": user_id, "max_minor": advance.max_minor, "updated_at": now}
        if not conn.execute(_PROXIES.update().where(where).values(**values)).rowcount:
            conn.execute(
                _PROXIES.insert().values(
                    auction_id=auction_id, bidder_org_id=org_id, created_at=now, **values
                )
            )
    conn.execute(
        _AUDIT.insert().values(
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


def may_autocommit() -> bool:
    """True when the bid is the first work of its unit of work (nothing read or written yet).

    Then the bid may be its own transaction (see the module's docstring); inside a
    transaction already begun (a caller's earlier work, a test's) it joins that one.
    """
    session = db.session()
    return (
        isinstance(session.get_bind(), Engine)
        and not session.in_transaction()
        and not (session.new or session.dirty or session.deleted)
    )


@contextmanager
def autocommit_execute() -> Iterator[Execute]:
    """A pooled connection in autocommit: each statement is its own transaction."""
    engine = db.session.get_bind()
    assert isinstance(engine, Engine)
    pooled = engine.raw_connection()
    driver = pooled.driver_connection
    assert driver is not None
    try:
        driver.autocommit = True

        def execute(sql: str, params: dict[str, Any]) -> Sequence[Any]:
            return driver.execute(sql, params).fetchall()

        yield execute
    finally:
        driver.autocommit = False
        pooled.close()


def session_execute() -> Execute:
    """Run plain SQL in the session's transaction (the caller's unit of work commits it)."""
    conn = db.session.connection()

    def execute(sql: str, params: dict[str, Any]) -> Sequence[Any]:
        return conn.exec_driver_sql(sql, params).all()

    return execute
