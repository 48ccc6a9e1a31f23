"""Licences as deals: no licence inside an exclusive or sole one's scope and term; royalty
periods cover the term; the royalty is rate × base, never below the year's minimum."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain import ValidationFailed
from licences import deal_rules
from licences.deal_rules import LicenceConflict, RoyaltyTerms, Scope
from licences.rules import LicenceKind

FIELDS = ["ict", "biomed", "energy"]
PROVINCES = ["山东", "江苏", "浙江"]
kinds = st.sampled_from(list(LicenceKind))
subsets = lambda items: st.frozensets(st.sampled_from(items), max_size=len(items))  # noqa: E731
days = st.dates(date(2026, 1, 1), date(2030, 12, 31))


@st.composite
def scopes(draw: st.DrawFn) -> Scope:
    start = draw(days)
    return Scope(draw(kinds), draw(subsets(FIELDS)), draw(subsets(PROVINCES)), start, start + timedelta(days=draw(st.integers(0, 2000))))  # fmt: skip


def _share(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a or not b or bool(a & b)


@given(scopes(), scopes())
def test_a_conflict_is_an_overlap_with_an_exclusive_or_sole_licence(new: Scope, old: Scope) -> None:
    overlap = (
        new.starts_on <= old.ends_on and old.starts_on <= new.ends_on
        and _share(new.fields, old.fields) and _share(new.territory, old.territory)
    )  # fmt: skip
    ordinary_pair = new.kind == old.kind == LicenceKind.ORDINARY
    assert deal_rules.conflicts(new, old) == (overlap and not ordinary_pair)
    assert deal_rules.conflicts(new, old) == deal_rules.conflicts(old, new)


@given(scopes())
def test_no_ordinary_licence_inside_an_exclusive_ones_scope_and_term(exclusive: Scope) -> None:
    exclusive = Scope(LicenceKind.EXCLUSIVE, exclusive.fields, exclusive.territory, exclusive.starts_on, exclusive.ends_on)  # fmt: skip
    inside = Scope(LicenceKind.ORDINARY, exclusive.fields, exclusive.territory, exclusive.ends_on, exclusive.ends_on)  # fmt: skip
    with pytest.raises(LicenceConflict):
        deal_rules.check_no_conflict(inside, [exclusive])


def test_licences_in_other_fields_provinces_or_years_stand_side_by_side() -> None:
    start = date(2027, 1, 1)
    exclusive = deal_rules.scope_for(LicenceKind.EXCLUSIVE, frozenset({"energy"}), frozenset({"山东"}), start, 3)  # fmt: skip
    assert exclusive.ends_on == date(2029, 12, 31)
    for other in (
        deal_rules.scope_for(LicenceKind.EXCLUSIVE, frozenset({"ict"}), frozenset({"山东"}), start, 3),
        deal_rules.scope_for(LicenceKind.SOLE, frozenset({"energy"}), frozenset({"江苏"}), start, 3),
        deal_rules.scope_for(LicenceKind.ORDINARY, frozenset(), frozenset(), date(2030, 1, 1), 1),
    ):  # fmt: skip
        deal_rules.check_no_conflict(other, [exclusive])
    everywhere = deal_rules.scope_for(LicenceKind.ORDINARY, frozenset(), frozenset(), start, 1)
    with pytest.raises(LicenceConflict):  # "all fields, all of China" overlaps Shandong's energy
        deal_rules.check_no_conflict(everywhere, [exclusive])


@given(days, st.integers(1, 20), st.sampled_from(deal_rules.PERIOD_MONTHS))
def test_periods_cover_the_term_day_by_day(start: date, years: int, months: int) -> None:
    scope = deal_rules.scope_for(LicenceKind.ORDINARY, frozenset(), frozenset(), start, years)
    found = deal_rules.periods(scope.starts_on, scope.ends_on, months)
    assert found[0].starts_on == start and found[-1].ends_on == scope.ends_on
    assert len(found) == years * 12 // months
    for before, after in itertools.pairwise(found):
        assert after.starts_on == before.ends_on + timedelta(days=1)
    assert all(p.due_on == p.ends_on + timedelta(days=deal_rules.REPORT_DAYS) for p in found)


@given(
    st.integers(0, 5_000), st.integers(0, 10**10), st.sampled_from(deal_rules.PERIOD_MONTHS),
    st.lists(st.integers(0, 10**12), min_size=12, max_size=12),
)  # fmt: skip
def test_a_years_royalty_is_rate_times_base_and_never_below_the_minimum(
    rate: int, minimum: int, months: int, sales: list[int]
) -> None:
    terms = RoyaltyTerms(rate, minimum, months)
    per_year = 12 // months
    dues: list[int] = []
    parts: list[int] = []
    for index in range(per_year):
        due = deal_rules.royalty_for(terms, index, sales[index], dues)
        # rate × base within half a fen, in integers
        assert abs(due.rate_part_minor * 10_000 - sales[index] * rate) * 2 <= 10_000
        assert due.top_up_minor == 0 or index == per_year - 1
        parts.append(due.rate_part_minor)
        dues.append(due.total_minor)
    assert sum(dues) == max(minimum, sum(parts))


def test_late_reports_and_open_periods() -> None:
    period = deal_rules.periods(date(2027, 1, 1), date(2027, 12, 31), 3)[0]
    assert period.ends_on == date(2027, 3, 31) and period.due_on == date(2027, 4, 30)
    with pytest.raises(ValidationFailed):
        deal_rules.check_period_open(period, date(2027, 3, 31))
    assert deal_rules.check_period_open(period, date(2027, 4, 1)) == period
    assert not deal_rules.is_late(period, date(2027, 4, 30), date(2027, 6, 1))
    assert deal_rules.is_late(period, date(2027, 5, 1), date(2027, 5, 1))
    assert deal_rules.is_late(period, None, date(2027, 5, 1))


def test_royalty_terms_are_bounded() -> None:
    deal_rules.check_royalty_terms(RoyaltyTerms(300, 0, 3))
    for bad in (RoyaltyTerms(5_001, 0, 3), RoyaltyTerms(300, -1, 3), RoyaltyTerms(300, 0, 5)):
        with pytest.raises(ValidationFailed):
            deal_rules.check_royalty_terms(bad)
