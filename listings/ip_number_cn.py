"""Chinese application and publication numbers: shapes, patent types, the check character.

Pure: no database, no Flask.
"""

from __future__ import annotations

import re

from core.domain import N_
from listings.ip_number_base import full_match, invalid, wrong_shape

CN_APPLICATION_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
# The type digit of a CN application number.
CN_PATENT_TYPES: dict[str, str] = {
    "1": "invention",
    "2": "utility model",
    "3": "design",
    "8": "PCT invention entering China",
    "9": "PCT utility model entering China",
}
CN_FIRST_YEAR = 1985  # the Patent Law took effect on 1 April 1985
# CN publication kind codes by the first of the 9 digits: 1 invention, 2 utility, 3 design.
CN_PUBLICATION_KINDS: dict[str, frozenset[str]] = {
    "1": frozenset("ABC"),
    "2": frozenset("UY"),
    "3": frozenset("SD"),
}


def check_character_cn(digits: str) -> str:
    """The check character of a CN application: Σ digit × weight mod 11, 10 written X.

    `digits` is the 12-digit body (weights 2,3,4,5,6,7,8,9,2,3,4,5) or the 8-digit body of
    the format used before October 2003 (weights 2..9).
    """
    if len(digits) not in (8, 12) or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"need 8 or 12 digits, got {digits!r}")
    total = sum(int(d) * w for d, w in zip(digits, CN_APPLICATION_WEIGHTS, strict=False))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


# --- CN application ------------------------------------------------------------------

_CN_APP_SHAPE = re.compile(r"(?P<body>[0-9]{12}|[0-9]{8})(?:\.?(?P<check>[0-9X]))?\.?")
_CN_APP_LOOKS = N_(
    "A CN application number has 12 digits, a dot and a check character, like 201510123456.1."
)


def normalise_cn_application(text: str, cleaned: str) -> str:
    """The canonical CN application number (``201510123456.1``), or why `text` is not one.

    `cleaned` is `text` as `ip_number_base.clean` leaves it.
    """
    body_text = cleaned.removeprefix("ZL").removeprefix("CN")
    match = full_match(_CN_APP_SHAPE, body_text, text, _CN_APP_LOOKS)
    body, check = match["body"], match["check"]
    if len(body) == 12:
        year, type_digit = int(body[:4]), body[4]
        if year < CN_FIRST_YEAR:
            raise invalid(
                N_(
                    "CN application %(number)s is dated %(year)s, but Chinese patent "
                    "applications start in 1985."
                ),
                body,
                year=year,
            )
        position = N_("fifth")
    else:
        year_2, type_digit = int(body[:2]), body[2]
        if 4 <= year_2 < 85:
            raise wrong_shape(
                N_(
                    "CN application %(number)s has 8 digits, a format used from 1985 to 2003, "
                    "but its year %(year)s is outside that range."
                ),
                body,
                year=f"{year_2:02d}",
            )
        position = N_("third")
    if type_digit not in CN_PATENT_TYPES:
        raise wrong_shape(
            N_(
                "Unknown patent type %(type)s: the %(position)s digit of a CN application "
                "number is 1 (invention), 2 (utility model), 3 (design), 8 or 9 (PCT entering "
                "China)."
            ),
            text,
            type=type_digit,
            position=position,
        )
    expected = check_character_cn(body)
    if check is None:
        raise invalid(
            N_(
                "CN application %(number)s lacks its check character: it should end "
                "in .%(expected)s."
            ),
            body,
            expected=expected,
        )
    if check != expected:
        raise invalid(
            N_("The check character of CN application %(number)s should be %(expected)s."),
            f"{body}.{check}",
            expected=expected,
        )
    return f"{body}.{check}"


# --- CN publication ------------------------------------------------------------------

_CN_PUB_SHAPE = re.compile(r"(?:CN)?(?P<digits>[0-9]+)(?P<kind>[A-Z][0-9]?)?")


def normalise_cn_publication(text: str, cleaned: str) -> str:
    """The canonical CN publication number (``CN105123456A``), or why `text` is not one.

    `cleaned` is `text` as `ip_number_base.clean` leaves it.
    """
    match = _CN_PUB_SHAPE.fullmatch(cleaned)
    if match is None or len(match["digits"]) != 9:
        raise wrong_shape(
            N_("A CN publication number has CN, 9 digits and a kind letter, like CN105123456A."),
            text,
        )
    digits, kind = match["digits"], match["kind"]
    if kind is None:
        raise invalid(
            N_(
                "CN publication %(number)s lacks its kind letter (A, B, C, U, Y, S or D) at the "
                "end."
            ),
            f"CN{digits}",
        )
    if kind not in {"A", "B", "C", "U", "Y", "S", "D"}:
        raise invalid(
            N_("Unknown kind code %(kind)s: a CN publication ends in A, B, C, U, Y, S or D."),
            text,
            kind=kind,
        )
    allowed = CN_PUBLICATION_KINDS.get(digits[0])
    if allowed is None:
        raise invalid(
            N_(
                "CN publication %(number)s cannot exist: the first of its 9 digits is 1 "
                "(invention), 2 (utility model) or 3 (design)."
            ),
            f"CN{digits}{kind}",
        )
    if kind not in allowed:
        raise invalid(
            N_(
                "CN publication %(number)s mixes types: numbers starting with 1 are inventions "
                "(A, B, C), with 2 utility models (U, Y), with 3 designs (S, D)."
            ),
            f"CN{digits}{kind}",
        )
    return f"CN{digits}{kind}"
