"""Registration numbers of organisations abroad: each country's format, and its check digit
where one is published."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from accounts.foreign_registration import (
    check,
    germany_check_digit,
    japan_check_digit,
    korea_check_digit,
    luhn_valid,
)
from core.domain import ValidationFailed

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@pytest.mark.parametrize(
    ("country", "written", "stored"),
    [
        ("JP", "1180-3010-18771", "1180301018771"),  # a corporate number (法人番号)
        ("KR", "124-81-00998", "1248100998"),  # a business registration number
        ("US", "12-3456789", "123456789"),  # an EIN
        ("DE", "DE 136 695 976", "DE136695976"),  # a VAT number with its check digit
        ("IT", "IT00743110157", "IT00743110157"),
        ("FR", "FR40303265045", "FR40303265045"),
        ("NL", "NL123456789B01", "NL123456789B01"),
        ("GB", "SC123456", "SC123456"),  # Companies House
        ("HK", "12345678", "12345678"),
        ("SG", "201912345K", "201912345K"),  # no rule here: the reviewer reads the documents
    ],
)
def test_real_numbers_are_accepted_in_their_stored_form(
    country: str, written: str, stored: str
) -> None:
    assert check(country, written) == stored


@pytest.mark.parametrize(
    ("country", "number"),
    [
        ("JP", "2180301018771"),  # wrong check digit
        ("KR", "1248100997"),
        ("US", "07-3456789"),  # 07 is not an IRS prefix
        ("DE", "DE136695977"),
        ("IT", "IT00743110158"),
        ("NL", "NL123456789"),
        ("GB", "1234567"),
        ("SG", "?"),
    ],
)
def test_wrong_numbers_are_refused_naming_the_field(country: str, number: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check(country, number)
    assert refused.value.field == "registration_number"


def test_a_chinese_organisation_gives_its_credit_code_instead() -> None:
    with pytest.raises(ValidationFailed) as refused:
        check("CN", "91420100MA4K1234X5")
    assert refused.value.field == "country"


def _one_digit_changed(number: str, position: int, digit: str) -> str:
    return number[:position] + digit + number[position + 1 :]


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(0, 11), digits)
def test_japan_a_changed_digit_is_caught(base: str, position: int, digit: str) -> None:
    number = f"{japan_check_digit(base)}{base}"
    assert check("JP", number) == number
    changed = _one_digit_changed(base, position, digit)
    # Σ Pn·Qn mod 9 cannot tell 0 from 9: the one change the rule lets through.
    assume(changed != base and {base[position], digit} != {"0", "9"})
    with pytest.raises(ValidationFailed):
        check("JP", f"{japan_check_digit(base)}{changed}")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.integers(0, 7), digits)
def test_korea_a_changed_digit_is_caught(first9: str, position: int, digit: str) -> None:
    number = f"{first9}{korea_check_digit(first9)}"
    assert check("KR", number) == number
    assume(first9[position] != digit)
    with pytest.raises(ValidationFailed):
        check("KR", _one_digit_changed(number, position, digit))


@given(st.text(alphabet="0123456789", min_size=8, max_size=8), st.integers(0, 8), digits)
def test_germany_a_changed_digit_is_caught(first8: str, position: int, digit: str) -> None:
    number = f"{first8}{germany_check_digit(first8)}"
    assert check("DE", number) == f"DE{number}"
    assume(number[position] != digit)
    with pytest.raises(ValidationFailed):
        check("DE", _one_digit_changed(number, position, digit))


@given(st.text(alphabet="0123456789", min_size=10, max_size=10), digits)
def test_italy_luhn_takes_exactly_one_last_digit(first10: str, last: str) -> None:
    valid = [d for d in "0123456789" if luhn_valid(first10 + d)]
    assert len(valid) == 1
    assert luhn_valid(first10 + last) == (last == valid[0])
