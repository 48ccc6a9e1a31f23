"""Patent numbers: validate what a seller typed and store one canonical form per kind.

Canonical forms (DOMAIN.md, Results and rights):

- CN application  ``201510123456.1`` (or ``99103418.X`` before October 2003); no ZL/CN
- CN publication  ``CN105123456A``
- US              ``US10123456B2``, ``USD912345S``, ``USPP12345P3``, ``USRE45678E``,
                  publications ``US20190123456A1``; the kind code is kept when given
- EP              application ``99403122.7``, publication ``EP1234567A1``
- PCT             ``PCT/CN2019/123456``
- WO              ``WO2019/123456`` or ``WO2019/123456A1``

Input may carry spaces, lower case, full-width characters (１２３．４), the ideographic
full stop (。) and, where it belongs, a ZL / CN / US / EP prefix or thousands commas.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from core.domain import N_, ValidationFailed
from listings.rules import IPKind

FIELD = "number"

KIND_LABELS: dict[IPKind, str] = {
    IPKind.CN_APPLICATION: N_("CN application"),
    IPKind.CN_PUBLICATION: N_("CN publication"),
    IPKind.US: N_("US"),
    IPKind.EP: N_("EP"),
    IPKind.PCT: N_("PCT application"),
    IPKind.WO: N_("WO publication"),
}

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
US_KINDS: dict[str, frozenset[str]] = {
    "": frozenset({"A", "B1", "B2"}),  # utility grants (A before 2001)
    "D": frozenset({"S"}),  # designs
    "PP": frozenset({"P2", "P3"}),  # plants
    "RE": frozenset({"E"}),  # reissues
    "publication": frozenset({"A1", "A2", "A9", "P1", "P4", "P9"}),
}
US_FIRST_PUBLICATION_YEAR = 2001
EP_PUBLICATION_KINDS = frozenset({"A1", "A2", "A3", "A4", "A8", "A9", "B1", "B2", "B3", "B8", "B9"})
WO_KINDS = frozenset({"A1", "A2", "A3", "A4", "A8", "A9"})
PCT_FIRST_YEAR = 1978  # the PCT came into operation on 1 June 1978


class InvalidIPNumber(ValidationFailed):
    """An IP number that cannot be what it claims to be; the message says why."""

    code = "invalid_ip_number"


class _WrongShape(InvalidIPNumber):
    """The text does not look like the chosen kind (so another kind may fit it)."""


def _fail(message: str, number: str, **params: Any) -> InvalidIPNumber:
    return InvalidIPNumber(message, field=FIELD, number=number, **params)


def _shape(message: str, number: str, **params: Any) -> _WrongShape:
    return _WrongShape(message, field=FIELD, number=number, **params)


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


def check_digit_ep(digits: str) -> int:
    """The check digit of an EP application number.

    Digits × 1,2,1,2… from the left, the digits of each product added, then
    (10 − Σ mod 10) mod 10.
    """
    if not digits or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"need digits, got {digits!r}")
    total = 0
    for index, digit in enumerate(digits):
        product = int(digit) * (1 if index % 2 == 0 else 2)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def cn_patent_number(application: str) -> str:
    """The patent number of a granted CN application: ZL + application number."""
    return "ZL" + normalise_ip_number(IPKind.CN_APPLICATION, application)


def _clean(text: str) -> str:
    """Full-width to ASCII, 。 to ., no whitespace, upper case."""
    text = unicodedata.normalize("NFKC", text or "").replace("。", ".")
    return "".join(text.split()).upper()


# --- CN application ------------------------------------------------------------------

_CN_APP_SHAPE = re.compile(r"(?P<body>[0-9]{12}|[0-9]{8})(?:\.?(?P<check>[0-9X]))?\.?")


def _cn_application(text: str, cleaned: str) -> str:
    body_text = cleaned.removeprefix("ZL").removeprefix("CN")
    match = _CN_APP_SHAPE.fullmatch(body_text)
    if match is None:
        raise _shape(
            N_(
                "A CN application number has 12 digits, a dot and a check character, "
                "like 201510123456.1."
            ),
            text,
        )
    body, check = match["body"], match["check"]
    if len(body) == 12:
        year, type_digit = int(body[:4]), body[4]
        if year < CN_FIRST_YEAR:
            raise _fail(
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
            raise _shape(
                N_(
                    "CN application %(number)s has 8 digits, a format used from 1985 to 2003, "
                    "but its year %(year)s is outside that range."
                ),
                body,
                year=f"{year_2:02d}",
            )
        position = N_("third")
    if type_digit not in CN_PATENT_TYPES:
        raise _shape(
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
        raise _fail(
            N_(
                "CN application %(number)s lacks its check character: it should end "
                "in .%(expected)s."
            ),
            body,
            expected=expected,
        )
    if check != expected:
        raise _fail(
            N_("The check character of CN application %(number)s should be %(expected)s."),
            f"{body}.{check}",
            expected=expected,
        )
    return f"{body}.{check}"


# --- CN publication ------------------------------------------------------------------

_CN_PUB_SHAPE = re.compile(r"(?:CN)?(?P<digits>[0-9]+)(?P<kind>[A-Z][0-9]?)?")


def _cn_publication(text: str, cleaned: str) -> str:
    match = _CN_PUB_SHAPE.fullmatch(cleaned)
    if match is None or len(match["digits"]) != 9:
        raise _shape(
            N_("A CN publication number has CN, 9 digits and a kind letter, like CN105123456A."),
            text,
        )
    digits, kind = match["digits"], match["kind"]
    if kind is None:
        raise _fail(
            N_(
                "CN publication %(number)s lacks its kind letter (A, B, C, U, Y, S or D) at the "
                "end."
            ),
            f"CN{digits}",
        )
    if kind not in {"A", "B", "C", "U", "Y", "S", "D"}:
        raise _fail(
            N_("Unknown kind code %(kind)s: a CN publication ends in A, B, C, U, Y, S or D."),
            text,
            kind=kind,
        )
    allowed = CN_PUBLICATION_KINDS.get(digits[0])
    if allowed is None:
        raise _fail(
            N_(
                "CN publication %(number)s cannot exist: the first of its 9 digits is 1 "
                "(invention), 2 (utility model) or 3 (design)."
            ),
            f"CN{digits}{kind}",
        )
    if kind not in allowed:
        raise _fail(
            N_(
                "CN publication %(number)s mixes types: numbers starting with 1 are inventions "
                "(A, B, C), with 2 utility models (U, Y), with 3 designs (S, D)."
            ),
            f"CN{digits}{kind}",
        )
    return f"CN{digits}{kind}"


# --- US ------------------------------------------------------------------------------

_US_PUBLICATION = re.compile(r"(?P<year>[0-9]{4})[/-]?(?P<serial>[0-9]{7})(?P<kind>[A-Z][0-9]?)?")
_US_GRANT = re.compile(r"(?P<series>D|PP|RE)?(?P<digits>[0-9,]+)(?P<kind>[A-Z][0-9]?)?")
_US_SERIAL = re.compile(r"[0-9]{2}/[0-9]{3},?[0-9]{3}")
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})*|[0-9]+")


def _check_us_kind(number: str, kind: str | None, allowed: frozenset[str], what: str) -> None:
    if kind is not None and kind not in allowed:
        raise _fail(
            N_("Kind code %(kind)s does not go with a US %(what)s; use %(allowed)s."),
            number,
            kind=kind,
            what=what,
            allowed=", ".join(sorted(allowed)),
        )


def _us(text: str, cleaned: str) -> str:
    body = cleaned.removeprefix("US")
    if _US_SERIAL.fullmatch(body):
        raise _fail(
            N_(
                "%(number)s looks like a US application serial number; give the patent number "
                "(US 10,123,456 B2) or the publication number (US 2019/0123456 A1)."
            ),
            text,
        )
    match = _US_PUBLICATION.fullmatch(body)
    if match is not None:
        year = int(match["year"])
        number = f"US{match['year']}{match['serial']}"
        if year < US_FIRST_PUBLICATION_YEAR:
            raise _fail(
                N_(
                    "US publication %(number)s is dated %(year)s, but US applications have been "
                    "published only since 2001."
                ),
                number,
                year=year,
            )
        _check_us_kind(number, match["kind"], US_KINDS["publication"], N_("publication"))
        return number + (match["kind"] or "")
    match = _US_GRANT.fullmatch(body)
    if match is None:
        raise _shape(
            N_(
                "A US patent number has up to 8 digits, perhaps with a D, PP or RE prefix and a "
                "kind code, like US 10,123,456 B2; a publication looks like US 2019/0123456 A1."
            ),
            text,
        )
    series, grouped, kind = match["series"] or "", match["digits"], match["kind"]
    if not _GROUPED.fullmatch(grouped):
        raise _fail(
            N_(
                "The commas in %(number)s are misplaced: they separate groups of three digits, "
                "like 10,123,456."
            ),
            text,
        )
    digits = grouped.replace(",", "").lstrip("0")
    if not digits or len(digits) > 8:
        raise _shape(
            N_(
                "A US patent number has up to 8 digits, perhaps with a D, PP or RE prefix and a "
                "kind code, like US 10,123,456 B2; a publication looks like US 2019/0123456 A1."
            ),
            text,
        )
    number = f"US{series}{digits}"
    what = {"": N_("utility patent"), "D": N_("design patent"), "PP": N_("plant patent")}.get(
        series, N_("reissue")
    )
    _check_us_kind(number, kind, US_KINDS[series], what)
    return number + (kind or "")


# --- EP ------------------------------------------------------------------------------

_EP_APPLICATION = re.compile(r"(?P<body>[0-9]{8})(?:\.?(?P<check>[0-9]))?\.?")
_EP_PUBLICATION = re.compile(r"(?P<digits>[0-9]{7})(?P<kind>[A-Z][0-9]?)?")


def _ep(text: str, cleaned: str) -> str:
    body = cleaned.removeprefix("EP")
    match = _EP_APPLICATION.fullmatch(body)
    if match is not None:
        digits, check = match["body"], match["check"]
        expected = check_digit_ep(digits)
        if check is None:
            raise _fail(
                N_(
                    "EP application %(number)s lacks its check digit: it should end "
                    "in .%(expected)s."
                ),
                digits,
                expected=expected,
            )
        if int(check) != expected:
            raise _fail(
                N_("The check digit of EP application %(number)s should be %(expected)s."),
                f"{digits}.{check}",
                expected=expected,
            )
        return f"{digits}.{check}"
    match = _EP_PUBLICATION.fullmatch(body)
    if match is None:
        raise _shape(
            N_(
                "An EP application number has 8 digits, a dot and a check digit, like "
                "99403122.7; a publication has 7 digits and a kind code, like EP 1234567 A1."
            ),
            text,
        )
    number, kind = f"EP{match['digits']}", match["kind"]
    if kind is not None and kind not in EP_PUBLICATION_KINDS:
        raise _fail(
            N_("Unknown kind code %(kind)s for EP publication %(number)s; use %(allowed)s."),
            number,
            kind=kind,
            allowed=", ".join(sorted(EP_PUBLICATION_KINDS)),
        )
    return number + (kind or "")


# --- PCT and WO ----------------------------------------------------------------------

_PCT = re.compile(r"(?:PCT/?)?(?P<office>[A-Z]{2})/?(?P<year>[0-9]{4})/?(?P<serial>[0-9]{6})")
_WO = re.compile(r"(?:WO/?)?(?P<year>[0-9]{4})/?(?P<serial>[0-9]{6})(?P<kind>[A-Z][0-9]?)?")


def _pct(text: str, cleaned: str) -> str:
    match = _PCT.fullmatch(cleaned)
    if match is None:
        raise _shape(
            N_(
                "A PCT application number looks like PCT/CN2019/123456: PCT, the receiving "
                "office's two letters with the year in four digits, and 6 digits."
            ),
            text,
        )
    number = f"PCT/{match['office']}{match['year']}/{match['serial']}"
    if int(match["year"]) < PCT_FIRST_YEAR:
        raise _fail(
            N_("PCT application %(number)s is dated %(year)s, before the PCT began in 1978."),
            number,
            year=match["year"],
        )
    return number


def _wo(text: str, cleaned: str) -> str:
    match = _WO.fullmatch(cleaned)
    if match is None:
        raise _shape(
            N_(
                "A WO publication number looks like WO 2019/123456: WO, the year in four "
                "digits and 6 digits, perhaps with a kind code such as A1."
            ),
            text,
        )
    number, kind = f"WO{match['year']}/{match['serial']}", match["kind"]
    if int(match["year"]) < PCT_FIRST_YEAR:
        raise _fail(
            N_("WO publication %(number)s is dated %(year)s, before the PCT began in 1978."),
            number,
            year=match["year"],
        )
    if kind is not None and kind not in WO_KINDS:
        raise _fail(
            N_("Unknown kind code %(kind)s for WO publication %(number)s; use %(allowed)s."),
            number,
            kind=kind,
            allowed=", ".join(sorted(WO_KINDS)),
        )
    return number + (kind or "")


_NORMALISERS: dict[IPKind, Callable[[str, str], str]] = {
    IPKind.CN_APPLICATION: _cn_application,
    IPKind.CN_PUBLICATION: _cn_publication,
    IPKind.US: _us,
    IPKind.EP: _ep,
    IPKind.PCT: _pct,
    IPKind.WO: _wo,
}


def _is_valid(kind: IPKind, text: str) -> bool:
    try:
        _NORMALISERS[kind](text, _clean(text))
    except InvalidIPNumber:
        return False
    return True


def normalise_ip_number(kind: IPKind | str, text: str) -> str:
    """The canonical form of `text` as a number of `kind`, or InvalidIPNumber saying why.

    When the text does not look like `kind` at all but is a valid number of the kind
    `detect_kind` guesses, the message names that kind so the seller can pick it.
    """
    kind = IPKind(kind)
    shown = (text or "").strip()
    cleaned = _clean(text)
    if not cleaned:
        raise _fail(N_("Give the %(label)s number."), shown, label=KIND_LABELS[kind])
    try:
        return _NORMALISERS[kind](shown, cleaned)
    except _WrongShape as wrong_shape:
        other = detect_kind(text)
        if other is not None and other != kind and _is_valid(other, text):
            raise _fail(
                N_(
                    "%(number)s is not valid as a number of type %(label)s, but it is a valid "
                    "%(other)s number: choose that type."
                ),
                shown,
                label=KIND_LABELS[kind],
                other=KIND_LABELS[other],
            ) from None
        raise InvalidIPNumber(wrong_shape.message, field=FIELD, **wrong_shape.params) from None


_US_PREFIXED = re.compile(
    r"(?:D|PP|RE)[0-9,]+(?:[A-Z][0-9]?)?|[0-9]{4}[/-][0-9]{7}(?:[A-Z][0-9]?)?"
)
_CN_PUB_LIKE = re.compile(r"[0-9]{9}[A-Z][0-9]?")
_US_PUB_LIKE = re.compile(r"20[0-9]{9}(?:[A-Z][0-9]?)?")
_US_PLAIN = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:[A-Z][0-9]?)?|[0-9]{1,8}(?:[A-Z][0-9]?)?")
_CN_APP_LIKE = re.compile(r"[0-9]{12}\.?[0-9X]?")
_SHORT_APP_LIKE = re.compile(r"[0-9]{8}(?:\.?[0-9X])")


def detect_kind(text: str) -> IPKind | None:
    """Guess the kind of number from its shape (prefix, digits, punctuation); None if unsure.

    Only shape is used, so a mistyped check character still gets a guess and then a
    precise message from `normalise_ip_number`. An 8-digit number with a check character
    may be an old CN or an EP application: the one whose check character fits wins, then
    the one whose type digit is a CN patent type.
    """
    cleaned = _clean(text)
    if not cleaned:
        return None
    for prefix, kind in (("PCT", IPKind.PCT), ("WO", IPKind.WO), ("ZL", IPKind.CN_APPLICATION)):
        if cleaned.startswith(prefix):
            return kind
    if cleaned.startswith("CN"):
        if re.fullmatch(r"[0-9]{9}(?:[A-Z][0-9]?)?", cleaned[2:]):
            return IPKind.CN_PUBLICATION
        return IPKind.CN_APPLICATION
    if cleaned.startswith("US"):
        return IPKind.US
    if cleaned.startswith("EP"):
        return IPKind.EP
    if _US_PREFIXED.fullmatch(cleaned):
        return IPKind.US
    if _CN_APP_LIKE.fullmatch(cleaned):
        return IPKind.CN_APPLICATION
    if _SHORT_APP_LIKE.fullmatch(cleaned):
        cn_ok, ep_ok = _is_valid(IPKind.CN_APPLICATION, text), _is_valid(IPKind.EP, text)
        if cn_ok != ep_ok:
            return IPKind.CN_APPLICATION if cn_ok else IPKind.EP
        return IPKind.CN_APPLICATION if cleaned[2] in CN_PATENT_TYPES else IPKind.EP
    if _PCT.fullmatch(cleaned):
        return IPKind.PCT
    if _CN_PUB_LIKE.fullmatch(cleaned):
        return IPKind.CN_PUBLICATION
    if _US_PUB_LIKE.fullmatch(cleaned):
        return IPKind.US
    if _US_PLAIN.fullmatch(cleaned):
        return IPKind.US
    return None
