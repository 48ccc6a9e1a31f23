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
from collections.abc import Callable

from core.domain import N_
from listings.ip_number_base import FIELD, InvalidIPNumber, WrongShape, clean, invalid
from listings.ip_number_cn import (
    CN_PATENT_TYPES,
    normalise_cn_application,
    normalise_cn_publication,
)
from listings.ip_number_intl import (
    PCT_SHAPE,
    normalise_ep,
    normalise_pct,
    normalise_us,
    normalise_wo,
)
from listings.rules import IPKind

KIND_LABELS: dict[IPKind, str] = {
    IPKind.CN_APPLICATION: N_("CN application"),
    IPKind.CN_PUBLICATION: N_("CN publication"),
    IPKind.US: N_("US"),
    IPKind.EP: N_("EP"),
    IPKind.PCT: N_("PCT application"),
    IPKind.WO: N_("WO publication"),
}


def cn_patent_number(application: str) -> str:
    """The patent number of a granted CN application: ZL + application number."""
    return "ZL" + normalise_ip_number(IPKind.CN_APPLICATION, application)


_NORMALISERS: dict[IPKind, Callable[[str, str], str]] = {
    IPKind.CN_APPLICATION: normalise_cn_application,
    IPKind.CN_PUBLICATION: normalise_cn_publication,
    IPKind.US: normalise_us,
    IPKind.EP: normalise_ep,
    IPKind.PCT: normalise_pct,
    IPKind.WO: normalise_wo,
}


def _is_valid(kind: IPKind, text: str) -> bool:
    try:
        _NORMALISERS[kind](text, clean(text))
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
    cleaned = clean(text)
    if not cleaned:
        raise invalid(N_("Give the %(label)s number."), shown, label=KIND_LABELS[kind])
    try:
        return _NORMALISERS[kind](shown, cleaned)
    except WrongShape as wrong_shape:
        other = detect_kind(text)
        if other is not None and other != kind and _is_valid(other, text):
            raise invalid(
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
# What a number's prefix says it is ("CN" may be either CN kind: see detect_kind).
_PREFIXES = (
    ("PCT", IPKind.PCT),
    ("WO", IPKind.WO),
    ("ZL", IPKind.CN_APPLICATION),
    ("US", IPKind.US),
    ("EP", IPKind.EP),
)
# Without a prefix, the first of these shapes that fits, in this order.
_SHAPES = (
    (_US_PREFIXED, IPKind.US),
    (_CN_APP_LIKE, IPKind.CN_APPLICATION),
    (PCT_SHAPE, IPKind.PCT),
    (_CN_PUB_LIKE, IPKind.CN_PUBLICATION),
    (_US_PUB_LIKE, IPKind.US),
    (_US_PLAIN, IPKind.US),
)


def detect_kind(text: str) -> IPKind | None:
    """Guess the kind of number from its shape (prefix, digits, punctuation); None if unsure.

    Only shape is used, so a mistyped check character still gets a guess and then a
    precise message from `normalise_ip_number`. An 8-digit number with a check character
    may be an old CN or an EP application: the one whose check character fits wins, then
    the one whose type digit is a CN patent type.
    """
    cleaned = clean(text)
    if not cleaned:
        return None
    for prefix, kind in _PREFIXES:
        if cleaned.startswith(prefix):
            return kind
    if cleaned.startswith("CN"):
        if re.fullmatch(r"[0-9]{9}(?:[A-Z][0-9]?)?", cleaned[2:]):
            return IPKind.CN_PUBLICATION
        return IPKind.CN_APPLICATION
    if _SHORT_APP_LIKE.fullmatch(cleaned):  # no other shape has 8 digits and a check character
        cn_ok, ep_ok = _is_valid(IPKind.CN_APPLICATION, text), _is_valid(IPKind.EP, text)
        if cn_ok != ep_ok:
            return IPKind.CN_APPLICATION if cn_ok else IPKind.EP
        return IPKind.CN_APPLICATION if cleaned[2] in CN_PATENT_TYPES else IPKind.EP
    return next((kind for shape, kind in _SHAPES if shape.fullmatch(cleaned)), None)
