"""The auction room's live feed: what an accepted bid or a close tells every open room.

Once a bid's unit of work has committed (`announce_bid`: an after-commit step, so a
bid that rolled back is never shown), the auction's public state as committed is read
once (the row, its bidder numbers, its last bids) and published on the channel
`auction:<id>` (`core.live`: Redis pub/sub between nodes, else in process; in process,
only when a room of that auction is open here, so a bid nobody watches reads nothing). Every
open room of that auction on every node renders it for its viewer (its own bids are
"mine") without reading the database. Viewers who see names (reviewers) and every
close read the database, once per message. The stream is `auctions.live_room`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from auctions import bidders, rules
from auctions.bidder_rules import Viewer
from auctions.models import Auction, Bid
from auctions.queries import CLOSING, OPEN_STATUSES, state_of
from core import live
from core.clock import as_utc
from core.extensions import db
from core.uow import after_commit

BIDS_SENT = 10  # the newest bids a message carries (the room adds those it lacks)


def channel(auction_id: int) -> str:
    return f"auction:{auction_id}"


def announce_bid(auction_id: int) -> None:
    """Publish the auction's committed state once the current unit of work has committed."""

    def publish() -> None:
        if not live.hub().reaches(channel(auction_id)):
            return  # no open room to tell: no read
        message = public_state(auction_id)
        if message is not None:
            live.publish(channel(auction_id), message)

    after_commit(publish)


def announce_close(auction_id: int) -> None:
    """Tell the open rooms, once the close has committed, to read the result."""
    after_commit(lambda: live.publish(channel(auction_id), {"closed": True}))


def public_state(auction_id: int) -> dict[str, Any] | None:
    """What every room may show of an open auction, with organisation ids for "mine"
    (rendered per viewer by `for_viewer`, never sent as they are)."""
    auction = db.session.get(Auction, auction_id, populate_existing=True)
    if auction is None or auction.status not in OPEN_STATUSES:
        return None
    state = state_of(auction)
    numbers = bidders.numbers_of(auction_id)
    rows = db.session.execute(
        select(Bid.id, Bid.bidder_org_id, Bid.amount_minor, Bid.is_proxy, Bid.placed_at)
        .where(Bid.auction_id == auction_id)
        .order_by(Bid.id.desc())
        .limit(BIDS_SENT)
    )
    leader = auction.leader_org_id
    return {
        "bid_count": auction.bid_count,
        "current_price_minor": auction.current_price_minor,
        "minimum_next_bid_minor": rules.minimum_next_bid(state),
        "leader_org": leader,
        "leader_number": numbers.get(leader) if leader is not None else None,
        "reserve_met": rules.reserve_met(state),
        "starts_at": state.starts_at.isoformat(),
        "ends_at": state.ends_at.isoformat(),
        "extended": state.ends_at > as_utc(auction.original_ends_at),
        "bids": [
            {
                "id": row.id,
                "org": row.bidder_org_id,
                "amount_minor": row.amount_minor,
                "bidder_number": numbers.get(row.bidder_org_id),
                "is_proxy": row.is_proxy,
                "placed_at": as_utc(row.placed_at).isoformat(),
            }
            for row in rows
        ],
    }


def for_viewer(message: dict[str, Any], viewer: Viewer, now: datetime) -> dict[str, Any]:
    """The part of the room's snapshot a bid changed, as `viewer` may see it."""
    starts_at = datetime.fromisoformat(message["starts_at"])
    ends_at = datetime.fromisoformat(message["ends_at"])
    phase = "upcoming" if now < starts_at else ("running" if now < ends_at else CLOSING)
    mine = viewer.org_id
    return {
        "status": phase,
        "bid_count": message["bid_count"],
        "current_price_minor": message["current_price_minor"],
        "minimum_next_bid_minor": message["minimum_next_bid_minor"],
        "leader_number": message["leader_number"],
        "leader_mine": mine is not None and mine == message["leader_org"],
        "leader_name": None,
        "leader_org_id": None,
        "reserve_met": message["reserve_met"],
        "starts_at": message["starts_at"],
        "ends_at": message["ends_at"],
        "extended": message["extended"],
        "server_time": now.isoformat(),
        "seconds_left": max(0, int((ends_at - now).total_seconds())),
        "bids": [
            {
                "id": bid["id"],
                "amount_minor": bid["amount_minor"],
                "bidder_number": bid["bidder_number"],
                "mine": mine is not None and mine == bid["org"],
                "bidder_org_id": None,
                "bidder_name": None,
                "placed_at": bid["placed_at"],
                "is_proxy": bid["is_proxy"],
            }
            for bid in message["bids"]
        ],
    }
