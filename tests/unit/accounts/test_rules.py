"""Unified social credit codes (GB 32100-2015) and password strength."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.rules import (
    CREDIT_CODE_ALPHABET,
    REGISTRATION_AUTHORITIES,
    InvalidCreditCode,
    WeakPassword,
    check_password_strength,
    credit_code_check_char,
    make_credit_code,
    normalise_credit_code,
)
from core.domain import ValidationFailed

# Real-looking codes whose check characters were verified by hand against the standard.
VALID_CODES = [
    "91350100M000100Y43",  # enterprise, Fuzhou
    "91440300708461136T",  # enterprise, Shenzhen
    "91110108551385082Q",  # enterprise, Beijing Haidian
    "91110000100011743X",  # enterprise, Beijing
    "12100000400000624D",  # public institution (事业单位), central level
]


def credit_message(text: str) -> str:
    with pytest.raises(InvalidCreditCode) as caught:
        normalise_credit_code(text)
    assert caught.value.code == "invalid_credit_code"
    assert caught.value.field == "credit_code"
    return caught.value.text()


@pytest.mark.parametrize("code", VALID_CODES)
def test_real_credit_codes_are_valid(code: str) -> None:
    assert normalise_credit_code(code) == code
    assert credit_code_check_char(code[:17]) == code[17]


def test_credit_code_is_stripped_upper_cased_and_made_half_width() -> None:
    assert normalise_credit_code("  9135 0100 m000 100y 43 ") == "91350100M000100Y43"
    assert normalise_credit_code("９１３５０１００Ｍ０００１００Ｙ４３") == "91350100M000100Y43"


def test_wrong_check_character_names_the_expected_one() -> None:
    assert credit_message("911100001011103398") == (
        "The check character of credit code 911100001011103398 should be A."
    )


def test_check_of_thirty_one_is_written_zero() -> None:
    # Σ mod 31 = 0 would give 31 − 0 = 31, which the standard writes as 0.
    assert credit_code_check_char("0" * 17) == "0"


def test_wrong_length_is_reported_with_the_length() -> None:
    assert credit_message("91350100M000100Y4") == (
        "A unified social credit code has 18 characters; 91350100M000100Y4 has 17."
    )


def test_empty_credit_code_is_rejected() -> None:
    assert credit_message("  ") == "Give the unified social credit code (18 characters)."


@pytest.mark.parametrize(("char", "suggestion"), [("O", "0"), ("I", "1"), ("S", "5")])
def test_letters_never_used_suggest_their_lookalike(char: str, suggestion: str) -> None:
    code = "91350100M" + char + "00100Y43"
    assert f"did you mean {suggestion}?" in credit_message(code)


def test_punctuation_is_rejected_with_its_position() -> None:
    assert credit_message("91350100M000-00Y43").startswith("Character 13 of")


def test_unknown_registration_authority_is_rejected() -> None:
    code = make_credit_code("B1350100M000100Y4")
    assert "registration authority" in credit_message(code)


def test_administrative_division_must_be_digits() -> None:
    code = make_credit_code("9135A100M000100Y4")
    assert "administrative division" in credit_message(code)


def test_make_credit_code_appends_the_check_character() -> None:
    assert make_credit_code("91350100m000100y4") == "91350100M000100Y43"


def test_check_char_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        credit_code_check_char("91350100M000100Y")
    with pytest.raises(ValueError):
        credit_code_check_char("91350100M000100O4")


credit_bodies = st.builds(
    lambda authority, kind, division, rest: authority + kind + division + rest,
    st.sampled_from(sorted(REGISTRATION_AUTHORITIES)),
    st.sampled_from(CREDIT_CODE_ALPHABET),
    st.from_regex(r"\A[0-9]{6}\Z"),
    st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=9, max_size=9),
)


@given(credit_bodies)
def test_generated_credit_codes_normalise_to_themselves(body: str) -> None:
    code = make_credit_code(body)
    assert normalise_credit_code(code) == code
    assert normalise_credit_code(f" {code.lower()} ") == code


@given(credit_bodies, st.sampled_from(CREDIT_CODE_ALPHABET))
def test_any_other_check_character_is_rejected(body: str, wrong: str) -> None:
    if wrong == credit_code_check_char(body):
        return
    with pytest.raises(InvalidCreditCode, match="should be"):
        normalise_credit_code(body + wrong)


@given(credit_bodies, st.data())
def test_any_single_character_change_is_caught(body: str, data: st.DataObject) -> None:
    code = make_credit_code(body)
    position = data.draw(st.integers(0, 16))
    char = data.draw(st.sampled_from(CREDIT_CODE_ALPHABET).filter(lambda c: c != code[position]))
    with pytest.raises(InvalidCreditCode):
        normalise_credit_code(code[:position] + char + code[position + 1 :])


# --- passwords ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["correct horse battery", "Tr0ub4dor&3x", "kejichengguo-2024", "技术转移Market"]
)
def test_long_mixed_uncommon_passwords_pass(password: str) -> None:
    check_password_strength(password)


def password_message(password: str) -> str:
    with pytest.raises(WeakPassword) as caught:
        check_password_strength(password)
    assert isinstance(caught.value, ValidationFailed)
    assert caught.value.field == "password"
    return caught.value.text()


def test_short_password_is_rejected() -> None:
    assert password_message("Ab3$efgh9") == "Use at least 10 characters for your password."


@pytest.mark.parametrize(
    "password", ["abcdefghijkl", "ABCDEFGHIJKL", "12345678901", "!!!!!!!!!!!!"]
)
def test_one_kind_of_character_is_rejected(password: str) -> None:
    assert password_message(password).startswith("Mix at least two kinds of character")


@pytest.mark.parametrize(
    "password", ["Password123!", "P@ssw0rd2024", "1qaz2wsx3edc", "woaini1314!!", "Qwertyuiop1"]
)
def test_common_passwords_with_padding_are_rejected(password: str) -> None:
    assert "most common" in password_message(password)


@pytest.mark.parametrize(
    "password", ["Liverpool2024!", "Starwars1977", "Michelle-1990", "Q1w2e3r4t5"]
)
def test_passwords_of_the_bundled_common_list_are_rejected(password: str) -> None:
    assert "most common" in password_message(password)


def test_a_password_over_128_characters_is_rejected_and_128_pass() -> None:
    check_password_strength("Ab3-" + "x" * 124)
    assert password_message("Ab3-" + "x" * 125) == ("Use at most 128 characters for your password.")
