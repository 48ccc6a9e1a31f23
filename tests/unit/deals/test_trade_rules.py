"""Technology import and export rules: which deals cross the border, what may be signed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain import ValidationFailed
from deals.trade_rules import (
    CheckOutcome,
    TechCategory,
    TradeDetails,
    TradeDirection,
    TradeRuleBroken,
    check_details,
    check_may_sign,
    check_outcome,
    direction,
)

COUNTRIES = st.sampled_from(["CN", "US", "DE", "JP", "HK", None])


def test_a_seller_in_china_exports_and_a_buyer_in_china_imports() -> None:
    assert direction(None, "DE") == TradeDirection.EXPORT
    assert direction("US", "CN") == TradeDirection.IMPORT
    assert direction("HK", None) == TradeDirection.IMPORT  # 境外, as the registration counts it
    assert direction(None, "CN") is None
    assert direction("US", "DE") is None  # neither party in China


@given(COUNTRIES, COUNTRIES)
def test_swapping_the_parties_turns_an_export_into_an_import(a: str | None, b: str | None) -> None:
    there, back = direction(a, b), direction(b, a)
    assert (there is None) == (back is None)
    if there is not None:
        assert {there, back} == {TradeDirection.EXPORT, TradeDirection.IMPORT}


def test_a_restricted_technology_is_signed_only_with_its_licence() -> None:
    with pytest.raises(TradeRuleBroken) as refused:
        check_may_sign(TechCategory.RESTRICTED, None)
    assert refused.value.code == "licence_required"
    check_may_sign(TechCategory.RESTRICTED, "2026-LIC-001")
    with pytest.raises(TradeRuleBroken):
        check_may_sign(TechCategory.PROHIBITED, "2026-LIC-001")
    check_may_sign(TechCategory.FREE, None)
    check_may_sign(None, None)  # no record yet


def test_the_check_records_what_the_category_allows() -> None:
    assert check_outcome(TechCategory.FREE, None) == CheckOutcome.CLEARED
    assert check_outcome(TechCategory.RESTRICTED, None) == CheckOutcome.LICENCE_REQUIRED
    assert check_outcome(TechCategory.RESTRICTED, "L-1") == CheckOutcome.CLEARED
    assert check_outcome(TechCategory.PROHIBITED, "L-1") == CheckOutcome.PROHIBITED


def test_a_restricted_technology_names_its_catalogue_entry() -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_details(TradeDetails(TechCategory.RESTRICTED, "", 100, "on signing"))
    assert refused.value.field == "catalogue_ref"
    with pytest.raises(ValidationFailed):
        check_details(TradeDetails(TechCategory.FREE, "", 100, "  "))
    check_details(TradeDetails(TechCategory.RESTRICTED, "053101X", 100, "on signing"))
