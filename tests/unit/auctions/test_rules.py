"""The auction rules, without a database: examples and properties (hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auctions import rules, term_rules
from auctions.rules import AuctionState, Outcome, Phase
from core.domain import DomainError, PermissionDenied

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
SELLER = 1
START = 1_000_000  # ¥10,000.00
INC = 50_000  # ¥500.00


def auction(**overrides: object) -> AuctionState:
    values: dict[str, object] = {
        "status": Phase.RUNNING,
        "starting_price": START,
        "increment": INC,
        "starts_at": T0,
        "ends_at": T0 + timedelta(hours=24),
        "seller_org_id": SELLER,
    }
    values.update(overrides)
    return AuctionState(**values)  # type: ignore[arg-type]


def submit(
    state: AuctionState,
    org: int,
    amount: int,
    max_amount: int | None = None,
    maxima: dict[int, int] | None = None,
    now: datetime = T0 + timedelta(hours=1),
) -> tuple[AuctionState, rules.Resolution]:
    rules.check_bid(state, amount, org, now, max_amount=max_amount)
    resolution = rules.resolve_proxies(
        state,
        bidder_org_id=org,
        amount=amount,
        max_amount=max_amount,
        maxima=maxima or {},
        now=now,
    )
    return rules.apply(state, resolution), resolution


# --- examples ------------------------------------------------------------------------------


def test_first_bid_may_be_the_starting_price() -> None:
    state, resolution = submit(auction(), 2, START)
    assert (state.current_price, state.leader_org_id, resolution.bids[0].is_proxy) == (
        START,
        2,
        False,
    )


def test_first_bid_below_the_starting_price_is_refused() -> None:
    with pytest.raises(rules.BidBelowMinimum) as caught:
        rules.check_bid(auction(), START - INC, 2, T0)
    assert caught.value.code == "bid_below_starting_price"
    assert caught.value.minimum_minor == START
    assert "¥10,000.00" in str(caught.value)


def test_bid_below_the_increment_is_refused_with_the_minimum() -> None:
    state = auction(current_price=START, leader_org_id=2)
    with pytest.raises(rules.BidBelowMinimum) as caught:
        rules.check_bid(state, START + INC - 1, 3, T0)
    assert caught.value.code == "bid_below_increment"
    assert caught.value.field == "amount"
    assert caught.value.minimum_minor == START + INC


def test_bid_must_be_a_whole_number_of_increments() -> None:
    state = auction(current_price=START, leader_org_id=2)
    with pytest.raises(DomainError) as caught:
        rules.check_bid(state, START + INC + 1, 3, T0)
    assert caught.value.code == "not_whole_increment"
    rules.check_bid(state, START + 3 * INC, 3, T0)  # a jump of three increments is fine


def test_seller_cannot_bid() -> None:
    with pytest.raises(PermissionDenied) as caught:
        rules.check_bid(auction(), START, SELLER, T0)
    assert caught.value.code == "seller_cannot_bid"


def test_only_parties_of_a_restricted_auction_may_bid() -> None:
    state = auction(restricted_to=frozenset({2, 3}))
    rules.check_bid(state, START, 2, T0)
    with pytest.raises(PermissionDenied) as caught:
        rules.check_bid(state, START, 4, T0)
    assert caught.value.code == "not_a_party"


@pytest.mark.parametrize(
    ("state", "now", "code"),
    [
        (auction(), T0 - timedelta(seconds=1), "auction_not_started"),
        (auction(), T0 + timedelta(hours=24), "auction_not_running"),
        (auction(status=Phase.CLOSED), T0 + timedelta(hours=1), "auction_not_running"),
        (auction(status=Phase.FAILED), T0 + timedelta(hours=1), "auction_not_running"),
    ],
)
def test_no_bid_outside_the_bidding_time(state: AuctionState, now: datetime, code: str) -> None:
    with pytest.raises(rules.AuctionNotRunning) as caught:
        rules.check_bid(state, START, 2, now)
    assert caught.value.code == code


def test_the_leader_cannot_bid_against_itself_but_may_raise_its_maximum() -> None:
    state = auction(current_price=START, leader_org_id=2)
    with pytest.raises(DomainError) as caught:
        rules.check_bid(state, START + INC, 2, T0)
    assert caught.value.code == "already_leading"
    rules.check_bid(state, START + INC, 2, T0, max_amount=START + 10 * INC)
    with pytest.raises(DomainError) as raised:
        rules.check_raise_max(state, 2, START + 2 * INC, START + 5 * INC)
    assert raised.value.code == "max_not_raised"


def test_bid_in_last_five_minutes_extends_auction() -> None:
    state = auction()
    sniping = state.ends_at - timedelta(seconds=10)
    new_state, resolution = submit(state, 2, START, now=sniping)
    assert resolution.ends_at == sniping + timedelta(minutes=5)
    assert new_state.ends_at == sniping + timedelta(minutes=5)


def test_bid_before_the_last_five_minutes_keeps_the_end() -> None:
    state = auction()
    early = state.ends_at - timedelta(minutes=5, seconds=1)
    assert submit(state, 2, START, now=early)[0].ends_at == state.ends_at


def test_extension_is_configurable() -> None:
    state = auction(extension=timedelta(minutes=2), extension_window=timedelta(minutes=1))
    at = state.ends_at - timedelta(seconds=30)
    assert rules.extended_end(state, at) == at + timedelta(minutes=2)
    assert rules.extended_end(state, state.ends_at - timedelta(seconds=61)) == state.ends_at


def test_proxy_defends_the_lead_up_to_its_maximum() -> None:
    state, _ = submit(auction(), 2, START, max_amount=START + 10 * INC)
    state, resolution = submit(state, 3, START + 2 * INC, maxima={2: START + 10 * INC})
    assert [(b.bidder_org_id, b.amount, b.is_proxy) for b in resolution.bids] == [
        (3, START + 2 * INC, False),
        (2, START + 3 * INC, True),
    ]
    assert (state.leader_org_id, state.current_price) == (2, START + 3 * INC)


def test_higher_maximum_takes_the_lead_one_increment_above_the_other() -> None:
    state, _ = submit(auction(), 2, START, max_amount=START + 4 * INC)
    state, resolution = submit(
        state, 3, START + INC, max_amount=START + 9 * INC, maxima={2: START + 4 * INC}
    )
    assert [(b.bidder_org_id, b.amount) for b in resolution.bids] == [
        (3, START + INC),
        (2, START + 4 * INC),
        (3, START + 5 * INC),
    ]
    assert (state.leader_org_id, state.current_price) == (3, START + 5 * INC)


def test_equal_maxima_go_to_the_earlier_one() -> None:
    top = START + 6 * INC
    state, _ = submit(auction(), 2, START, max_amount=top)
    state, resolution = submit(state, 3, START + INC, max_amount=top, maxima={2: top})
    assert (state.leader_org_id, state.current_price) == (2, top)
    assert resolution.bids[-1] == rules.PlacedBid(2, top, True)


def test_stale_amount_with_a_maximum_bids_the_minimum() -> None:
    state = auction(current_price=START + 4 * INC, leader_org_id=2)
    state, resolution = submit(state, 3, START + INC, max_amount=START + 20 * INC)
    assert resolution.bids == (rules.PlacedBid(3, START + 5 * INC, False),)


def test_maximum_below_the_next_bid_is_refused() -> None:
    state = auction(current_price=START + 4 * INC, leader_org_id=2)
    with pytest.raises(rules.BidBelowMinimum) as caught:
        rules.check_bid(state, START + INC, 3, T0, max_amount=START + 4 * INC)
    assert (caught.value.code, caught.value.field) == ("max_below_minimum", "max")


def test_deposit_is_between_five_and_twenty_percent() -> None:
    assert term_rules.deposit_amount(1_000_000, 1000) == 100_000
    assert term_rules.deposit_amount(333, 500) == 17  # 16.65 half-up
    for bps in (499, 2001, 0):
        with pytest.raises(DomainError) as caught:
            term_rules.deposit_amount(1_000_000, bps)
        assert caught.value.code == "deposit_rate_out_of_range"


def test_bidding_lasts_at_least_24_hours() -> None:
    terms = {
        "starting_price": START,
        "increment": INC,
        "reserve_price": None,
        "starts_at": T0,
        "deposit_bps": 1000,
        "now": T0,
    }
    term_rules.check_terms(ends_at=T0 + timedelta(hours=24), **terms)  # type: ignore[arg-type]
    with pytest.raises(DomainError) as caught:
        term_rules.check_terms(ends_at=T0 + timedelta(hours=23, minutes=59), **terms)  # type: ignore[arg-type]
    assert caught.value.code == "auction_too_short"


def test_reserve_below_start_and_past_start_are_refused() -> None:
    with pytest.raises(DomainError):
        term_rules.check_terms(
            starting_price=START,
            increment=INC,
            reserve_price=START - 1,
            starts_at=T0,
            ends_at=T0 + timedelta(days=2),
            deposit_bps=1000,
            now=T0,
        )
    with pytest.raises(DomainError) as caught:
        term_rules.check_terms(
            starting_price=START,
            increment=INC,
            reserve_price=None,
            starts_at=T0 - timedelta(hours=1),
            ends_at=T0 + timedelta(days=2),
            deposit_bps=1000,
            now=T0,
        )
    assert caught.value.code == "starts_in_past"


def test_close_outcomes() -> None:
    assert rules.close_outcome(auction()).outcome == Outcome.NO_BIDS
    sold = rules.close_outcome(auction(current_price=START, leader_org_id=2))
    assert (sold.outcome, sold.winner_org_id, sold.price) == (Outcome.SOLD, 2, START)
    failed = rules.close_outcome(
        auction(current_price=START, leader_org_id=2, reserve_price=START + INC)
    )
    assert (failed.outcome, failed.winner_org_id, failed.highest_bidder_org_id) == (
        Outcome.RESERVE_NOT_MET,
        None,
        2,
    )
    met = auction(current_price=START + INC, leader_org_id=2, reserve_price=START + INC)
    assert rules.close_outcome(met).sold and rules.reserve_met(met) is True


def test_default_increment_is_one_percent_in_hundreds_of_yuan() -> None:
    assert term_rules.default_increment(50_000_000) == 500_000  # ¥500k → ¥5,000
    assert term_rules.default_increment(1_000_000) == 10_000  # at least ¥100
    assert term_rules.default_increment(12_345_600) == 130_000  # ¥1,234.56 → ¥1,300


# --- properties ----------------------------------------------------------------------------

# One submission: who, how many increments above the minimum, and an optional maximum
# given as extra increments (None: a plain bid), a few seconds apart.
submissions = st.lists(
    st.tuples(
        st.integers(2, 6),
        st.integers(-2, 4),
        st.one_of(st.none(), st.integers(0, 30)),
        st.integers(0, 600),
    ),
    min_size=1,
    max_size=40,
)
grids = st.tuples(st.integers(1, 10_000_000), st.integers(1, 1_000_000))


def run(
    start: int, inc: int, moves: list[tuple[int, int, int | None, int]]
) -> tuple[AuctionState, list[rules.PlacedBid], dict[int, int], list[tuple[int, int, int]]]:
    """Feed submissions through the rules as the service does; keep what was accepted."""
    state = auction(starting_price=start, increment=inc)
    now = T0 + timedelta(hours=23, minutes=30)
    maxima: dict[int, int] = {}
    written: list[rules.PlacedBid] = []
    accepted: list[tuple[int, int, int]] = []  # (org, effective maximum, order)
    for order, (org, steps, extra, gap) in enumerate(moves):
        now += timedelta(seconds=gap)
        amount = rules.minimum_next_bid(state) + steps * inc
        max_amount = None if extra is None else amount + extra * inc + extra
        try:
            rules.check_bid(state, amount, org, now, max_amount=max_amount)
            if state.leader_org_id == org:
                assert max_amount is not None
                rules.check_raise_max(state, org, max_amount, maxima.get(org, 0))
                maxima[org] = max_amount
                accepted.append((org, max_amount, order))
                continue
            resolution = rules.resolve_proxies(
                state,
                bidder_org_id=org,
                amount=amount,
                max_amount=max_amount,
                maxima={k: v for k, v in maxima.items() if k == state.leader_org_id},
                now=now,
            )
        except DomainError:
            continue
        if max_amount is not None:
            maxima[org] = max_amount
        accepted.append((org, max_amount if max_amount is not None else amount, order))
        for bid in resolution.bids:
            assert bid.amount <= max(maxima.get(bid.bidder_org_id, 0), amount), (
                "nobody is bid above their maximum"
            )
        written.extend(resolution.bids)
        state = rules.apply(state, resolution)
    return state, written, maxima, accepted


@settings(max_examples=300, deadline=None)
@given(grids, submissions)
def test_accepted_bids_strictly_increase_by_whole_increments(
    grid: tuple[int, int], moves: list[tuple[int, int, int | None, int]]
) -> None:
    start, inc = grid
    state, written, _, _ = run(start, inc, moves)
    amounts = [b.amount for b in written]
    assert amounts == sorted(set(amounts)), "strictly increasing, never the same price twice"
    for amount in amounts:
        assert isinstance(amount, int) and not isinstance(amount, bool)
        assert amount >= start and (amount - start) % inc == 0
    if written:
        assert state.current_price == amounts[-1]
        assert state.leader_org_id == written[-1].bidder_org_id
        assert state.bid_count == len(written)


@settings(max_examples=300, deadline=None)
@given(grids, submissions)
def test_proxy_never_bids_above_a_maximum(
    grid: tuple[int, int], moves: list[tuple[int, int, int | None, int]]
) -> None:
    start, inc = grid
    _, written, maxima, accepted = run(start, inc, moves)
    ceiling: dict[int, int] = {}
    for org, maximum, _ in accepted:
        ceiling[org] = max(ceiling.get(org, 0), maximum)
    for bid in written:
        if bid.is_proxy:
            assert bid.amount <= maxima.get(bid.bidder_org_id, 0)
        assert bid.amount <= ceiling[bid.bidder_org_id]


@settings(max_examples=300, deadline=None)
@given(grids, submissions)
def test_winner_is_the_highest_valid_bidder(
    grid: tuple[int, int], moves: list[tuple[int, int, int | None, int]]
) -> None:
    start, inc = grid
    state, written, _, accepted = run(start, inc, moves)
    if not written:
        assert state.leader_org_id is None
        return
    # Each organisation's standing commitment: its latest maximum or plain bid, on the grid.
    best: dict[int, tuple[int, int]] = {}
    for org, maximum, order in accepted:
        floored = rules.floor_to_grid(state, maximum)
        if org not in best or floored > best[org][0]:
            best[org] = (floored, order)
    top = max(value for value, _ in best.values())
    assert best[state.leader_org_id][0] == top, "the leader holds the highest maximum"
    runners = [v for org, (v, _) in best.items() if org != state.leader_org_id]
    if runners:
        # The price is what beats the runner-up, never more than needed nor above the top.
        assert state.current_price is not None and state.current_price <= top
        assert state.current_price >= max(runners)
    outcome = rules.close_outcome(replace(state, status=Phase.RUNNING))
    assert outcome.sold and outcome.winner_org_id == state.leader_org_id


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 299), st.integers(0, 10 * 3600))
def test_a_bid_in_the_last_seconds_extends_the_end(seconds_before_end: int, earlier: int) -> None:
    state = auction()
    at = state.ends_at - timedelta(seconds=seconds_before_end + 1) + timedelta(milliseconds=500)
    new_state, _ = submit(state, 2, START, now=at)
    assert new_state.ends_at == at + timedelta(minutes=5) > state.ends_at
    early = state.ends_at - timedelta(minutes=5, seconds=1 + earlier)
    assert submit(state, 2, START, now=early)[0].ends_at == state.ends_at


@given(st.integers(1, 10**12), st.integers(500, 2000))
def test_deposit_is_integer_and_within_the_band(price: int, bps: int) -> None:
    deposit = term_rules.deposit_amount(price, bps)
    assert isinstance(deposit, int)
    assert price * 5 // 100 <= deposit <= -(-price * 20 // 100)
