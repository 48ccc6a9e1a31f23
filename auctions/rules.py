"""Pure rules of English ascending auctions (拍卖): bids, proxies, anti-sniping, outcome.

Everything here is a function of small frozen dataclasses and plain integers in
minor units (分); `now` comes in as an argument. No Flask, no database, no clock.

The terms a seller sets (prices, deposit rate, duration) are checked in
`auctions.term_rules`.

The price grid: every valid price is ``starting_price + k × increment`` (k ≥ 0).
The first bid may be the starting price; every later bid is a whole number of
increments above the current price, so all bids of an auction lie on that grid.

Proxy bidding keeps one invariant that makes resolution a two-party affair:
after every resolution, no bidder other than the leader holds a maximum above
the current price (a higher maximum would have bid). So a new bid only ever
contests the leader's maximum, and `resolve_proxies` is O(1) however far apart
the maxima are: it writes the decisive bids, not every increment in between.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from core.domain import N_, DomainError, PermissionDenied
from core.money import Money, format_money

EXTENSION_WINDOW = timedelta(minutes=5)  # a bid this close to the end ...
EXTENSION = timedelta(minutes=5)  # ... moves the end to this long after the bid


class Phase(enum.StrEnum):
    """An auction's stored status (auctions.models.AuctionStatus): pending_review →
    scheduled → running → closed (sold) / failed; or refused, cancelled.

    A new auction is a draft announcement (拍卖公告) a reviewer approves (scheduled:
    published, bidding to start) or refuses (back to the seller with the reason).
    """

    PENDING_REVIEW = "pending_review"
    REFUSED = "refused"
    SCHEDULED = "scheduled"
    RUNNING = "running"
    CLOSED = "closed"
    FAILED = "failed"
    CANCELLED = "cancelled"


OPEN_PHASES = frozenset({Phase.SCHEDULED, Phase.RUNNING})


class Outcome(enum.StrEnum):
    """How an auction ended."""

    SOLD = "sold"
    NO_BIDS = "no_bids"
    RESERVE_NOT_MET = "reserve_not_met"


# --- errors ------------------------------------------------------------------------------


class BidRejected(DomainError):
    """A bid that the rules refuse; nothing is written."""

    code = "bid_rejected"


class AuctionNotRunning(BidRejected):
    """The auction has not started, or has ended."""

    code = "auction_not_running"


class BidBelowMinimum(BidRejected):
    """Below the starting price or less than one increment above the current price."""

    code = "bid_below_increment"

    def __init__(
        self,
        message: str,
        *,
        minimum_minor: int,
        currency: str,
        code: str | None = None,
        field: str = "amount",
    ) -> None:
        super().__init__(
            message, code=code, field=field, minimum=format_money(Money(minimum_minor, currency))
        )
        self.minimum_minor = minimum_minor


class SellerCannotBid(PermissionDenied):
    """The seller may not bid on its own auction."""

    code = "seller_cannot_bid"


class NotAParty(PermissionDenied):
    """The auction is restricted to the parties of a listed sale."""

    code = "not_a_party"


# --- state -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuctionState:
    """What the rules need to know about one auction (amounts in minor units)."""

    status: Phase
    starting_price: int
    increment: int
    starts_at: datetime
    ends_at: datetime
    seller_org_id: int
    current_price: int | None = None
    leader_org_id: int | None = None
    bid_count: int = 0
    reserve_price: int | None = None
    restricted_to: frozenset[int] | None = None
    currency: str = "CNY"
    extension_window: timedelta = EXTENSION_WINDOW
    extension: timedelta = EXTENSION


@dataclass(frozen=True)
class PlacedBid:
    """One bid the system writes: the bidder's own (is_proxy False) or one placed for a maximum."""

    bidder_org_id: int
    amount: int
    is_proxy: bool


@dataclass(frozen=True)
class Resolution:
    """The bids written for one submission, in order, and where the auction stands after."""

    bids: tuple[PlacedBid, ...]
    leader_org_id: int
    price: int
    ends_at: datetime


@dataclass(frozen=True)
class CloseResult:
    """The outcome of a closed auction; `highest_bidder_org_id` also when it failed."""

    outcome: Outcome
    winner_org_id: int | None
    price: int | None
    highest_bidder_org_id: int | None

    @property
    def sold(self) -> bool:
        """True when the auction produced a sale."""
        return self.outcome == Outcome.SOLD


# --- phases ------------------------------------------------------------------------------


def is_open(state: AuctionState, now: datetime) -> bool:
    """Bids are taken: started, not ended, not closed."""
    return state.status in OPEN_PHASES and state.starts_at <= now < state.ends_at


def is_due(state: AuctionState, now: datetime) -> bool:
    """Its end has passed but nobody closed it yet."""
    return state.status in OPEN_PHASES and now >= state.ends_at


def seconds_left(state: AuctionState, now: datetime) -> int:
    """Whole seconds until the end (0 once ended), for the countdown."""
    if state.status not in OPEN_PHASES:
        return 0
    return max(0, int((state.ends_at - now).total_seconds()))


# --- bids --------------------------------------------------------------------------------


def minimum_next_bid(state: AuctionState) -> int:
    """The lowest acceptable next bid: the starting price, then one increment above the price."""
    if state.current_price is None:
        return state.starting_price
    return state.current_price + state.increment


def floor_to_grid(state: AuctionState, amount: int) -> int:
    """The highest valid price not above `amount` (a maximum need not lie on the grid)."""
    steps = (amount - state.starting_price) // state.increment
    return state.starting_price + steps * state.increment


def check_bidder(state: AuctionState, bidder_org_id: int, now: datetime) -> None:
    """Refuse a bidder before looking at the amount: closed auction, the seller, not a party."""
    if state.status not in OPEN_PHASES or now >= state.ends_at:
        raise AuctionNotRunning(N_("This auction has ended; no more bids are taken."))
    if now < state.starts_at:
        raise AuctionNotRunning(N_("This auction has not started yet."), code="auction_not_started")
    if bidder_org_id == state.seller_org_id:
        raise SellerCannotBid(N_("The seller cannot bid on its own auction."))
    if state.restricted_to is not None and bidder_org_id not in state.restricted_to:
        raise NotAParty(
            N_("Only the parties who registered intent in the listed sale may bid here.")
        )


def check_bid(
    state: AuctionState,
    amount: int,
    bidder_org_id: int,
    now: datetime,
    *,
    max_amount: int | None = None,
) -> None:
    """Raise a BidRejected (or PermissionDenied) unless `amount` is a valid next bid at `now`.

    With a maximum, a stale amount (someone bid in between) is not an error: the
    system bids the minimum for the bidder, up to the maximum (see `effective_amount`).
    """
    check_bidder(state, bidder_org_id, now)
    if state.leader_org_id == bidder_org_id:
        if max_amount is None:
            raise BidRejected(
                N_("You already hold the highest bid. You may raise your maximum instead."),
                code="already_leading",
            )
        return  # the leader only raises its maximum: see check_raise_max
    check_amount(state, amount, max_amount=max_amount)


def check_amount(state: AuctionState, amount: int, *, max_amount: int | None = None) -> None:
    """Refuse an amount (and maximum) below the next acceptable bid or off the increment grid.

    Prices only rise, so a refusal against an older reading of the auction stands:
    the services use that to refuse stale bids before taking the row lock.
    """
    minimum = minimum_next_bid(state)
    if max_amount is not None:
        if max_amount < amount:
            raise BidRejected(
                N_("Your maximum cannot be below your bid."), code="max_below_bid", field="max"
            )
        if max_amount < minimum:
            raise BidBelowMinimum(
                N_("Your maximum is below the next acceptable bid of %(minimum)s."),
                minimum_minor=minimum,
                currency=state.currency,
                code="max_below_minimum",
                field="max",
            )
        if amount < minimum:
            return  # stale: the system bids the minimum for the bidder
    elif amount < minimum:
        if state.current_price is None:
            raise BidBelowMinimum(
                N_("The first bid must be at least the starting price of %(minimum)s."),
                minimum_minor=minimum,
                currency=state.currency,
                code="bid_below_starting_price",
            )
        raise BidBelowMinimum(
            N_("A bid must be at least one increment above the current price: %(minimum)s."),
            minimum_minor=minimum,
            currency=state.currency,
        )
    if (amount - state.starting_price) % state.increment:
        raise BidRejected(
            N_("A bid must be a whole number of increments (%(increment)s) above the price."),
            code="not_whole_increment",
            field="amount",
            increment=format_money(Money(state.increment, state.currency)),
        )


def effective_amount(state: AuctionState, amount: int, max_amount: int | None) -> int:
    """The amount actually bid: the bidder's, lifted to the minimum when a maximum allows it."""
    minimum = minimum_next_bid(state)
    if max_amount is not None and amount < minimum:
        return minimum
    return amount


def extended_end(state: AuctionState, now: datetime) -> datetime:
    """Anti-sniping: a bid in the last minutes moves the end to `extension` after the bid."""
    if now >= state.ends_at - state.extension_window:
        return max(state.ends_at, now + state.extension)
    return state.ends_at


def resolve_proxies(
    state: AuctionState,
    *,
    bidder_org_id: int,
    amount: int,
    max_amount: int | None,
    maxima: Mapping[int, int],
    now: datetime,
) -> Resolution:
    """The bids the system writes for one accepted submission, and the new price and leader.

    `amount` has passed `check_bid`; `max_amount` is the bidder's maximum (None: the
    amount is the maximum); `maxima` are the standing maxima by organisation. By the
    module's invariant only the leader's can exceed the price. The leader is the
    highest maximum, ties going to the earlier one (the leader's); nobody is ever
    bid above their maximum; the price is the lowest that beats the runner-up.
    """
    if max_amount is None and state.leader_org_id == bidder_org_id:
        raise BidRejected(N_("You already hold the highest bid."), code="already_leading")
    amount = effective_amount(state, amount, max_amount)
    new_max = floor_to_grid(state, max_amount) if max_amount is not None else amount
    ends_at = extended_end(state, now)
    leader = state.leader_org_id
    if leader is None or state.current_price is None:
        return Resolution(
            (PlacedBid(bidder_org_id, amount, False),), bidder_org_id, amount, ends_at
        )
    if leader == bidder_org_id:  # the leader raises its maximum: nothing is bid
        return Resolution((), leader, state.current_price, state.ends_at)
    leader_max = max(state.current_price, floor_to_grid(state, maxima.get(leader, 0)))
    bids: list[PlacedBid] = []
    if new_max > leader_max:  # the newcomer takes the lead
        if leader_max < amount:
            bids.append(PlacedBid(bidder_org_id, amount, False))
            price = amount
        elif leader_max == amount:  # a tie at the amount goes to the earlier maximum
            price = amount + state.increment
            bids += [PlacedBid(leader, amount, True), PlacedBid(bidder_org_id, price, True)]
        else:
            price = leader_max + state.increment
            bids += [
                PlacedBid(bidder_org_id, amount, False),
                PlacedBid(leader, leader_max, True),
                PlacedBid(bidder_org_id, price, True),
            ]
        return Resolution(tuple(bids), bidder_org_id, price, ends_at)
    # The leader's maximum holds: the newcomer bids up to its maximum and is outbid.
    if new_max < leader_max:
        if amount < new_max:
            bids.append(PlacedBid(bidder_org_id, amount, False))
        bids.append(PlacedBid(bidder_org_id, new_max, amount < new_max))
        price = new_max + state.increment
        bids.append(PlacedBid(leader, price, True))
    else:  # equal maxima: the earlier (the leader's) holds the amount itself
        if amount < new_max:
            bids.append(PlacedBid(bidder_org_id, amount, False))
        price = new_max
        bids.append(PlacedBid(leader, price, True))
    return Resolution(tuple(bids), leader, price, ends_at)


def apply(state: AuctionState, resolution: Resolution) -> AuctionState:
    """The state after a resolution (used by the services' mirror and by the property tests)."""
    return replace(
        state,
        status=Phase.RUNNING,
        current_price=resolution.price,
        leader_org_id=resolution.leader_org_id,
        bid_count=state.bid_count + len(resolution.bids),
        ends_at=resolution.ends_at,
    )


def check_raise_max(state: AuctionState, bidder_org_id: int, max_amount: int, current: int) -> None:
    """The leader may raise, never lower, its maximum (and never below the price)."""
    if max_amount <= max(current, state.current_price or 0):
        raise BidRejected(
            N_("Your new maximum must be higher than your current one."),
            code="max_not_raised",
            field="max",
        )


# --- closing -----------------------------------------------------------------------------


def close_outcome(state: AuctionState) -> CloseResult:
    """Sold to the leader at the price, or failed: no bids, or the hidden reserve not met."""
    if state.current_price is None or state.leader_org_id is None:
        return CloseResult(Outcome.NO_BIDS, None, None, None)
    if state.reserve_price is not None and state.current_price < state.reserve_price:
        return CloseResult(Outcome.RESERVE_NOT_MET, None, None, state.leader_org_id)
    return CloseResult(Outcome.SOLD, state.leader_org_id, state.current_price, state.leader_org_id)


def reserve_met(state: AuctionState) -> bool | None:
    """Whether the hidden reserve is met (None when there is none); never the amount itself."""
    if state.reserve_price is None:
        return None
    return state.current_price is not None and state.current_price >= state.reserve_price
