"""Pure rules of an organisation's national registration number abroad.

Each country's number is checked as far as a public rule allows: its format always, its
check digit where one exists and is published. A country without a rule here accepts any
4–30 letters, digits and dashes, and the reviewer checks the registration documents.

- Japan, corporate number (法人番号): 13 digits, the first a check digit over the other 12
  (National Tax Agency: 9 − (Σ Pn·Qn mod 9), Qn = 1 for odd n, 2 for even n, from the right).
- Korea, business registration number (사업자등록번호): 10 digits, the last a check digit
  (weights 1 3 7 1 3 7 1 3 5, plus the tens of the ninth digit times 5).
- United States, employer identification number (EIN): 9 digits written NN-NNNNNNN, with a
  prefix the IRS assigns (no check digit exists).
- European Union, VAT identification number: the member state's prefix and its format;
  Germany's check digit (ISO 7064 MOD 11,10) and Italy's (Luhn) are checked.
- United Kingdom, Companies House number: 8 characters, digits or a two-letter prefix.
- Hong Kong, business registration number: 8 digits.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.domain import N_, ValidationFailed

# IRS campus prefixes of employer identification numbers (irs.gov, "How EINs are assigned").
EIN_PREFIXES = frozenset(
    {1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 15, 16, 20, 21, 22, 23, 24, 25, 26, 27}
    | set(range(30, 49))
    | set(range(50, 69))
    | set(range(71, 78))
    | set(range(80, 89))
    | set(range(90, 96))
    | {98, 99}
)

# The format of each member state's VAT number after its two-letter prefix.
EU_VAT_FORMATS: dict[str, str] = {
    "AT": r"U\d{8}",
    "BE": r"[01]\d{9}",
    "BG": r"\d{9,10}",
    "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}",
    "DE": r"\d{9}",
    "DK": r"\d{8}",
    "EE": r"\d{9}",
    "EL": r"\d{9}",
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"\d{8}",
    "FR": r"[A-HJ-NP-Z0-9]{2}\d{9}",
    "HR": r"\d{11}",
    "HU": r"\d{8}",
    "IE": r"\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W]",
    "IT": r"\d{11}",
    "LT": r"\d{9}|\d{12}",
    "LU": r"\d{8}",
    "LV": r"\d{11}",
    "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}",
    "PL": r"\d{10}",
    "PT": r"\d{9}",
    "RO": r"\d{2,10}",
    "SE": r"\d{10}01",
    "SI": r"\d{8}",
    "SK": r"\d{10}",
}
# ISO 3166 codes of the member states (Greece's VAT prefix is EL).
EU_COUNTRIES = frozenset(EU_VAT_FORMATS) - {"EL"} | {"GR"}

_SEPARATORS = re.compile(r"[\s.\-/]")
_ANY = re.compile(r"[A-Z0-9][A-Z0-9\-]{3,29}")


def normalise(number: str) -> str:
    """Upper case without spaces, dots, dashes or slashes."""
    return _SEPARATORS.sub("", number).upper()


def _refuse(country: str) -> ValidationFailed:
    return ValidationFailed(
        N_("This is not a valid registration number of %(country)s."),
        field="registration_number",
        country=country,
    )


def japan_check_digit(base12: str) -> int:
    """The check digit of a Japanese corporate number's other 12 digits."""
    total = sum(
        int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(base12), start=1)
    )
    return 9 - total % 9


def korea_check_digit(first9: str) -> int:
    """The last digit of a Korean business registration number."""
    digits = [int(d) for d in first9]
    total = sum(d * w for d, w in zip(digits, (1, 3, 7, 1, 3, 7, 1, 3, 5), strict=True))
    total += digits[8] * 5 // 10
    return (10 - total % 10) % 10


def germany_check_digit(first8: str) -> int:
    """ISO 7064 MOD 11,10: the ninth digit of a German VAT number."""
    product = 10
    for digit in first8:
        total = (int(digit) + product) % 10 or 10
        product = total * 2 % 11
    return (11 - product) % 10


def luhn_valid(digits: str) -> bool:
    """The Luhn check (an Italian partita IVA's last digit)."""
    total = 0
    for n, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if n % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _japan(number: str) -> bool:
    return bool(re.fullmatch(r"\d{13}", number)) and int(number[0]) == japan_check_digit(number[1:])


def _korea(number: str) -> bool:
    return bool(re.fullmatch(r"\d{10}", number)) and int(number[9]) == korea_check_digit(number[:9])


def _united_states(number: str) -> bool:
    return bool(re.fullmatch(r"\d{9}", number)) and int(number[:2]) in EIN_PREFIXES


def _united_kingdom(number: str) -> bool:
    return bool(re.fullmatch(r"\d{8}|(SC|NI|OC|SO|NC|R0|LP|SL|NL|FC|SF|NF)\d{6}", number))


def _hong_kong(number: str) -> bool:
    return bool(re.fullmatch(r"\d{8}", number))


def eu_vat_number(country: str, number: str) -> str | None:
    """The VAT number with its state's prefix (written with or without it), or None."""
    prefix = "EL" if country == "GR" else country
    body = number.removeprefix(prefix)
    if not re.fullmatch(EU_VAT_FORMATS[prefix], body):
        return None
    if prefix == "DE" and int(body[8]) != germany_check_digit(body[:8]):
        return None
    if prefix == "IT" and not luhn_valid(body):
        return None
    return prefix + body


_CHECKS: dict[str, Callable[[str], bool]] = {
    "JP": _japan,
    "KR": _korea,
    "US": _united_states,
    "GB": _united_kingdom,
    "HK": _hong_kong,
}


def check(country: str, number: str) -> str:
    """The number in its stored form (normalised), or ValidationFailed naming the country."""
    country = country.upper()
    if not re.fullmatch(r"[A-Z]{2}", country) or country == "CN":
        raise ValidationFailed(
            N_(
                "Choose the country of registration (a Chinese organisation gives its credit code)."
            ),
            field="country",
        )
    cleaned = normalise(number)
    if country in EU_COUNTRIES:
        stored = eu_vat_number(country, cleaned)
    elif country in _CHECKS:
        stored = cleaned if _CHECKS[country](cleaned) else None
    else:
        stored = cleaned if _ANY.fullmatch(cleaned) else None
    if stored is None:
        raise _refuse(country)
    return stored
