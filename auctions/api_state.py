"""What the auctions API tells a caller beyond the live feed: its place in the auction and what
it may do now (`allowed_actions`), and the bid history paged by cursor.

Reads only. The checks are the services' own (`services.may_take_part`, the room's bid
condition), so a client never guesses and never sees an action the service would refuse
for who it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from accounts.models import User
from auctions import bidders, queries, services
from auctions.bidder_rules import Viewer
from auctions.models import Auction, AuctionStatus
from auctions.views import bidder_label
from core import api_actions, cursor
from payments.models import DepositStatus

BIDS = "bids"  # the cursor kind of a bid history
RECEIPT_TAKEN = (DepositStatus.REQUIRED, DepositStatus.RECEIPT_SUBMITTED)


def standing_of(snapshot: Mapping[str, Any], org_id: int | None, has_bid: bool) -> str | None:
    """The caller's standing: won, leading, outbid, not_bidding; None without an organisation."""
    if org_id is None:
        return None
    if snapshot["winner_mine"]:
        return "won"
    if snapshot["leader_mine"]:
        return "leading"
    return "outbid" if has_bid else "not_bidding"


def _actions(
    actor: User | None,
    auction: Auction,
    snapshot: Mapping[str, Any],
    deposit_status: DepositStatus | None,
    *,
    has_deposit: bool,
    now: datetime,
) -> list[str]:
    """What the caller may do now, by the services' own checks (`core.api_actions`)."""
    pending = auction.status == AuctionStatus.PENDING_REVIEW
    status = deposit_status

    def reviewing(caller: User, _: Auction, __: datetime) -> bool:
        return pending and bool(caller.can_review)

    checks: dict[str, api_actions.Check] = {
        "join": lambda caller, a, at: not has_deposit and services.may_take_part(caller, a, now=at),
        "upload_receipt": lambda caller, a, at: (
            status in RECEIPT_TAKEN and services.may_take_part(caller, a, now=at)
        ),
        # The room's bid form: running, the deposit held (the seller and strangers have none).
        "bid": lambda *_: snapshot["status"] == "running" and status == DepositStatus.HELD,
        "approve_announcement": reviewing,
        "refuse_announcement": reviewing,
        "watch": lambda *_: True,
    }
    return api_actions.allowed_actions(actor, auction, checks, now=now)


def auction_out(
    actor: User | None,
    auction: Auction,
    snapshot: dict[str, Any],
    *,
    now: datetime,
    numbers: Mapping[int, int] | None = None,
    place: queries.CallerPlace | None = None,
) -> dict[str, Any]:
    """The snapshot with the caller's bidder number, deposit, maximum, standing and actions
    (`numbers`: the auction's bidder numbers, when they were read already; `place`: the
    caller's organisation's place, when read with the auction, `queries.auction_for`)."""
    org_id = actor.acting_org_id if actor is not None and actor.is_authenticated else None
    if place is None and org_id is not None:
        place = _place_of(actor, auction, org_id)
    status = None if place is None else place.deposit_status
    has_deposit = place is not None and place.deposit_id is not None
    seller_or_reviewer = queries.may_see_unpublished(actor, auction)
    return {
        **snapshot,
        "announced_at": auction.announced_at.isoformat() if auction.announced_at else None,
        "deposit_deadline": (
            auction.deposit_deadline.isoformat() if auction.deposit_deadline else None
        ),
        "refusal_reason": auction.refusal_reason if seller_or_reviewer else None,
        "my_bidder_number": _my_number(auction.id, org_id, numbers),
        "my_deposit_id": None if place is None else place.deposit_id,
        "my_deposit_status": None if status is None else status.value,
        "my_max_minor": None if place is None else place.max_minor,
        "standing": standing_of(snapshot, org_id, place is not None and place.has_bid),
        "allowed_actions": _actions(
            actor, auction, snapshot, status, has_deposit=has_deposit, now=now
        ),
    }


def _place_of(actor: User | None, auction: Auction, org_id: int) -> queries.CallerPlace:
    """The organisation's place in the auction, read one by one."""
    deposit = queries.deposit_for(actor, auction)
    return queries.CallerPlace(
        deposit_id=None if deposit is None else deposit.id,
        deposit_status=None if deposit is None else deposit.status,
        max_minor=queries.my_maximum(actor, auction),
        number=None,  # (the answer's is `numbers`')
        has_bid=queries.has_bid(auction.id, org_id),
    )


def _my_number(
    auction_id: int, org_id: int | None, numbers: Mapping[int, int] | None
) -> int | None:
    if org_id is None:
        return None
    return bidders.number_of(auction_id, org_id) if numbers is None else numbers.get(org_id)


def bid_page(
    auction: Auction, viewer: Viewer, args: dict[str, Any], *, locale: str
) -> dict[str, Any]:
    """One page of the bid history, newest first, each bidder labelled as the room labels it."""
    page = cursor.page_of(BIDS, args)
    rows = queries.bid_rows(
        auction, viewer, locale=locale, limit=page.limit + 1, before=page.before
    )
    items = [
        {
            **row,
            "label": bidder_label(row["bidder_number"], mine=row["mine"], name=row["bidder_name"]),
        }
        for row in rows[: page.limit]
    ]
    return {
        "items": items,
        "next_cursor": cursor.next_cursor(BIDS, [row["id"] for row in rows], page.limit),
    }
