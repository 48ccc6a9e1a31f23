"""Countries by ISO 3166 code, named in the reader's language (CLDR names through Babel)."""

from __future__ import annotations

from functools import cache

from babel import Locale

HOME = "CN"
# CLDR's groupings and private-use codes, which no organisation is registered in.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "ZZ", "QO"})


@cache
def _names(locale: str) -> dict[str, str]:
    territories = Locale.parse("zh_Hans_CN" if locale.startswith("zh") else "en").territories
    return {
        code: name
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES and code[0] != "X"
    }


def country_name(code: str, locale: str) -> str:
    """'日本' / 'Japan' for JP; the code itself when CLDR has no name for it."""
    return _names(locale).get(code.upper(), code.upper())


def countries(locale: str) -> list[tuple[str, str]]:
    """Every country as (code, name), China first, then by name."""
    names = _names(locale)
    others = sorted((c for c in names if c != HOME), key=lambda c: names[c])
    return [(code, names[code]) for code in (HOME, *others)]
