"""Pure rules of accounts: the unified social credit code (统一社会信用代码) and passwords."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

from core.domain import N_, PermissionDenied, ValidationFailed

# The kinds of organisation that may buy on the market, in every channel (listed sale,
# negotiation, auction): a broker agency acts for others, the operator runs the market.
BUYER_KINDS = frozenset({"enterprise", "university", "institute"})


def check_may_buy(kind: str | None) -> None:
    """PermissionDenied unless an organisation of this kind may buy on the market."""
    if kind not in BUYER_KINDS:
        raise PermissionDenied(
            N_("Only enterprises, universities and institutes can buy on the market."),
            code="not_a_buyer",
        )


# GB 32100-2015: 31 characters, without I, O, Z, S and V (easily mistaken for 1, 0, 2, 5, U).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_LENGTH = 18
_VALUE = {char: value for value, char in enumerate(CREDIT_CODE_ALPHABET)}

# First character: the registration authority (登记管理部门), Chinese and English names.
REGISTRATION_AUTHORITIES: dict[str, tuple[str, str]] = {
    "1": ("机构编制", "Institutional establishment (public institutions)"),
    "2": ("外交", "Foreign affairs"),
    "3": ("司法行政", "Justice administration"),
    "4": ("文化", "Culture"),
    "5": ("民政", "Civil affairs (social organisations)"),
    "6": ("旅游", "Tourism"),
    "7": ("宗教", "Religious affairs"),
    "8": ("工会", "Trade unions"),
    "9": ("工商", "Market regulation (enterprises)"),
    "A": ("中央军委改革和编制办公室", "Military establishment office"),
    "N": ("农业", "Agriculture (collective economic organisations)"),
    "Y": ("其他", "Other"),
}

# First two characters: the kind of organisation (机构类别) for the kinds the market meets.
ORGANISATION_KINDS: dict[str, tuple[str, str]] = {
    "11": ("机关", "Government body"),
    "12": ("事业单位", "Public institution (e.g. university, institute)"),
    "13": ("群众团体", "Mass organisation"),
    "19": ("其他机构编制单位", "Other establishment"),
    "51": ("社会团体", "Social organisation"),
    "52": ("民办非企业单位", "Private non-enterprise unit"),
    "53": ("基金会", "Foundation"),
    "59": ("其他民政登记单位", "Other civil-affairs registrant"),
    "91": ("企业", "Enterprise"),
    "92": ("个体工商户", "Individual business"),
    "93": ("农民专业合作社", "Farmers' cooperative"),
    "Y1": ("其他", "Other"),
}

_LOOKALIKES = {"I": "1", "O": "0", "Z": "2", "S": "5", "V": "U"}


class InvalidCreditCode(ValidationFailed):
    """A unified social credit code that GB 32100-2015 would not issue."""

    code = "invalid_credit_code"


class WeakPassword(ValidationFailed):
    """A password too short, too uniform or too common to protect an account."""

    code = "weak_password"


def credit_code_check_char(first17: str) -> str:
    """The check character (18th) for the first 17 characters of a credit code.

    check = 31 − (Σ value × weight mod 31), where 31 is written 0.
    Raises ValueError for anything but 17 characters of the code alphabet.
    """
    if len(first17) != CREDIT_CODE_LENGTH - 1 or any(c not in _VALUE for c in first17):
        raise ValueError(f"need 17 credit-code characters, got {first17!r}")
    total = sum(_VALUE[c] * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def make_credit_code(first17: str) -> str:
    """A complete code from its first 17 characters (for demo data and tests)."""
    body = first17.strip().upper()
    return body + credit_code_check_char(body)


def _credit_error(message: str, value: str, **params: Any) -> InvalidCreditCode:
    return InvalidCreditCode(message, field="credit_code", value=value, **params)


def normalise_credit_code(text: str) -> str:
    """The code in canonical form (18 upper-case characters) or InvalidCreditCode.

    Spaces and full-width characters are forgiven; the length, the alphabet, the
    registration authority, the administrative division (characters 3–8, digits) and the
    check character are checked, and the message says which of these is wrong.
    """
    value = "".join(unicodedata.normalize("NFKC", text or "").split()).upper()
    if not value:
        raise _credit_error(N_("Give the unified social credit code (18 characters)."), value)
    if len(value) != CREDIT_CODE_LENGTH:
        raise _credit_error(
            N_("A unified social credit code has 18 characters; %(value)s has %(length)s."),
            value,
            length=len(value),
        )
    for position, char in enumerate(value, start=1):
        if char in _VALUE:
            continue
        if char in _LOOKALIKES:
            raise _credit_error(
                N_(
                    "Character %(position)s of %(value)s is %(char)s, which credit codes never "
                    "use: did you mean %(suggestion)s?"
                ),
                value,
                position=position,
                char=char,
                suggestion=_LOOKALIKES[char],
            )
        raise _credit_error(
            N_(
                "Character %(position)s of %(value)s is %(char)s; a credit code has only digits "
                "and capital letters other than I, O, Z, S and V."
            ),
            value,
            position=position,
            char=char,
        )
    if value[0] not in REGISTRATION_AUTHORITIES:
        raise _credit_error(
            N_(
                "%(value)s starts with %(char)s, which is not a registration authority code "
                "(1 to 9, A, N or Y)."
            ),
            value,
            char=value[0],
        )
    division = value[2:8]
    if not division.isdigit():
        raise _credit_error(
            N_(
                "Characters 3 to 8 of a credit code are the administrative division code and "
                "must be digits, not %(division)s."
            ),
            value,
            division=division,
        )
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        raise _credit_error(
            N_("The check character of credit code %(value)s should be %(expected)s."),
            value,
            expected=expected,
        )
    return value


MIN_PASSWORD_LENGTH = 10
# Long enough for any passphrase or manager-made password; bounds the hashing work.
MAX_PASSWORD_LENGTH = 128

# The most used passwords worldwide and in China, compared without case and without the
# digits and symbols people add at either end ("Password123!" is "password").
_COMMON_PASSWORDS_TEXT = """
    password passw0rd p@ssw0rd p@ssword passwd pass admin administrator root qwerty
    qwertyuiop asdfghjkl zxcvbnm qazwsx qazwsxedc 1qaz2wsx 1qaz2wsx3edc 1q2w3e4r 1q2w3e4r5t
    q1w2e3r4 qwe qweasd qweasdzxc asd abc abcd abcdef abcdefg abcdefgh abcdefghij iloveyou
    welcome letmein monkey dragon football baseball sunshine princess master shadow superman
    michael trustno1 changeme secret login hello test woaini woaini1314 aini 5201314 1314520
    wodemima mima zhangwei wangwei china beijing shanghai huawei xiaomi baidu tencent
    admin123 root123 test123 a123456 a1234567 aa123456 abc123 abcd1234 1234qwer 123qwe
    qwe123 zaq12wsx
"""
# Plus the most used passwords of Daniel Miessler's SecLists (MIT licence, see NOTICE):
# Passwords/Common-Credentials/10-million-password-list-top-1000.txt.
_BUNDLED_LIST = Path(__file__).parent / "data" / "common-passwords.txt"
COMMON_PASSWORDS = frozenset(_COMMON_PASSWORDS_TEXT.split()) | frozenset(
    line.strip().casefold() for line in _BUNDLED_LIST.read_text("utf-8").splitlines()
)
# Strings of one kind that people pad to length ("1234567890", "aaaaaaaaaa") are caught by
# the character-class rule, so the list needs no purely numeric entries.


def _character_classes(password: str) -> int:
    """How many of lower-case, capitals, digits and other characters appear."""
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not (c.islower() or c.isupper() or c.isdigit()) for c in password),
        )
    )


def _is_common(password: str) -> bool:
    lowered = password.casefold()
    core = lowered.strip("0123456789!@#$%^&*()_-+=.,;:?~ ")
    return lowered in COMMON_PASSWORDS or core in COMMON_PASSWORDS


def check_password_strength(password: str) -> None:
    """Raise WeakPassword (field "password") unless the password is long, mixed and uncommon.

    At least 10 characters and at most 128; at least two kinds among lower-case letters, capitals, digits
    and other characters; not a well-known password with a few digits or symbols added.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(
            N_("Use at least %(minimum)s characters for your password."),
            field="password",
            minimum=MIN_PASSWORD_LENGTH,
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(
            N_("Use at most %(maximum)s characters for your password."),
            field="password",
            maximum=MAX_PASSWORD_LENGTH,
        )
    if _character_classes(password) < 2:
        raise WeakPassword(
            N_(
                "Mix at least two kinds of character in your password: lower-case letters, "
                "capitals, digits or symbols."
            ),
            field="password",
        )
    if _is_common(password):
        raise WeakPassword(
            N_("This password is one of the most common ones; choose another."),
            field="password",
        )
