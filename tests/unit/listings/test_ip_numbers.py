"""Patent numbers: the examples of DOMAIN.md, the messages people see, check-character maths."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from listings.ip_number_base import InvalidIPNumber
from listings.ip_number_cn import check_character_cn
from listings.ip_number_intl import check_digit_ep
from listings.ip_numbers import cn_patent_number, detect_kind, normalise_ip_number
from listings.rules import IPKind

CN = IPKind.CN_APPLICATION
CHECK_CHARS = "0123456789X"


def message(kind: IPKind, text: str) -> str:
    with pytest.raises(InvalidIPNumber) as caught:
        normalise_ip_number(kind, text)
    assert caught.value.code == "invalid_ip_number"
    assert caught.value.field == "number"
    return caught.value.text()


# --- CN application -----------------------------------------------------------------


@pytest.mark.parametrize("number", ["201510123456.1", "201610920041.1", "200710308494.X"])
def test_domain_examples_of_cn_applications_are_valid(number: str) -> None:
    assert normalise_ip_number(CN, number) == number


def test_check_character_of_domain_examples() -> None:
    assert check_character_cn("201510123456") == "1"
    assert check_character_cn("201610920041") == "1"
    assert check_character_cn("200710308494") == "X"


@pytest.mark.parametrize(
    "text",
    [
        "ZL201510123456.1",
        "ZL 2015 1 0123456.1",
        "zl201510123456.1",
        "CN201510123456.1",
        "201510123456 . 1",
        "２０１５１０１２３４５６．１",
        "201510123456。1",
        "2015101234561",
    ],
)
def test_cn_application_decorations_are_forgiven(text: str) -> None:
    assert normalise_ip_number(CN, text) == "201510123456.1"


def test_lower_case_x_check_character_is_written_upper_case() -> None:
    assert normalise_ip_number(CN, "ZL200710308494.x") == "200710308494.X"


def test_wrong_cn_check_character_names_the_right_one() -> None:
    assert message(CN, "201510123456.X") == (
        "The check character of CN application 201510123456.X should be 1."
    )


def test_missing_cn_check_character_is_named() -> None:
    assert message(CN, "201510123456") == (
        "CN application 201510123456 lacks its check character: it should end in .1."
    )


def test_cn_application_of_wrong_length_shows_the_format() -> None:
    assert message(CN, "20151012345.1") == (
        "A CN application number has 12 digits, a dot and a check character, like 201510123456.1."
    )


def test_unknown_cn_patent_type_is_named() -> None:
    text = message(CN, "201540123456.1")
    assert text.startswith("Unknown patent type 4: the fifth digit")


def test_cn_application_before_1985_is_rejected() -> None:
    body = "198410123456"
    text = message(CN, f"{body}.{check_character_cn(body)}")
    assert "1984" in text and "1985" in text


def test_old_format_cn_application_uses_weights_two_to_nine() -> None:
    body = "99103418"
    check = check_character_cn(body)
    assert check == "X"  # 9·2+9·3+1·4+0·5+3·6+4·7+1·8+8·9 = 175 = 15·11 + 10
    assert normalise_ip_number(CN, f"ZL{body}.x") == "99103418.X"


def test_old_format_cn_application_outside_1985_2003_is_rejected() -> None:
    body = "50103418"
    assert "1985 to 2003" in message(CN, f"{body}.{check_character_cn(body)}")


def test_patent_number_is_zl_and_the_application_number() -> None:
    assert cn_patent_number("2015 1 0123456.1") == "ZL201510123456.1"


def test_publication_number_chosen_as_application_says_which_kind_it_is() -> None:
    assert message(CN, "CN105123456A") == (
        "CN105123456A is not valid as a number of type CN application, "
        "but it is a valid CN publication number: choose that type."
    )


def test_ep_number_chosen_as_cn_application_says_it_is_ep() -> None:
    assert "valid EP number" in message(CN, "99403122.7")


def test_empty_number_is_rejected() -> None:
    assert message(CN, "   ") == "Give the CN application number."


def test_check_character_rejects_bad_bodies() -> None:
    with pytest.raises(ValueError):
        check_character_cn("2015101234")
    with pytest.raises(ValueError):
        check_character_cn("20151012345X")


# --- CN publication -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("CN 105123456 A", "CN105123456A"),
        ("cn105123456b", "CN105123456B"),
        ("CN205123456U", "CN205123456U"),
        ("CN 305123456 S", "CN305123456S"),
        ("105123456A", "CN105123456A"),
    ],
)
def test_cn_publications_normalise(text: str, canonical: str) -> None:
    assert normalise_ip_number(IPKind.CN_PUBLICATION, text) == canonical


def test_cn_publication_needs_its_kind_letter() -> None:
    assert message(IPKind.CN_PUBLICATION, "CN105123456") == (
        "CN publication CN105123456 lacks its kind letter (A, B, C, U, Y, S or D) at the end."
    )


def test_cn_publication_with_unknown_kind_is_rejected() -> None:
    assert message(IPKind.CN_PUBLICATION, "CN105123456Q").startswith("Unknown kind code Q")


def test_cn_publication_kind_must_match_its_type_digit() -> None:
    assert "mixes types" in message(IPKind.CN_PUBLICATION, "CN205123456A")


def test_cn_publication_needs_nine_digits() -> None:
    assert "9 digits" in message(IPKind.CN_PUBLICATION, "CN10512345A")


# --- US -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("US 10,123,456 B2", "US10123456B2"),
        ("10123456", "US10123456"),
        ("US 6,123,456 B1", "US6123456B1"),
        ("US 5,123,456 A", "US5123456A"),
        ("D912,345 S", "USD912345S"),
        ("US D912345", "USD912345"),
        ("PP 12,345 P3", "USPP12345P3"),
        ("RE45,678 E", "USRE45678E"),
        ("US 2019/0123456 A1", "US20190123456A1"),
        ("US20190123456A1", "US20190123456A1"),
        ("us 2019-0123456", "US20190123456"),
    ],
)
def test_us_numbers_normalise(text: str, canonical: str) -> None:
    assert normalise_ip_number(IPKind.US, text) == canonical


def test_us_kind_code_must_fit_the_series() -> None:
    assert message(IPKind.US, "US10123456S") == (
        "Kind code S does not go with a US utility patent; use A, B1, B2."
    )
    assert "design patent" in message(IPKind.US, "USD912345B2")


def test_us_number_has_at_most_eight_digits() -> None:
    assert "up to 8 digits" in message(IPKind.US, "US123456789")


def test_us_commas_must_group_three_digits() -> None:
    assert "commas" in message(IPKind.US, "US 10,12,3456")


def test_us_publication_before_2001_is_rejected() -> None:
    assert "since 2001" in message(IPKind.US, "US 1999/0123456 A1")


def test_us_application_serial_number_is_recognised() -> None:
    assert "application serial number" in message(IPKind.US, "16/123,456")


# --- EP -----------------------------------------------------------------------------


def test_domain_example_ep_application_is_valid() -> None:
    assert check_digit_ep("99403122") == 7
    assert normalise_ip_number(IPKind.EP, "99403122.7") == "99403122.7"
    assert normalise_ip_number(IPKind.EP, "EP 99 403 122.7") == "99403122.7"


def test_wrong_ep_check_digit_names_the_right_one() -> None:
    assert message(IPKind.EP, "EP99403122.3") == (
        "The check digit of EP application 99403122.3 should be 7."
    )


def test_missing_ep_check_digit_is_named() -> None:
    assert message(IPKind.EP, "99403122") == (
        "EP application 99403122 lacks its check digit: it should end in .7."
    )


def test_ep_publication_normalises() -> None:
    assert normalise_ip_number(IPKind.EP, "EP 1234567 A1") == "EP1234567A1"
    assert normalise_ip_number(IPKind.EP, "ep1234567") == "EP1234567"


def test_ep_publication_with_unknown_kind_is_rejected() -> None:
    assert message(IPKind.EP, "EP1234567U").startswith("Unknown kind code U")


# --- PCT and WO ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["PCT/CN2019/123456", "pct/cn2019/123456", "PCT / CN 2019 / 123456", "PCTCN2019123456"]
)
def test_pct_numbers_normalise(text: str) -> None:
    assert normalise_ip_number(IPKind.PCT, text) == "PCT/CN2019/123456"


def test_pct_old_two_digit_year_is_explained() -> None:
    assert "PCT/CN2019/123456" in message(IPKind.PCT, "PCT/CN99/12345")


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("WO 2019/123456", "WO2019/123456"),
        ("WO2019123456", "WO2019/123456"),
        ("WO 2019/123456 A1", "WO2019/123456A1"),
        ("wo2019/123456a2", "WO2019/123456A2"),
    ],
)
def test_wo_numbers_normalise(text: str, canonical: str) -> None:
    assert normalise_ip_number(IPKind.WO, text) == canonical


def test_wo_with_unknown_kind_is_rejected() -> None:
    assert message(IPKind.WO, "WO2019/123456B1").startswith("Unknown kind code B1")


def test_kind_may_be_given_as_its_value() -> None:
    assert normalise_ip_number("wo", "WO 2019/123456") == "WO2019/123456"


# --- detection ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("201510123456.1", IPKind.CN_APPLICATION),
        ("201510123456.X", IPKind.CN_APPLICATION),
        ("ZL 2015 1 0123456.1", IPKind.CN_APPLICATION),
        ("99103418.X", IPKind.CN_APPLICATION),
        ("CN 105123456 A", IPKind.CN_PUBLICATION),
        ("US 10,123,456 B2", IPKind.US),
        ("10,123,456", IPKind.US),
        ("D912,345", IPKind.US),
        ("US 2019/0123456 A1", IPKind.US),
        ("99403122.7", IPKind.EP),
        ("EP 1234567 A1", IPKind.EP),
        ("PCT/CN2019/123456", IPKind.PCT),
        ("WO 2019/123456 A1", IPKind.WO),
    ],
)
def test_detect_kind_guesses_from_shape(text: str, kind: IPKind) -> None:
    assert detect_kind(text) == kind


@pytest.mark.parametrize("text", ["", "   ", "hello", "12-34"])
def test_detect_kind_gives_up_on_nonsense(text: str) -> None:
    assert detect_kind(text) is None


# --- properties ---------------------------------------------------------------------

cn_bodies = st.one_of(
    st.builds(
        lambda year, kind, serial: f"{year}{kind}{serial:07d}",
        st.integers(1985, 2099),
        st.sampled_from("12389"),
        st.integers(0, 9_999_999),
    ),
    st.builds(
        lambda year, kind, serial: f"{year:02d}{kind}{serial:05d}",
        st.sampled_from([*range(85, 100), *range(4)]),
        st.sampled_from("12389"),
        st.integers(0, 99_999),
    ),
)
ep_bodies = st.from_regex(r"\A[0-9]{8}\Z")


@given(cn_bodies)
def test_valid_cn_applications_normalise_to_themselves(body: str) -> None:
    number = f"{body}.{check_character_cn(body)}"
    assert normalise_ip_number(CN, number) == number
    assert normalise_ip_number(CN, f"ZL {number.lower()}") == number
    assert detect_kind(number) in {IPKind.CN_APPLICATION, IPKind.EP}


@given(cn_bodies, st.sampled_from(CHECK_CHARS))
def test_any_other_cn_check_character_is_rejected(body: str, wrong: str) -> None:
    if wrong == check_character_cn(body):
        return
    with pytest.raises(InvalidIPNumber):
        normalise_ip_number(CN, f"{body}.{wrong}")


@given(cn_bodies, st.data())
def test_any_single_digit_change_in_a_cn_application_is_caught(
    body: str, data: st.DataObject
) -> None:
    check = check_character_cn(body)
    position = data.draw(st.integers(0, len(body) - 1))
    digit = data.draw(st.sampled_from("0123456789").filter(lambda d: d != body[position]))
    changed = body[:position] + digit + body[position + 1 :]
    with pytest.raises(InvalidIPNumber):
        normalise_ip_number(CN, f"{changed}.{check}")


@given(ep_bodies)
def test_valid_ep_applications_normalise_to_themselves(body: str) -> None:
    number = f"{body}.{check_digit_ep(body)}"
    assert normalise_ip_number(IPKind.EP, number) == number
    assert normalise_ip_number(IPKind.EP, f"EP {number}") == number


@given(ep_bodies, st.integers(0, 9))
def test_any_other_ep_check_digit_is_rejected(body: str, wrong: int) -> None:
    if wrong == check_digit_ep(body):
        return
    with pytest.raises(InvalidIPNumber):
        normalise_ip_number(IPKind.EP, f"{body}.{wrong}")


@given(ep_bodies, st.data())
def test_any_single_digit_change_in_an_ep_application_is_caught(
    body: str, data: st.DataObject
) -> None:
    check = check_digit_ep(body)
    position = data.draw(st.integers(0, 7))
    digit = data.draw(st.sampled_from("0123456789").filter(lambda d: d != body[position]))
    changed = body[:position] + digit + body[position + 1 :]
    with pytest.raises(InvalidIPNumber):
        normalise_ip_number(IPKind.EP, f"{changed}.{check}")


@given(st.sampled_from(list(IPKind)), st.text(max_size=30))
def test_normalising_never_fails_except_with_invalid_ip_number(kind: IPKind, text: str) -> None:
    try:
        canonical = normalise_ip_number(kind, text)
    except InvalidIPNumber as error:
        assert error.text()
    else:
        assert normalise_ip_number(kind, canonical) == canonical


def test_digits_of_other_scripts_are_refused_cleanly() -> None:
    message(CN, "२०१५१०१२३४५६.१")
