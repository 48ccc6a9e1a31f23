"""Chinese patent numbers as people type them, reduced to the digits the index holds.

A listing's IP numbers are indexed as text, so `201510123456.1` becomes the
tokens 201510123456 and 1, and `CN105123456A` the token cn105123456a (and, search.text.tokens.segment_for_index,
its digits 105123456). A query may write the same number with or without
CN / ZL, dots, spaces or the check character (ZL 2015 1012 3456.1,
CN201510123456.1, 2015101234561), or a publication number with its kind code
(CN 105123456 A): `extract_numbers` finds each and gives its digits.
Publication and application numbers are different numbers: one is not derived
from the other, so each finds the listing that states it.
"""

from __future__ import annotations

import re

_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z])(?:(?:CN|ZL)\s*)?[0-9](?:[0-9]|[ .](?=[0-9])){7,15}"
    r"(?:\s*\.?\s*[0-9Xx](?![0-9]))?(?:\s*[ABCUYSD][0-9]?)?(?![0-9A-Za-z])",
    re.IGNORECASE,
)


def _digits_of(raw: str) -> str | None:
    """The indexed digits of one number as typed, or None when it is no patent number."""
    text = re.sub(r"[\s.]", "", raw.upper()).removeprefix("ZL").removeprefix("CN")
    kind = re.fullmatch(r"([0-9]{9})[ABCUYSD][0-9]?", text)
    if kind:
        return kind[1]  # a publication number with its kind code
    if re.fullmatch(r"[0-9]{12}[0-9X]?", text):
        return text[:12]  # an application number since 2003, check character or not
    if re.fullmatch(r"[0-9]{8}[0-9X]", text) and "." in raw:
        return text[:8]  # an application number of 1985-2003 with its check character
    if re.fullmatch(r"[0-9]{8,9}", text):
        return text  # an older application number, or a publication number's digits
    return None


def extract_numbers(text: str) -> tuple[str, list[str]]:
    """(the query without its patent numbers, the digits of each number found)."""
    found: list[str] = []

    def replace(match: re.Match[str]) -> str:
        digits = _digits_of(match.group())
        if digits is None:
            return match.group()
        found.append(digits)
        return " "

    rest = _CANDIDATE.sub(replace, text)
    return rest, list(dict.fromkeys(found))
