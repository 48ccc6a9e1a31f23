"""The bid's read: one statement that loads the auction, the bidder's organisation and
deposit, and the leader's proxy (its writes are in `auctions.store`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Select, Table, and_, bindparam, select

from accounts.models import Organisation, User, VerificationStatus
from auctions import rules
from auctions.models import Auction, Bid, ProxyBid
from auctions.queries import CONTEXT
from auctions.settings import AuctionSettings
from core.audit_models import AuditEntry
from core.clock import as_utc
from core.domain import N_, NotFound
from payments.models import Deposit, DepositStatus

# --- the bid's read ----------------------------------------------------------------------

Execute = Callable[[str, dict[str, Any]], Sequence[Any]]  # plain SQL, parameters → rows
AUCTIONS = cast(Table, Auction.__table__)
BIDS = cast(Table, Bid.__table__)
PROXIES = cast(Table, ProxyBid.__table__)
_DEPOSITS = Deposit.__table__
_USERS = User.__table__
_ORGS = Organisation.__table__
AUDIT = cast(Table, AuditEntry.__table__)


def _standing_query() -> Select[Any]:
    return (
        select(
            AUCTIONS.c.status,
            AUCTIONS.c.starting_price_minor,
            AUCTIONS.c.increment_minor,
            AUCTIONS.c.starts_at,
            AUCTIONS.c.ends_at,
            AUCTIONS.c.seller_org_id,
            AUCTIONS.c.current_price_minor,
            AUCTIONS.c.leader_org_id,
            AUCTIONS.c.bid_count,
            AUCTIONS.c.reserve_price_minor,
            AUCTIONS.c.restricted_to_org_ids,
            AUCTIONS.c.currency,
            AUCTIONS.c.leader_max_minor,
            AUCTIONS.c.leader_max_user_id,
            _USERS.c.active,
            _USERS.c.organisation_id,
            _USERS.c.membership_approved,
            _ORGS.c.status.label("org_status"),
            _DEPOSITS.c.status.label("deposit_status"),
        )
        .select_from(AUCTIONS)
        .outerjoin(_USERS, _USERS.c.id == bindparam("user_id"))
        .outerjoin(_ORGS, _ORGS.c.id == _USERS.c.organisation_id)
        .outerjoin(
            _DEPOSITS,
            and_(
                _DEPOSITS.c.context_type == CONTEXT,
                _DEPOSITS.c.context_id == AUCTIONS.c.id,
                _DEPOSITS.c.org_id == _USERS.c.organisation_id,
            ),
        )
        .where(AUCTIONS.c.id == bindparam("auction_id"))
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
