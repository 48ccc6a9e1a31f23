"""Open licences' rules: fees in whole 分, royalties rounded to the nearest 分, bounded terms,
the patent's type from its number, and no exclusive or sole licence while one stands."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain import PermissionDenied, ValidationFailed
from licences import rules
from licences.rules import FeeKind, FeeTerms, LicenceKind, OpenLicenceError

royalty_rates = st.integers(1, rules.MAX_ROYALTY_BP)
net_sales = st.integers(0, rules.MAX_NET_SALES_MINOR)
fees = st.integers(1, rules.MAX_FEE_MINOR)


@given(royalty_rates, net_sales)
def test_the_royalty_is_rate_times_base_within_half_a_fen(rate: int, sales: int) -> None:
    due = rules.royalty_due(FeeTerms(FeeKind.ROYALTY, royalty_bp=rate), sales)
    assert isinstance(due, int)
    # |due − sales × rate / 10 000| ≤ ½ 分, checked in integers: never a float.
    assert abs(due * 10_000 - sales * rate) * 2 <= 10_000


@given(royalty_rates, net_sales, net_sales)
def test_the_royalty_never_falls_when_sales_rise(rate: int, a: int, b: int) -> None:
    terms = FeeTerms(FeeKind.ROYALTY, royalty_bp=rate)
    low, high = sorted((a, b))
    assert rules.royalty_due(terms, low) <= rules.royalty_due(terms, high)


def test_royalty_rounding_is_half_up_to_the_fen() -> None:
    terms = FeeTerms(FeeKind.ROYALTY, royalty_bp=250)  # 2.5 %
    assert rules.royalty_due(terms, 10) == 0  # 0.25 分
    assert rules.royalty_due(terms, 20) == 1  # 0.5 分 → 1
    assert rules.royalty_due(terms, 1_000_000) == 25_000


def test_negative_net_sales_are_refused() -> None:
    with pytest.raises(ValidationFailed):
        rules.royalty_due(FeeTerms(FeeKind.ROYALTY, royalty_bp=100), -1)


@given(fees, royalty_rates)
def test_the_notice_pays_the_lump_sum_or_the_entry_fee_and_never_a_royalty(
    fee: int, rate: int
) -> None:
    assert (
        rules.due_on_notice(rules.check_fee_terms(FeeTerms(FeeKind.LUMP_SUM, lump_sum_minor=fee)))
        == fee
    )
    entry = FeeTerms(FeeKind.ENTRY_PLUS_ROYALTY, entry_fee_minor=fee, royalty_bp=rate)
    assert rules.due_on_notice(rules.check_fee_terms(entry)) == fee
    assert (
        rules.due_on_notice(rules.check_fee_terms(FeeTerms(FeeKind.ROYALTY, royalty_bp=rate))) == 0
    )


def test_the_terms_keep_only_the_amounts_their_kind_uses() -> None:
    checked = rules.check_fee_terms(FeeTerms(FeeKind.ROYALTY, lump_sum_minor=5, entry_fee_minor=7, royalty_bp=300))  # fmt: skip
    assert checked == FeeTerms(FeeKind.ROYALTY, royalty_bp=300)


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        (FeeTerms(FeeKind.LUMP_SUM), "lump_sum"),
        (FeeTerms(FeeKind.LUMP_SUM, lump_sum_minor=0), "lump_sum"),
        (FeeTerms(FeeKind.LUMP_SUM, lump_sum_minor=rules.MAX_FEE_MINOR + 1), "lump_sum"),
        (FeeTerms(FeeKind.ROYALTY, royalty_bp=0), "royalty"),
        (FeeTerms(FeeKind.ROYALTY, royalty_bp=rules.MAX_ROYALTY_BP + 1), "royalty"),
        (FeeTerms(FeeKind.ENTRY_PLUS_ROYALTY, royalty_bp=300), "entry_fee"),
    ],
)
def test_incomplete_or_excessive_terms_are_refused_on_their_field(
    terms: FeeTerms, field: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        rules.check_fee_terms(terms)
    assert refused.value.field == field


@given(st.sampled_from(sorted(rules.MAX_TERM_YEARS)), st.integers(-5, 40))
def test_a_term_is_one_year_up_to_the_patents_protection(kind: str, years: int) -> None:
    if 1 <= years <= rules.MAX_TERM_YEARS[kind]:
        assert rules.check_term_years(years, kind) == years
    else:
        with pytest.raises(ValidationFailed):
            rules.check_term_years(years, kind)


@given(st.dates(date(2000, 1, 1), date(2080, 12, 31)), st.integers(1, 20))
def test_a_licence_ends_the_day_before_its_anniversary(start: date, years: int) -> None:
    anniversary = rules.licence_end(start, years) + timedelta(days=1)
    assert anniversary.year == start.year + years
    same_day = (anniversary.month, anniversary.day) == (start.month, start.day)
    assert same_day or (
        (start.month, start.day) == (2, 29) and anniversary == date(anniversary.year, 2, 28)
    )


@pytest.mark.parametrize(
    ("number", "kind"),
    [("201510123456.1", "invention"), ("201920123456.9", "utility_model"), ("202030123456.0", "design"), ("98212345.6", "utility_model")],
)  # fmt: skip
def test_the_patents_type_is_read_from_the_type_digit(number: str, kind: str) -> None:
    assert rules.patent_type(number) == kind
    assert rules.needs_evaluation_report(kind) == (kind != "invention")


def test_a_number_that_is_not_a_cn_application_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        rules.patent_type("US10123456B2")


@given(st.sampled_from(list(LicenceKind)), st.booleans())
def test_only_ordinary_licences_while_an_open_licence_stands(
    kind: LicenceKind, standing: bool
) -> None:
    if standing and kind != LicenceKind.ORDINARY:
        with pytest.raises(OpenLicenceError) as refused:
            rules.check_licence_kind(kind, standing)
        assert refused.value.code == "open_licence_standing"
    else:
        rules.check_licence_kind(kind, standing)


def test_the_patentee_cannot_take_its_own_open_licence_nor_an_unpublished_one() -> None:
    with pytest.raises(PermissionDenied):
        rules.check_may_take(rules.DeclarationStatus.PUBLISHED, 3, 3)
    with pytest.raises(OpenLicenceError):
        rules.check_may_take(rules.DeclarationStatus.WITHDRAWN, 4, 3)
    rules.check_may_take(rules.DeclarationStatus.PUBLISHED, 4, 3)


def test_licence_numbers_name_the_year_and_the_record() -> None:
    assert rules.licence_number(42, 2026) == "OL-2026-000042"
