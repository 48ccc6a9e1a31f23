"""Brokers' pure rules: commissions (examples and properties), terms, exclusivity, expiry."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brokers import rules
from brokers.rules import (
    AccreditationStatus,
    CommissionAboveCap,
    CommissionKind,
    CommissionTerms,
    MandateStatus,
    MandateTerm,
    ScopeClaim,
)
from core.domain import DomainError, PermissionDenied, ValidationFailed

T0 = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
prices = st.integers(min_value=1, max_value=10**13)
rates = st.integers(min_value=1, max_value=rules.BPS)
bounds = st.one_of(st.none(), st.integers(min_value=0, max_value=10**11))


def pct(rate: int, lo: int | None = None, hi: int | None = None) -> CommissionTerms:
    return CommissionTerms(CommissionKind.PERCENTAGE, rate_bps=rate, min_minor=lo, max_minor=hi)


# --- examples ------------------------------------------------------------------------------


def test_two_percent_of_half_a_million_yuan_is_ten_thousand():
    assert rules.commission_minor(pct(200), 50_000_000) == 1_000_000


def test_percentage_rounds_half_up_to_the_fen():
    # 1.5 % of ¥0.33 = 0.495 分 → 0 分; of ¥0.34 = 0.51 分 → 1 分; 0.5 分 rounds up.
    assert rules.commission_minor(pct(150), 33) == 0
    assert rules.commission_minor(pct(150), 34) == 1
    assert rules.commission_minor(pct(5000), 1) == 1  # half of one fen, rounded up


def test_minimum_and_maximum_clamp_the_percentage():
    terms = pct(200, lo=2_000_000, hi=5_000_000)  # 2 %, at least ¥20,000, at most ¥50,000
    assert rules.commission_minor(terms, 50_000_000) == 2_000_000  # 2 % is ¥10,000 → minimum
    assert rules.commission_minor(terms, 180_000_000) == 3_600_000
    assert rules.commission_minor(terms, 900_000_000) == 5_000_000  # capped


def test_fixed_fee_is_the_fee_whatever_the_price():
    terms = CommissionTerms(CommissionKind.FIXED, fixed_minor=3_000_000)
    assert rules.commission_minor(terms, 50_000_000) == 3_000_000
    assert rules.commission_minor(terms, 900_000_000) == 3_000_000


def test_no_commission_exceeds_the_price():
    assert rules.commission_minor(pct(100, lo=1_000_000), 500_000) == 500_000
    assert rules.commission_minor(CommissionTerms(CommissionKind.FIXED, fixed_minor=9), 5) == 5


def test_rate_above_five_percent_needs_the_principals_agreement():
    with pytest.raises(CommissionAboveCap) as error:
        rules.check_terms(pct(501))
    assert error.value.field == "above_cap_agreed"
    assert "5%" in error.value.text()
    rules.check_terms(pct(501), above_cap_agreed=True)
    rules.check_terms(pct(500))  # exactly 5 % is within the reference


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        (pct(0), "rate"),
        (pct(10_001), "rate"),
        (pct(200, lo=5, hi=4), "minimum"),
        (pct(200, lo=-1), "minimum"),
        (CommissionTerms(CommissionKind.FIXED, fixed_minor=0), "fixed_fee"),
        (CommissionTerms(CommissionKind.FIXED), "fixed_fee"),
    ],
)
def test_unusable_terms_are_refused_on_their_field(terms, field):
    with pytest.raises(ValidationFailed) as error:
        rules.check_terms(terms, above_cap_agreed=True)
    assert error.value.field == field


def test_share_and_cap_warning():
    assert rules.share_bps(1_000_000, 50_000_000) == 200
    assert not rules.above_statutory_cap(2_500_000, 50_000_000)
    assert rules.above_statutory_cap(2_500_001, 50_000_000)


# --- properties ----------------------------------------------------------------------------


@given(price=prices, rate=rates, lo=bounds, hi=bounds)
def test_percentage_commission_stays_within_bounds_and_price(price, rate, lo, hi):
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    amount = rules.commission_minor(pct(rate, lo, hi), price)
    assert 0 <= amount <= price
    if hi is not None:
        assert amount <= hi
    if lo is not None:
        assert amount >= min(lo, price)


@given(price=prices, rate=rates)
def test_unbounded_percentage_is_the_exact_share_rounded_half_up(price, rate):
    amount = rules.commission_minor(pct(rate), price)
    exact_times_bps = price * rate  # the commission × 10,000, exactly
    assert abs(amount * rules.BPS - exact_times_bps) * 2 <= rules.BPS
    # half up: exactly half a fen goes up, never down
    if (exact_times_bps * 2) % (2 * rules.BPS) == rules.BPS:
        assert amount * rules.BPS > exact_times_bps


@given(a=prices, b=prices, rate=rates, lo=bounds, hi=bounds)
def test_percentage_commission_never_falls_when_the_price_rises(a, b, rate, lo, hi):
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    low, high = sorted((a, b))
    terms = pct(rate, lo, hi)
    assert rules.commission_minor(terms, low) <= rules.commission_minor(terms, high)


@given(price=prices, fee=st.integers(min_value=1, max_value=10**13))
def test_fixed_fee_is_the_fee_or_the_whole_price(price, fee):
    amount = rules.commission_minor(CommissionTerms(CommissionKind.FIXED, fixed_minor=fee), price)
    assert amount == min(fee, price)


@given(price=prices, rate=st.integers(min_value=1, max_value=rules.STATUTORY_CAP_BPS))
def test_a_rate_within_five_percent_never_exceeds_the_cap(price, rate):
    rules.check_terms(pct(rate))
    assert not rules.above_statutory_cap(rules.commission_minor(pct(rate), price), price)


# --- terms, exclusivity, acceptance --------------------------------------------------------


def term(start_days: int, end_days: int, terminates_days: int | None = None) -> MandateTerm:
    return MandateTerm(
        T0 + timedelta(days=start_days),
        T0 + timedelta(days=end_days),
        T0 + timedelta(days=terminates_days) if terminates_days is not None else None,
    )


def test_term_covers_its_start_not_its_end_and_notice_shortens_it():
    t = term(0, 90)
    assert t.covers(T0) and not t.covers(T0 + timedelta(days=90))
    shortened = term(0, 90, terminates_days=30)
    assert shortened.effective_end == T0 + timedelta(days=30)
    assert not shortened.covers(T0 + timedelta(days=31))
    assert term(0, 90, terminates_days=120).effective_end == T0 + timedelta(days=90)


def test_termination_takes_effect_after_the_notice_but_never_after_the_term():
    assert rules.termination_date(T0, 30, term(0, 90)) == T0 + timedelta(days=30)
    assert rules.termination_date(T0, 30, term(0, 10)) == T0 + timedelta(days=10)
    with pytest.raises(DomainError):
        rules.check_termination(MandateStatus.PROPOSED, term(0, 90), T0)
    with pytest.raises(DomainError):
        rules.check_termination(MandateStatus.ACTIVE, term(-90, -1), T0)


@pytest.mark.parametrize(
    ("starts", "ends", "notice", "field"),
    [
        (0, 0, 30, "ends_on"),
        (-30, -1, 30, "ends_on"),
        (0, 2000, 30, "ends_on"),
        (0, 90, 181, "notice_days"),
    ],
)
def test_bad_terms_are_refused(starts, ends, notice, field):
    with pytest.raises(ValidationFailed) as error:
        rules.check_term(T0 + timedelta(days=starts), T0 + timedelta(days=ends), notice, T0)
    assert error.value.field == field


def claim(mandate_id: int | None, exclusive: bool, t: MandateTerm, broker: int = 1) -> ScopeClaim:
    return ScopeClaim(mandate_id=mandate_id, broker_id=broker, exclusive=exclusive, term=t)


def test_an_exclusive_mandate_excludes_any_other_in_its_term():
    existing = [claim(1, True, term(0, 90))]
    with pytest.raises(DomainError) as error:
        rules.check_exclusivity(claim(None, False, term(30, 60), broker=2), existing)
    assert error.value.code == "exclusive_conflict"
    # after the exclusive term, another broker may take the scope
    rules.check_exclusivity(claim(None, True, term(90, 180), broker=2), existing)
    # ended early by notice: the scope is free after the notice
    ended = [claim(1, True, term(0, 90, terminates_days=20))]
    rules.check_exclusivity(claim(None, True, term(20, 60), broker=2), ended)


def test_non_exclusive_mandates_share_a_scope_but_block_a_new_exclusive_one():
    existing = [claim(1, False, term(0, 90))]
    rules.check_exclusivity(claim(None, False, term(0, 90), broker=2), existing)
    with pytest.raises(DomainError):
        rules.check_exclusivity(claim(None, True, term(10, 20), broker=2), existing)
    # a mandate never conflicts with itself (re-checked when it is accepted)
    rules.check_exclusivity(claim(1, True, term(0, 90)), [claim(1, True, term(0, 90))])


def test_acceptance_rules():
    rules.check_acceptance(
        MandateStatus.PROPOSED, already_accepted=False, is_party=True, expired=False
    )
    with pytest.raises(PermissionDenied):
        rules.check_acceptance(
            MandateStatus.PROPOSED, already_accepted=False, is_party=False, expired=False
        )
    for status, already, expired in (
        (MandateStatus.ACTIVE, False, False),
        (MandateStatus.PROPOSED, True, False),
        (MandateStatus.PROPOSED, False, True),
    ):
        with pytest.raises(DomainError):
            rules.check_acceptance(status, already_accepted=already, is_party=True, expired=expired)


# --- attribution, accreditation, ratings ---------------------------------------------------


def test_a_deal_within_the_term_after_the_introduction_is_attributed():
    t = term(0, 90)
    common = {"term": t, "mandate_listing_id": None, "deal_listing_id": 7}
    assert rules.attributable(
        introduced_at=T0 + timedelta(days=1), deal_at=T0 + timedelta(days=40), **common
    )
    assert not rules.attributable(
        introduced_at=T0 + timedelta(days=1), deal_at=T0 + timedelta(days=91), **common
    )
    assert not rules.attributable(
        introduced_at=T0 + timedelta(days=41), deal_at=T0 + timedelta(days=40), **common
    )


def test_every_introduction_on_record_protects_the_broker_whatever_the_answer():
    for status in rules.IntroductionStatus:
        assert rules.protects_broker(status), status


def test_a_listing_mandate_covers_deals_of_that_listing_only():
    kwargs = {"term": term(0, 90), "introduced_at": T0, "deal_at": T0 + timedelta(days=5)}
    assert rules.attributable(mandate_listing_id=7, deal_listing_id=7, **kwargs)
    assert not rules.attributable(mandate_listing_id=7, deal_listing_id=8, **kwargs)


def test_accreditation_is_valid_through_its_expiry_day():
    expires = date(2026, 6, 30)
    accredited = AccreditationStatus.ACCREDITED
    assert rules.is_accredited(accredited, expires, date(2026, 6, 30))
    assert not rules.is_accredited(accredited, expires, date(2026, 7, 1))
    assert not rules.is_accredited(AccreditationStatus.PENDING, expires, date(2026, 3, 1))
    assert rules.expiry_warning(expires, date(2026, 5, 31), 30)
    assert not rules.expiry_warning(expires, date(2026, 5, 30), 30)


def test_application_needs_a_valid_certificate():
    today = date(2026, 3, 2)
    rules.check_application(
        certificate_number="TB-2025-001",
        issuing_body="上海市科委",
        expires_on=date(2027, 1, 1),
        today=today,
    )
    with pytest.raises(ValidationFailed) as error:
        rules.check_application(
            certificate_number="TB-1", issuing_body="上海市科委", expires_on=today, today=today
        )
    assert error.value.field == "expires_on"
    with pytest.raises(ValidationFailed) as error:
        rules.check_application(
            certificate_number=" ", issuing_body="x", expires_on=date(2027, 1, 1), today=today
        )
    assert error.value.field == "certificate_number"


def test_ratings_are_one_to_five():
    assert rules.check_rating(5, "  专业高效 ") == "专业高效"
    for score in (0, 6):
        with pytest.raises(ValidationFailed):
            rules.check_rating(score, "")
    with pytest.raises(ValidationFailed):
        rules.check_rating(3, "x" * 2001)
