"""Support policies' rules: caps hold, a deal counts once per policy, amounts are whole 分."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.domain import ValidationFailed
from policies.policy_rules import (
    Beneficiary,
    DealFacts,
    PolicyTerms,
    Prior,
    check_adjustment,
    check_terms,
    deal_award,
    eligibility,
)

START = date(2025, 10, 1)


@st.composite
def deals(draw: st.DrawFn) -> list[DealFacts]:
    count = draw(st.integers(0, 25))
    ids = draw(st.lists(st.integers(1, 60), min_size=count, max_size=count))  # repeats happen
    return [
        DealFacts(
            deal_id=deal_id,
            completed_on=START + timedelta(days=draw(st.integers(0, 540))),
            basis_minor=draw(st.integers(0, 10**12)),
            contract_type=draw(st.sampled_from(["transfer", "licence", "service"])),
            field=draw(st.sampled_from(["ai", "bio", None])),
            buyer_org_id=draw(st.sampled_from([None, 1, 2, 3])),
            buyer_kind=draw(st.sampled_from(["enterprise", "university"])),
            buyer_region=draw(st.sampled_from(["上海市浦东新区", "江苏省苏州市"])),
            seller_org_id=draw(st.sampled_from([4, 5])),
            seller_kind=draw(st.sampled_from(["university", "institute", "enterprise"])),
            seller_region="上海市",
            broker_org_id=draw(st.sampled_from([None, 6, 7])),
            broker_region="上海市",
        )
        for deal_id in ids
    ]


@st.composite
def terms(draw: st.DrawFn) -> PolicyTerms:
    fixed = draw(st.booleans())
    return PolicyTerms(
        beneficiary=draw(st.sampled_from(list(Beneficiary))),
        rate_bp=None if fixed else draw(st.integers(1, 10_000)),
        fixed_minor=draw(st.integers(1, 10**9)) if fixed else None,
        cap_per_deal_minor=draw(st.none() | st.integers(1, 10**10)),
        cap_per_org_year_minor=draw(st.none() | st.integers(1, 10**11)),
        region=draw(st.sampled_from([None, "上海市"])),
    )


def _periods(all_deals: list[DealFacts], cuts: list[int]) -> list[list[DealFacts]]:
    """Split the deals into consecutive periods at day offsets `cuts`."""
    bounds = [0, *sorted(cuts), 10_000]
    return [
        [d for d in all_deals if lo <= (d.completed_on - START).days < hi]
        for lo, hi in pairwise(bounds)
    ]


def _run_periods(policy: PolicyTerms, periods: list[list[DealFacts]]) -> list:
    """Compute period after period, each seeing what the earlier ones counted and used."""
    awards = []
    counted: set[int] = set()
    used: Counter[tuple[int, int]] = Counter()
    for period in periods:
        lines = eligibility(policy, period, Prior(frozenset(counted), dict(used)))
        for line in lines:
            for award in line.deals:
                awards.append((line.org_id, award))
                counted.add(award.deal_id)
                used[(line.org_id, award.year)] += award.award_minor
    return awards


@settings(max_examples=150, deadline=None)
@given(terms(), deals(), st.lists(st.integers(0, 540), max_size=4))
def test_caps_are_never_exceeded_across_periods(policy, all_deals, cuts) -> None:
    """Per deal and per organisation per year, whatever the periods the year is cut into."""
    awards = _run_periods(policy, _periods(all_deals, cuts))
    per_org_year: Counter[tuple[int, int]] = Counter()
    for org_id, award in awards:
        if policy.cap_per_deal_minor is not None:
            assert award.award_minor <= policy.cap_per_deal_minor
        per_org_year[(org_id, award.year)] += award.award_minor
    if policy.cap_per_org_year_minor is not None:
        assert all(v <= policy.cap_per_org_year_minor for v in per_org_year.values())


@settings(max_examples=150, deadline=None)
@given(terms(), deals(), st.lists(st.integers(0, 540), max_size=4))
def test_a_deal_counts_once_per_policy(policy, all_deals, cuts) -> None:
    """Even when it is given twice, or falls in two overlapping periods."""
    periods = _periods(all_deals, cuts)
    periods.append(all_deals)  # a period overlapping all the others
    awards = _run_periods(policy, periods)
    counts = Counter(award.deal_id for _, award in awards)
    assert all(n == 1 for n in counts.values())


@settings(max_examples=150, deadline=None)
@given(terms(), deals())
def test_amounts_are_whole_minor_units_never_above_the_rate(policy, all_deals) -> None:
    """Integers, never negative; a rate award never exceeds basis x rate (rounded down)."""
    for line in eligibility(policy, all_deals):
        assert line.amount_minor == sum(a.award_minor for a in line.deals)
        for award in line.deals:
            assert isinstance(award.award_minor, int) and award.award_minor >= 0
            if policy.rate_bp is not None:
                assert award.award_minor * 10_000 <= award.basis_minor * policy.rate_bp


@settings(max_examples=100, deadline=None)
@given(terms(), deals())
def test_the_order_deals_come_in_does_not_matter(policy, all_deals) -> None:
    all_deals = list({d.deal_id: d for d in all_deals}.values())  # one record per deal
    assert eligibility(policy, all_deals) == eligibility(policy, list(reversed(all_deals)))


def _deal(deal_id: int, basis: int, on: date, **kw) -> DealFacts:
    base = dict(
        deal_id=deal_id, completed_on=on, basis_minor=basis, contract_type="transfer",
        field="ai", buyer_org_id=1, buyer_kind="enterprise", buyer_region="上海市",
        seller_org_id=4, seller_kind="university", seller_region="上海市",
    )  # fmt: skip
    return DealFacts(**(base | kw))


def test_rate_rounds_down_to_the_fen() -> None:
    """3 % of 333.33 yuan is 9.9999 yuan: 999 fen, not 1000."""
    policy = PolicyTerms(Beneficiary.BUYER, rate_bp=300)
    assert deal_award(policy, 33_333) == 999


def test_year_cap_is_shared_by_the_deals_of_the_year_in_completion_order() -> None:
    """10 % capped at 50 000 yuan a year: 30 000 + 20 000 (of 40 000), then 0; 2026 fresh."""
    policy = PolicyTerms(Beneficiary.BUYER, rate_bp=1_000, cap_per_org_year_minor=5_000_000)
    year = [
        _deal(2, 40_000_000, date(2025, 11, 2)),
        _deal(1, 30_000_000, date(2025, 11, 1)),
        _deal(3, 10_000_000, date(2025, 12, 1)),
        _deal(4, 10_000_000, date(2026, 1, 5)),
    ]
    (line,) = eligibility(policy, year)
    assert [(a.deal_id, a.award_minor) for a in line.deals] == [
        (1, 3_000_000), (2, 2_000_000), (3, 0), (4, 1_000_000),
    ]  # fmt: skip
    assert line.amount_minor == 6_000_000


def test_who_qualifies_follows_the_beneficiary_kind_and_region() -> None:
    deals_ = [
        _deal(1, 1_000, date(2025, 11, 1)),
        _deal(2, 1_000, date(2025, 11, 1), buyer_kind="institute"),
        _deal(3, 1_000, date(2025, 11, 1), buyer_region="江苏省"),
    ]
    policy = PolicyTerms(Beneficiary.BUYER, fixed_minor=500, region="上海")
    assert [a.deal_id for a in eligibility(policy, deals_)[0].deals] == [1]


@pytest.mark.parametrize(
    ("rate", "fixed"), [(None, None), (100, 100), (0, None), (10_001, None), (None, -1)]
)
def test_terms_name_exactly_one_way_to_pay(rate, fixed) -> None:
    with pytest.raises(ValidationFailed):
        check_terms(PolicyTerms(Beneficiary.SELLER, rate_bp=rate, fixed_minor=fixed))


def test_an_adjustment_only_lowers_and_needs_a_reason() -> None:
    assert check_adjustment(1_000, 600, "  材料不全 ") == "材料不全"
    for amount, reason in ((1_001, "x"), (-1, "x"), (500, "  ")):
        with pytest.raises(ValidationFailed):
            check_adjustment(1_000, amount, reason)
