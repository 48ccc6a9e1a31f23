"""The registration form's fields: what a registration office would refuse, refused here."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain import ValidationFailed
from deals.registration_rules import (
    RegistrationDetails,
    check_details,
    normalise_certificate_number,
)
from deals.rules import ContractType

DETAILS = RegistrationDetails(
    contract_number="HT-2026-001",
    project_name="高镍正极材料专利权转让",
    contract_subtype="patent_right",
    technology_field="energy",
    seller_region_code="310104",
    buyer_region_code="350902",
    term_start=date(2026, 2, 1),
    term_end=date(2028, 1, 31),
    transaction_amount_minor=40_000_000,
    payment_method="instalments",
)


def _check(details: RegistrationDetails, amount: int = 50_000_000) -> None:
    check_details(
        details,
        contract_type=ContractType.TRANSFER,
        contract_amount_minor=amount,
        fields=frozenset({"energy"}),
    )


def test_a_complete_form_passes() -> None:
    _check(DETAILS)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"contract_number": ""}, "contract_number"),
        ({"contract_number": "x" * 65}, "contract_number"),
        ({"contract_number": "=HYPERLINK()"}, "contract_number"),
        ({"contract_subtype": "consulting"}, "contract_subtype"),  # not a transfer's sub-type
        ({"technology_field": "astrology"}, "technology_field"),
        ({"seller_region_code": "31010"}, "seller_region_code"),
        ({"buyer_region_code": "990000"}, "buyer_region_code"),  # no such province
        ({"term_end": date(2026, 1, 31)}, "term_end"),
        ({"term_end": date(2080, 1, 1)}, "term_end"),
        ({"transaction_amount_minor": 0}, "transaction_amount"),
        ({"transaction_amount_minor": 50_000_001}, "transaction_amount"),
        ({"payment_method": "barter"}, "payment_method"),
    ],
)
def test_each_field_the_office_would_refuse_is_named(change: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _check(replace(DETAILS, **change))
    assert refused.value.field == field


@given(st.integers(1, 10**14), st.integers(1, 10**14))
def test_the_transaction_amount_is_never_accepted_above_the_contract_amount(
    transaction: int, contract: int
) -> None:
    details = replace(DETAILS, transaction_amount_minor=transaction)
    if transaction <= contract:
        _check(details, contract)
    else:
        with pytest.raises(ValidationFailed):
            _check(details, contract)


def test_certificate_numbers_are_kept_as_printed_without_spaces() -> None:
    assert normalise_certificate_number(" 2026 3101 0400 0123 ") == "2026310104000123"
    for bad in ("", "   ", "x" * 65, "=1+1"):
        with pytest.raises(ValidationFailed):
            normalise_certificate_number(bad)
