"""US, EP, PCT and WO numbers: shapes, kind codes, the EP check digit.

Pure: no database, no Flask.
"""

from __future__ import annotations

import re

from core.domain import N_
from listings.ip_number_base import full_match, invalid, wrong_shape

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


# --- US ------------------------------------------------------------------------------

_US_PUBLICATION = re.compile(r"(?P<year>[0-9]{4})[/-]?(?P<serial>[0-9]{7})(?P<kind>[A-Z][0-9]?)?")
_US_GRANT = re.compile(r"(?P<series>D|PP|RE)?(?P<digits>[0-9,]+)(?P<kind>[A-Z][0-9]?)?")
_US_GRANT_LOOKS = N_(
    "A US patent number has up to 8 digits, perhaps with a D, PP or RE prefix and a "
    "kind code, like US 10,123,456 B2; a publication looks like US 2019/0123456 A1."
)
_US_KIND = N_("Kind code %(kind)s does not go with a US %(what)s; use %(allowed)s.")
_US_SERIAL = re.compile(r"[0-9]{2}/[0-9]{3},?[0-9]{3}")
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})*|[0-9]+")


def _check_kind(
    message: str, number: str, kind: str | None, allowed: frozenset[str], **params: str
) -> None:
    """Refuse a kind code not in `allowed`: `message` says so, naming the allowed ones."""
    if kind is not None and kind not in allowed:
        raise invalid(message, number, kind=kind, allowed=", ".join(sorted(allowed)), **params)


def _check_since_pct(message: str, number: str, year: str) -> None:
    """Refuse a PCT or WO number dated before the PCT began: `message` says so."""
    if int(year) < PCT_FIRST_YEAR:
        raise invalid(message, number, year=year)


def normalise_us(text: str, cleaned: str) -> str:
    """The canonical US patent or publication number (``US10123456B2``), or why not.

    `cleaned` is `text` as `ip_number_base.clean` leaves it.
    """
    body = cleaned.removeprefix("US")
    if _US_SERIAL.fullmatch(body):
        raise invalid(
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
            raise invalid(
                N_(
                    "US publication %(number)s is dated %(year)s, but US applications have been "
                    "published only since 2001."
                ),
                number,
                year=year,
            )
        _check_kind(
            _US_KIND, number, match["kind"], US_KINDS["publication"], what=N_("publication")
        )
        return number + (match["kind"] or "")
    match = full_match(_US_GRANT, body, text, _US_GRANT_LOOKS)
    series, grouped, kind = match["series"] or "", match["digits"], match["kind"]
    if not _GROUPED.fullmatch(grouped):
        raise invalid(
            N_(
                "The commas in %(number)s are misplaced: they separate groups of three digits, "
                "like 10,123,456."
            ),
            text,
        )
    digits = grouped.replace(",", "").lstrip("0")
    if not digits or len(digits) > 8:
        raise wrong_shape(_US_GRANT_LOOKS, text)
    number = f"US{series}{digits}"
    what = {"": N_("utility patent"), "D": N_("design patent"), "PP": N_("plant patent")}.get(
        series, N_("reissue")
    )
    _check_kind(_US_KIND, number, kind, US_KINDS[series], what=what)
    return number + (kind or "")


# --- EP ------------------------------------------------------------------------------

_EP_APPLICATION = re.compile(r"(?P<body>[0-9]{8})(?:\.?(?P<check>[0-9]))?\.?")
_EP_PUBLICATION = re.compile(r"(?P<digits>[0-9]{7})(?P<kind>[A-Z][0-9]?)?")
_EP_LOOKS = N_(
    "An EP application number has 8 digits, a dot and a check digit, like "
    "99403122.7; a publication has 7 digits and a kind code, like EP 1234567 A1."
)


def normalise_ep(text: str, cleaned: str) -> str:
    """The canonical EP application (``99403122.7``) or publication number, or why not.

    `cleaned` is `text` as `ip_number_base.clean` leaves it.
    """
    body = cleaned.removeprefix("EP")
    match = _EP_APPLICATION.fullmatch(body)
    if match is not None:
        digits, check = match["body"], match["check"]
        expected = check_digit_ep(digits)
        if check is None:
            raise invalid(
                N_(
                    "EP application %(number)s lacks its check digit: it should end "
                    "in .%(expected)s."
                ),
                digits,
                expected=expected,
            )
        if int(check) != expected:
            raise invalid(
                N_("The check digit of EP application %(number)s should be %(expected)s."),
                f"{digits}.{check}",
                expected=expected,
            )
        return f"{digits}.{check}"
    match = full_match(_EP_PUBLICATION, body, text, _EP_LOOKS)
    number, kind = f"EP{match['digits']}", match["kind"]
    _check_kind(
        N_("Unknown kind code %(kind)s for EP publication %(number)s; use %(allowed)s."),
        number,
        kind,
        EP_PUBLICATION_KINDS,
    )
    return number + (kind or "")


# --- PCT and WO ----------------------------------------------------------------------

PCT_SHAPE = re.compile(r"(?:PCT/?)?(?P<office>[A-Z]{2})/?(?P<year>[0-9]{4})/?(?P<serial>[0-9]{6})")
_PCT_LOOKS = N_(
    "A PCT application number looks like PCT/CN2019/123456: PCT, the receiving "
    "office's two letters with the year in four digits, and 6 digits."
)
_WO = re.compile(r"(?:WO/?)?(?P<year>[0-9]{4})/?(?P<serial>[0-9]{6})(?P<kind>[A-Z][0-9]?)?")
_WO_LOOKS = N_(
    "A WO publication number looks like WO 2019/123456: WO, the year in four "
    "digits and 6 digits, perhaps with a kind code such as A1."
)


def normalise_pct(text: str, cleaned: str) -> str:
    """The canonical PCT application number (``PCT/CN2019/123456``), or why not.

    `cleaned` is `text` as `ip_number_base.clean` leaves it.
    """
    match = full_match(PCT_SHAPE, cleaned, text, _PCT_LOOKS)
    number = f"PCT/{match['office']}{match['year']}/{match['serial']}"
    _check_since_pct(
        N_("PCT application %(number)s is dated %(year)s, before the PCT began in 1978."),
        number,
        match["year"],
    )
    return number


def normalise_wo(text: str, cleaned: str) -> str:
    """The canonical WO publication number (``WO2019/123456A1``), or why not.

    `cleaned` is `text` as `ip_number_base.clean` leaves it.
    """
    match = full_match(_WO, cleaned, text, _WO_LOOKS)
    number, kind = f"WO{match['year']}/{match['serial']}", match["kind"]
    _check_since_pct(
        N_("WO publication %(number)s is dated %(year)s, before the PCT began in 1978."),
        number,
        match["year"],
    )
    _check_kind(
        N_("Unknown kind code %(kind)s for WO publication %(number)s; use %(allowed)s."),
        number,
        kind,
        WO_KINDS,
    )
    return number + (kind or "")
