"""Rules of listed sales, negotiations and public notices: no fixtures, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain import DomainError, PermissionDenied, ValidationFailed
from trading import rules
from trading.rules import (
    IntentView,
    ListedSaleOutcome,
    NegotiationPhase,
    NegotiationState,
    NoticeVerdict,
)

T0 = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
SELLER, BUYER, OTHER = 1, 2, 3


# --- listed sale -----------------------------------------------------------------------


def test_no_intent_means_no_buyer() -> None:
    assert rules.listed_sale_outcome(()) == ListedSaleOutcome.NO_BUYER


def test_one_buyer_buys_at_the_asking_price() -> None:
    assert rules.listed_sale_outcome((BUYER,)) == ListedSaleOutcome.SOLD


def test_two_or_more_buyers_go_to_auction() -> None:
    assert rules.listed_sale_outcome((BUYER, OTHER)) == ListedSaleOutcome.AUCTIONED


def test_only_intents_with_a_held_deposit_count_in_order_of_registration() -> None:
    intents = [
        IntentView(OTHER, T0 + timedelta(hours=2)),
        IntentView(BUYER, T0),
        IntentView(4, T0 + timedelta(hours=1)),  # deposit never paid
        IntentView(5, T0, withdrawn=True),  # withdrew, even with a held deposit
    ]
    assert rules.qualifying_buyers(intents, {BUYER, OTHER, 5}) == (BUYER, OTHER)


@given(
    st.lists(
        st.tuples(st.integers(2, 30), st.booleans(), st.booleans()),
        max_size=20,
        unique_by=lambda t: t[0],
    )
)
def test_outcome_follows_the_number_of_qualifying_buyers(rows) -> None:
    intents = [IntentView(org, T0, withdrawn=withdrawn) for org, withdrawn, _ in rows]
    held = {org for org, _, is_held in rows if is_held}
    buyers = rules.qualifying_buyers(intents, held)
    expected = {org for org, withdrawn, is_held in rows if is_held and not withdrawn}
    assert set(buyers) == expected and len(buyers) == len(expected)
    outcome = rules.listed_sale_outcome(buyers)
    if not expected:
        assert outcome == ListedSaleOutcome.NO_BUYER
    elif len(expected) == 1:
        assert outcome == ListedSaleOutcome.SOLD
    else:
        assert outcome == ListedSaleOutcome.AUCTIONED


def test_default_deposit_is_ten_percent_rounded_half_up() -> None:
    assert rules.default_deposit(50_000_000, 1000) == 5_000_000
    assert rules.default_deposit(5, 1000) == 1  # 0.5 fen rounds up


@pytest.mark.parametrize(
    ("price", "days", "deposit", "field"),
    [
        (0, 20, 0, "asking_price"),
        (100_000, 4, 10_000, "working_days"),
        (100_000, 61, 10_000, "working_days"),
        (100_000, 20, 4_999, "deposit"),
        (100_000, 20, 20_001, "deposit"),
    ],
)
def test_listed_sale_terms_are_checked(price, days, deposit, field) -> None:
    with pytest.raises(ValidationFailed) as error:
        rules.check_listed_sale_terms(price, days, deposit)
    assert error.value.field == field


def test_deposit_bounds_are_inclusive() -> None:
    rules.check_listed_sale_terms(100_000, 20, 5_000)
    rules.check_listed_sale_terms(100_000, 20, 20_000)


def test_deposit_message_names_the_bounds() -> None:
    with pytest.raises(ValidationFailed) as error:
        rules.check_listed_sale_terms(100_000, 20, 1)
    assert "5%" in str(error.value) and "20%" in str(error.value)


def test_the_seller_cannot_buy_its_own_result() -> None:
    with pytest.raises(PermissionDenied) as error:
        rules.check_buyer(
            buyer_org_id=SELLER, seller_org_id=SELLER, verified=True, kind="enterprise"
        )
    assert error.value.code == "seller_cannot_buy"


@pytest.mark.parametrize(
    ("org", "verified", "kind", "code"),
    [
        (None, True, "enterprise", "no_organisation"),
        (BUYER, False, "enterprise", "organisation_not_verified"),
        (BUYER, True, "broker_agency", "not_a_buyer"),
        (BUYER, True, "operator", "not_a_buyer"),
    ],
)
def test_buyers_are_verified_buying_organisations(org, verified, kind, code) -> None:
    with pytest.raises(PermissionDenied) as error:
        rules.check_buyer(buyer_org_id=org, seller_org_id=SELLER, verified=verified, kind=kind)
    assert error.value.code == code


def test_intent_is_refused_once_the_period_has_ended() -> None:
    rules.check_sale_open(True, T0, T0 - timedelta(seconds=1))
    with pytest.raises(DomainError) as error:
        rules.check_sale_open(True, T0, T0)
    assert error.value.code == "sale_closed"
    with pytest.raises(DomainError):
        rules.check_sale_open(False, T0, T0 - timedelta(days=1))


def test_a_sale_is_due_at_the_end_of_its_period() -> None:
    assert not rules.is_due(True, T0, T0 - timedelta(microseconds=1))
    assert rules.is_due(True, T0, T0)
    assert not rules.is_due(False, T0, T0 + timedelta(days=1))


# --- negotiation -----------------------------------------------------------------------


def _state(offer: int | None = None, by: int | None = None, phase=NegotiationPhase.OPEN):
    return NegotiationState(phase, SELLER, BUYER, offer, by)


def test_first_offer_then_counter_offer() -> None:
    assert rules.check_offer(_state(), BUYER, 100) == "offer"
    assert rules.check_offer(_state(100, BUYER), SELLER, 150) == "counter"
    assert rules.check_offer(_state(100, BUYER), BUYER, 110) == "offer"  # improving one's own


def test_only_the_parties_negotiate() -> None:
    with pytest.raises(PermissionDenied):
        rules.check_offer(_state(), OTHER, 100)
    with pytest.raises(PermissionDenied):
        rules.check_accept(_state(100, BUYER), OTHER)


def test_an_offer_must_be_positive() -> None:
    with pytest.raises(ValidationFailed):
        rules.check_offer(_state(), BUYER, 0)


def test_only_the_side_that_did_not_make_the_offer_accepts() -> None:
    assert rules.check_accept(_state(100, BUYER), SELLER) == 100
    assert rules.check_accept(_state(150, SELLER), BUYER) == 150
    with pytest.raises(DomainError) as error:
        rules.check_accept(_state(100, BUYER), BUYER)
    assert error.value.code == "own_offer"


def test_nothing_to_accept_without_an_offer() -> None:
    with pytest.raises(DomainError) as error:
        rules.check_accept(_state(), SELLER)
    assert error.value.code == "no_open_offer"


@pytest.mark.parametrize(
    ("phase", "code"),
    [
        (NegotiationPhase.AGREED, "already_agreed"),
        (NegotiationPhase.CONCLUDED, "already_agreed"),
        (NegotiationPhase.WITHDRAWN, "negotiation_closed"),
        (NegotiationPhase.FALLEN, "negotiation_closed"),
    ],
)
def test_a_negotiation_that_ended_takes_no_offer_accept_or_withdrawal(phase, code) -> None:
    state = _state(100, BUYER, phase)
    for check in (
        lambda: rules.check_offer(state, SELLER, 120),
        lambda: rules.check_accept(state, SELLER),
        lambda: rules.check_withdraw(state, BUYER),
        lambda: rules.check_message(state, BUYER, "hello"),
    ):
        with pytest.raises(DomainError) as error:
            check()
        assert error.value.code == code


@given(st.lists(st.sampled_from([SELLER, BUYER]), min_size=1, max_size=30))
def test_whoever_offered_last_can_never_accept_their_own_offer(turns) -> None:
    state = _state()
    for turn, org in enumerate(turns, start=1):
        rules.check_offer(state, org, turn * 100)
        state = _state(turn * 100, org)
    last = turns[-1]
    other = SELLER if last == BUYER else BUYER
    with pytest.raises(DomainError):
        rules.check_accept(state, last)
    assert rules.check_accept(state, other) == len(turns) * 100


def test_price_formation_in_the_notice_language() -> None:
    formation = rules.PriceFormation(
        "甲大学", "乙公司", (80_000_000, 120_000_000, 100_000_000), 100_000_000
    )
    assert formation.count == 3 and formation.first_minor == 80_000_000
    text = rules.describe_formation(formation)
    assert "甲大学" in text and "乙公司" in text and "3轮" in text
    assert "¥800,000.00" in text and "¥1,000,000.00" in text


# --- public notice ---------------------------------------------------------------------


def test_notice_ends_after_the_publicity_days() -> None:
    assert rules.publicity_ends_at(T0, 15) == T0 + timedelta(days=15)
    assert rules.publicity_ends_at(T0, 30) == T0 + timedelta(days=30)


def test_notice_never_runs_less_than_the_legal_minimum() -> None:
    with pytest.raises(ValidationFailed):
        rules.publicity_ends_at(T0, 14)


END = T0 + timedelta(days=15)


@pytest.mark.parametrize(
    ("now", "objections", "verdict"),
    [
        (END - timedelta(seconds=1), [], NoticeVerdict.RUNNING),
        (END - timedelta(seconds=1), ["lodged"], NoticeVerdict.RUNNING),
        (END - timedelta(seconds=1), ["dismissed", "upheld"], NoticeVerdict.FALLEN),
        (END, [], NoticeVerdict.CLEAN),
        (END, ["dismissed"], NoticeVerdict.CLEAN),
        (END, ["dismissed", "lodged"], NoticeVerdict.WAITING),
        (END + timedelta(days=3), ["upheld"], NoticeVerdict.FALLEN),
    ],
)
def test_notice_verdict(now, objections, verdict) -> None:
    assert rules.notice_verdict(END, now, objections) == verdict


def test_objections_need_reasons_and_a_running_notice() -> None:
    assert (
        rules.check_objection(True, END, T0, "  价格明显低于评估值，应重新定价。 ")
        == "价格明显低于评估值，应重新定价。"
    )
    with pytest.raises(ValidationFailed) as error:
        rules.check_objection(True, END, T0, "too low")
    assert error.value.field == "reasons"
    with pytest.raises(DomainError) as closed:
        rules.check_objection(True, END, END, "The price is far below the valuation.")
    assert closed.value.code == "notice_closed"
    with pytest.raises(DomainError):
        rules.check_objection(False, END, T0, "The price is far below the valuation.")
