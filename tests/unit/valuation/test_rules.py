"""The valuation rules, without a database: the worked example, examples and properties."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.domain import DomainError, ValidationFailed
from valuation import cost_rules, income_rules, indicative_rules, market_rules, rules
from valuation.cost_rules import CostInputs
from valuation.income_rules import IncomeInputs
from valuation.indicative_rules import IndicativeInputs
from valuation.market_rules import Comparable, MarketSubject
from valuation.rules import Method, RequestAction, RequestStatus, ValueRange

M = 100_000_000  # ¥1,000,000.00 in 分

WORKED = IncomeInputs(
    revenues_minor=(10 * M, 12 * M, 14 * M, 15 * M, 15 * M),
    royalty_bps=300,
    tax_bps=2500,
    discount_bps=1500,
    legal_life_years=5,
    economic_life_years=5,
)


# --- income ------------------------------------------------------------------------------


def test_worked_example_of_domain_md_is_967_7_thousand_yuan() -> None:
    result = income_rules.income_value(WORKED)
    # Each year's present value rounded to the fen, then summed.
    assert [y.present_value_minor for y in result.years] == [
        19_565_217,
        20_415_879,
        20_711_761,
        19_296_672,
        16_779_715,
    ]
    assert result.value_minor == 96_769_244  # ¥967,692.44
    assert round(result.value_minor / 10_000) / 10 == 967.7  # in thousands of yuan: ¥967.7k
    assert result.years[0].royalty_minor == 30_000_000  # ¥300,000 royalty on ¥10M
    assert result.years[0].after_tax_minor == 22_500_000


def test_discount_rate_is_risk_free_plus_premiums() -> None:
    rate = income_rules.DiscountRate(
        risk_free_bps=250, technology_bps=500, market_bps=300, funding_bps=200, management_bps=250
    )
    assert rate.total_bps == 1500


def test_life_is_the_shorter_of_legal_and_economic() -> None:
    legal = income_rules.income_value(replace(WORKED, legal_life_years=3, economic_life_years=8))
    assert legal.life_years == 3 and legal.limited_by == "legal"
    assert legal.value_minor == 19_565_217 + 20_415_879 + 20_711_761
    economic = income_rules.income_value(replace(WORKED, legal_life_years=8, economic_life_years=4))
    assert economic.life_years == 4 and economic.limited_by == "economic"


def test_revenue_stays_flat_past_the_forecast() -> None:
    result = income_rules.income_value(replace(WORKED, legal_life_years=7, economic_life_years=7))
    assert result.extended_years == 2
    assert [y.revenue_minor for y in result.years[4:]] == [15 * M, 15 * M, 15 * M]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"revenues_minor": ()}, "revenues"),
        ({"revenues_minor": (-1,)}, "revenues"),
        ({"royalty_bps": 10_001}, "royalty"),
        ({"tax_bps": -1}, "tax"),
        ({"discount_bps": 10_001}, "discount"),
        ({"legal_life_years": 0}, "legal_life_years"),
        ({"economic_life_years": 31}, "economic_life_years"),
    ],
)
def test_bad_income_inputs_name_their_field(change: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        income_rules.income_value(replace(WORKED, **change))
    assert caught.value.field == field


def test_income_range_and_sensitivity_grid() -> None:
    rng = income_rules.income_range(WORKED)
    assert rng.central_minor == 96_769_244
    assert rng.low_minor < rng.central_minor < rng.high_minor
    grid = income_rules.sensitivity(WORKED)
    assert grid.royalty_bps == (200, 250, 300, 350, 400)
    assert grid.discount_bps == (1100, 1300, 1500, 1700, 1900)
    assert grid.values_minor[2][2] == 96_769_244
    assert grid.central == (2, 2)
    # Values grow down the rows (royalty) and fall along the columns (discount rate).
    for row in grid.values_minor:
        assert list(row) == sorted(row, reverse=True)
    for column in zip(*grid.values_minor, strict=True):
        assert list(column) == sorted(column)


def test_sensitivity_axis_stops_at_zero() -> None:
    grid = income_rules.sensitivity(replace(WORKED, royalty_bps=50, discount_bps=100))
    assert grid.royalty_bps == (0, 50, 100, 150)
    assert grid.discount_bps == (0, 100, 300, 500)
    assert grid.central == (1, 1)


revenues = st.lists(st.integers(0, 10**12), min_size=1, max_size=12).map(tuple)
bps = st.integers(0, 10_000)
lives = st.integers(1, 15)


@st.composite
def income_inputs(draw: st.DrawFn) -> IncomeInputs:
    return IncomeInputs(
        revenues_minor=draw(revenues),
        royalty_bps=draw(bps),
        tax_bps=draw(bps),
        discount_bps=draw(bps),
        legal_life_years=draw(lives),
        economic_life_years=draw(lives),
    )


@given(income_inputs(), st.integers(0, 11), st.integers(1, 10**10))
def test_value_increases_with_revenue(inputs: IncomeInputs, year: int, more: int) -> None:
    index = year % len(inputs.revenues_minor)
    raised = list(inputs.revenues_minor)
    raised[index] += more
    assert income_rules.income_value(replace(inputs, revenues_minor=tuple(raised))).value_minor >= (
        income_rules.income_value(inputs).value_minor
    )


@given(income_inputs(), bps)
def test_value_increases_with_royalty(inputs: IncomeInputs, other: int) -> None:
    low, high = sorted((inputs.royalty_bps, other))
    assert (
        income_rules.income_value(replace(inputs, royalty_bps=low)).value_minor
        <= income_rules.income_value(replace(inputs, royalty_bps=high)).value_minor
    )


@given(income_inputs(), bps)
def test_value_decreases_with_discount_rate(inputs: IncomeInputs, other: int) -> None:
    low, high = sorted((inputs.discount_bps, other))
    assert (
        income_rules.income_value(replace(inputs, discount_bps=low)).value_minor
        >= income_rules.income_value(replace(inputs, discount_bps=high)).value_minor
    )


@given(income_inputs(), bps)
def test_value_decreases_with_tax(inputs: IncomeInputs, other: int) -> None:
    low, high = sorted((inputs.tax_bps, other))
    assert (
        income_rules.income_value(replace(inputs, tax_bps=low)).value_minor
        >= income_rules.income_value(replace(inputs, tax_bps=high)).value_minor
    )


@given(income_inputs())
def test_strictly_more_revenue_in_year_one_is_worth_strictly_more_when_it_shows(
    inputs: IncomeInputs,
) -> None:
    # A year-1 revenue step large enough to move the present value by more than a fen.
    inputs = replace(
        inputs, royalty_bps=max(inputs.royalty_bps, 100), tax_bps=min(inputs.tax_bps, 9000)
    )
    raised = (inputs.revenues_minor[0] + 10**9, *inputs.revenues_minor[1:])
    assert (
        income_rules.income_value(replace(inputs, revenues_minor=raised)).value_minor
        > income_rules.income_value(inputs).value_minor
    )


@given(income_inputs())
def test_zero_revenue_is_worth_zero(inputs: IncomeInputs) -> None:
    zero = replace(inputs, revenues_minor=(0,) * len(inputs.revenues_minor))
    assert income_rules.income_value(zero).value_minor == 0


@given(income_inputs(), st.integers(1, 10**12))
def test_revenue_beyond_the_life_changes_nothing(inputs: IncomeInputs, late: int) -> None:
    life = inputs.life_years
    forecast = inputs.revenues_minor[:life] + (0,) * max(0, life - len(inputs.revenues_minor))
    # Pad to the life so nothing is extended flat, then add a year beyond it.
    padded = replace(inputs, revenues_minor=forecast[:life] or (0,))
    longer = replace(inputs, revenues_minor=(*padded.revenues_minor, late))
    assert (
        income_rules.income_value(longer).value_minor
        == income_rules.income_value(padded).value_minor
    )
    assert len(income_rules.income_value(longer).years) == life


@given(income_inputs())
def test_a_longer_life_is_worth_at_least_as_much(inputs: IncomeInputs) -> None:
    shorter = income_rules.income_value(inputs)
    longer = income_rules.income_value(
        replace(
            inputs,
            legal_life_years=inputs.legal_life_years + 1,
            economic_life_years=inputs.economic_life_years + 1,
        )
    )
    assert longer.value_minor >= shorter.value_minor
    assert longer.years[: shorter.life_years] == shorter.years


@given(income_inputs())
def test_rounding_is_within_half_a_fen_per_term(inputs: IncomeInputs) -> None:
    result = income_rules.income_value(inputs)
    exact_total = Fraction(0)
    for row in result.years:
        exact = income_rules.present_value_exact(
            row.revenue_minor, inputs.royalty_bps, inputs.tax_bps, inputs.discount_bps, row.year
        )
        assert abs(row.present_value_minor - exact) <= Fraction(1, 2)
        exact_total += exact
    assert abs(result.value_minor - exact_total) <= Fraction(len(result.years), 2)


@given(income_inputs())
@settings(max_examples=40)
def test_income_range_is_ordered_and_inside_the_grid(inputs: IncomeInputs) -> None:
    rng = income_rules.income_range(inputs)
    grid = income_rules.sensitivity(inputs)
    values = [v for row in grid.values_minor for v in row]
    assert min(values) <= rng.low_minor <= rng.central_minor <= rng.high_minor <= max(values)


# --- arithmetic and inputs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "bps"), [("3", 300), ("3.5", 350), ("3.25%", 325), ("0", 0), ("100", 10_000)]
)
def test_percent_to_bps(text: str, bps: int) -> None:
    assert rules.percent_to_bps(text, field="royalty") == bps
    assert rules.percent_to_bps(rules.bps_text(bps), field="royalty") == bps


@pytest.mark.parametrize("text", ["", "abc", "3.125", "-1", "101", "nan", "inf"])
def test_bad_percentages_are_refused_on_their_field(text: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        rules.percent_to_bps(text, field="tax")
    assert caught.value.field == "tax"


@given(st.integers(-(10**15), 10**15), st.integers(1, 10**6))
def test_round_half_up_is_nearest(numerator: int, denominator: int) -> None:
    value = Fraction(numerator, denominator)
    rounded = rules.round_half_up(value)
    assert abs(rounded - value) <= Fraction(1, 2)
    if abs(rounded - value) == Fraction(1, 2):
        assert abs(rounded) > abs(value)  # halves go away from zero


# --- benchmarks and the 25% rule ---------------------------------------------------------


def test_royalty_benchmarks_by_class() -> None:
    high_tech = income_rules.IndustryClass.HIGH_TECH
    assert income_rules.ROYALTY_BENCHMARKS[high_tech] == (500, 600)
    assert income_rules.industry_class_for("ict") == high_tech
    assert income_rules.default_royalty_bps(income_rules.IndustryClass.BASIC_INDUSTRY) == 250
    assert income_rules.benchmark_position(300, high_tech) == "below"
    assert income_rules.benchmark_position(550, high_tech) == "within"
    assert income_rules.benchmark_position(700, high_tech) == "above"


def test_twenty_five_percent_rule_is_a_sanity_check() -> None:
    # A 20% operating margin implies a royalty of about 5%.
    assert income_rules.twenty_five_percent_rule(500, 2000).verdict == "consistent"
    assert income_rules.twenty_five_percent_rule(500, 2000).implied_royalty_bps == 500
    assert income_rules.twenty_five_percent_rule(900, 2000).verdict == "high"
    assert income_rules.twenty_five_percent_rule(200, 2000).verdict == "low"


# --- market ------------------------------------------------------------------------------

TODAY = date(2026, 3, 2)
SUBJECT = MarketSubject(
    field="energy", ipc_classes=("H01M 4/525",), trl=5, asset_count=2, valuation_date=TODAY
)


def comparable(n: int, **overrides: object) -> Comparable:
    values: dict[str, object] = {
        "deal_id": n,
        "title": f"交易{n}",
        "price_minor": 100 * M,
        "field": "energy",
        "ipc_classes": ("H01M 10/05",),
        "trl": 5,
        "asset_count": 2,
        "deal_date": TODAY,
    }
    values.update(overrides)
    return Comparable(**values)  # type: ignore[arg-type]


def test_comparables_need_the_same_ipc_subclass_or_field_and_similar_maturity() -> None:
    assert market_rules.match_of(SUBJECT, comparable(1)) == "ipc"
    assert market_rules.match_of(SUBJECT, comparable(2, ipc_classes=("C01B 3/00",))) == "field"
    other = comparable(3, ipc_classes=("C01B 3/00",), field="biomed")
    assert not market_rules.is_comparable(SUBJECT, other)
    assert not market_rules.is_comparable(SUBJECT, comparable(4, trl=8))
    assert not market_rules.is_comparable(SUBJECT, comparable(5, deal_date=date(2020, 3, 1)))
    assert market_rules.is_comparable(SUBJECT, comparable(6, deal_date=date(2021, 3, 2)))


def test_adjustments_are_explained_and_applied() -> None:
    adjusted = market_rules.adjust(
        SUBJECT, comparable(1, trl=4, asset_count=1, deal_date=date(2024, 1, 15))
    )
    by_kind = {a.kind: a for a in adjusted.adjustments}
    assert by_kind["maturity"].bps == 1000  # one TRL level ahead: +10%
    assert by_kind["age"].bps == 600 and by_kind["age"].comparable_value == 2  # 2 years: +6%
    assert by_kind["portfolio"].bps == 1000  # one more IP asset: +10%
    assert adjusted.adjusted_minor == round(100 * M * 1.1 * 1.06 * 1.1)


def test_too_few_comparables_make_the_market_approach_not_applicable() -> None:
    result = market_rules.market_value(SUBJECT, [comparable(1), comparable(2)])
    assert not result.applicable and result.range is None
    assert len(result.comparables) == 2


def test_market_value_is_the_adjusted_median_with_quartiles() -> None:
    prices = [80, 90, 100, 120, 200]
    result = market_rules.market_value(
        SUBJECT, [comparable(n, price_minor=p * M) for n, p in enumerate(prices)]
    )
    assert result.range == ValueRange(90 * M, 100 * M, 120 * M)


comparables = st.lists(
    st.builds(
        comparable,
        st.integers(1, 10**6),
        price_minor=st.integers(1, 10**12),
        trl=st.integers(3, 7),
        asset_count=st.integers(1, 8),
        deal_date=st.dates(date(2021, 3, 3), TODAY),
    ),
    min_size=0,
    max_size=15,
)


@given(comparables)
def test_market_result_lies_within_the_adjusted_comparables(items: list[Comparable]) -> None:
    result = market_rules.market_value(SUBJECT, items)
    assert len(result.comparables) <= market_rules.MAX_COMPARABLES
    if result.range is None:
        assert len(result.comparables) < market_rules.MIN_COMPARABLES
        return
    adjusted = [a.adjusted_minor for a in result.comparables]
    assert (
        min(adjusted)
        <= result.range.low_minor
        <= result.range.central_minor
        <= result.range.high_minor
        <= max(adjusted)
    )


# --- cost --------------------------------------------------------------------------------

COST = CostInputs(
    labour_minor=300 * M // 100,
    materials_minor=100 * M // 100,
    overhead_minor=50 * M // 100,
    opportunity_minor=50 * M // 100,
    functional_obsolescence_bps=2000,
    economic_obsolescence_bps=1000,
)


def test_cost_is_reproduction_cost_less_obsolescence() -> None:
    result = cost_rules.cost_value(COST)
    assert result.reproduction_minor == 5 * M  # ¥5,000,000 / 100 = ¥50,000 … in 分: 5 * M
    assert result.value_minor == 5 * M * 8 * 9 // 100  # × 0.8 × 0.9
    assert result.range.low_minor == 5 * M * 7 * 9 // 100
    assert result.range.high_minor == 5 * M * 9 * 9 // 100


def test_negative_costs_are_refused() -> None:
    with pytest.raises(ValidationFailed) as caught:
        cost_rules.cost_value(replace(COST, materials_minor=-1))
    assert caught.value.field == "materials"


costs = st.builds(
    CostInputs,
    labour_minor=st.integers(0, 10**12),
    materials_minor=st.integers(0, 10**12),
    overhead_minor=st.integers(0, 10**12),
    opportunity_minor=st.integers(0, 10**12),
    functional_obsolescence_bps=bps,
    economic_obsolescence_bps=bps,
)


@given(costs, bps, bps)
def test_cost_is_never_negative_and_falls_with_obsolescence(
    inputs: CostInputs, functional: int, economic: int
) -> None:
    base = cost_rules.cost_value(inputs)
    assert 0 <= base.range.low_minor <= base.value_minor <= base.range.high_minor
    assert base.value_minor <= base.reproduction_minor
    more_functional = replace(
        inputs, functional_obsolescence_bps=max(functional, inputs.functional_obsolescence_bps)
    )
    more_economic = replace(
        inputs, economic_obsolescence_bps=max(economic, inputs.economic_obsolescence_bps)
    )
    assert cost_rules.cost_value(more_functional).value_minor <= base.value_minor
    assert cost_rules.cost_value(more_economic).value_minor <= base.value_minor


# --- reconciliation and the whole valuation ----------------------------------------------


def test_weights_follow_maturity_and_skip_methods_that_do_not_apply() -> None:
    ranges = {
        Method.INCOME: ValueRange(80, 100, 120),
        Method.COST: ValueRange(40, 50, 60),
    }
    early = indicative_rules.reconcile(ranges, trl=2)  # income 30, cost 60 → 1/3, 2/3
    assert early.weights == {Method.INCOME: 33, Method.COST: 67}
    assert early.range == ValueRange(53, 67, 80)
    late = indicative_rules.reconcile(ranges, trl=8)  # income 50, cost 10
    assert late.range.central_minor == round((50 * 100 + 10 * 50) / 60)


def test_no_method_at_all_is_an_error() -> None:
    with pytest.raises(ValidationFailed):
        indicative_rules.reconcile({}, trl=5)


ranges_st = st.dictionaries(
    st.sampled_from(list(Method)),
    st.lists(st.integers(0, 10**12), min_size=3, max_size=3).map(lambda v: ValueRange(*sorted(v))),
    min_size=1,
)


@given(ranges_st, st.integers(1, 9))
def test_reconciled_range_lies_within_the_methods(ranges: dict, trl: int) -> None:
    result = indicative_rules.reconcile(ranges, trl)
    assert min(r.low_minor for r in ranges.values()) <= result.range.low_minor
    assert result.range.high_minor <= max(r.high_minor for r in ranges.values())
    assert set(result.weights) == set(ranges)


def test_indicative_valuation_uses_every_method_with_inputs() -> None:
    items = [comparable(n, price_minor=(90 + n) * M) for n in range(4)]
    result = indicative_rules.indicative_valuation(
        IndicativeInputs(income=WORKED, cost=COST, industry=income_rules.IndustryClass.HIGH_TECH),
        SUBJECT,
        items,
    )
    assert set(result.ranges) == {Method.INCOME, Method.MARKET, Method.COST}
    assert result.benchmark == "below"  # 3% is below the high-tech 5–6%
    assert result.income is not None and result.income.value_minor == 96_769_244


# --- requests ----------------------------------------------------------------------------


def test_request_state_machine() -> None:
    assert rules.next_request_status(RequestStatus.REQUESTED, RequestAction.TAKE) == (
        RequestStatus.IN_PROGRESS
    )
    assert rules.next_request_status(RequestStatus.IN_PROGRESS, RequestAction.ISSUE) == (
        RequestStatus.ISSUED
    )
    with pytest.raises(DomainError) as caught:
        rules.next_request_status(RequestStatus.REQUESTED, RequestAction.ISSUE)
    assert caught.value.code == "valuation_request_state"
    with pytest.raises(DomainError):  # only the valuer who took a request declines it
        rules.next_request_status(RequestStatus.REQUESTED, RequestAction.DECLINE)
    assert rules.next_request_status(RequestStatus.IN_PROGRESS, RequestAction.DECLINE) == (
        RequestStatus.DECLINED
    )
    for final in (RequestStatus.ISSUED, RequestStatus.DECLINED, RequestStatus.WITHDRAWN):
        for action in RequestAction:
            with pytest.raises(DomainError):
                rules.next_request_status(final, action)
