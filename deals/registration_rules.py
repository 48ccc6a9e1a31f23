"""What the technology-contract registration form (技术合同认定登记表) asks beyond the deal.

Pure: no database, no Flask. The deal already knows the parties, the contract type,
the amount and the signing date; the seller (or a reviewer) completes the rest:
contract number, project name, sub-type, field, the parties' region codes
(行政区划代码), the term, the technology-transaction amount (技术交易额) and the
payment method. A reviewer records the registration certificate number once the
office has registered the contract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.domain import N_, ValidationFailed
from deals.rules import ContractType

MAX_CONTRACT_NUMBER = 64
MAX_PROJECT_NAME = 300
MAX_CERTIFICATE_NUMBER = 64
MAX_TERM_YEARS = 50

# Sub-types (合同子类) the registration form offers under each contract type.
SUBTYPES: dict[ContractType, dict[str, str]] = {
    ContractType.DEVELOPMENT_COMMISSIONED: {"development": "委托开发"},
    ContractType.DEVELOPMENT_COOPERATIVE: {"development": "合作开发"},
    ContractType.TRANSFER: {
        "patent_right": "专利权转让",
        "patent_application_right": "专利申请权转让",
        "technical_secret": "技术秘密转让",
        "other_rights": "其他知识产权转让",
    },
    ContractType.LICENCE: {
        "patent_licence": "专利实施许可",
        "technical_secret_licence": "技术秘密使用许可",
        "other_licence": "其他知识产权许可",
    },
    ContractType.CONSULTING: {"consulting": "技术咨询"},
    ContractType.SERVICE: {
        "service": "技术服务",
        "training": "技术培训",
        "intermediary": "技术中介",
    },
}

# Payment methods (支付方式) of the registration form.
PAYMENT_METHODS: dict[str, str] = {
    "lump_sum": "一次总付",
    "instalments": "分期支付",
    "royalty": "提成支付",
    "down_payment_and_royalty": "入门费加提成",
    "equity": "技术入股",
    "other": "其他",
}

# First two digits of a 行政区划代码: the provinces, Taiwan, Hong Kong and Macao.
PROVINCE_PREFIXES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)
_REGION_CODE = re.compile(r"[0-9]{6}")
_CONTRACT_NUMBER = re.compile(r"[0-9A-Za-z\-_/()（）\u3400-\u9fff]+")


@dataclass(frozen=True)
class RegistrationDetails:
    """The registration form's fields a deal does not carry by itself."""

    contract_number: str
    project_name: str
    contract_subtype: str
    technology_field: str
    seller_region_code: str
    buyer_region_code: str
    term_start: date
    term_end: date
    transaction_amount_minor: int  # 技术交易额, within the contract amount
    payment_method: str


def check_region_code(code: str, field: str) -> None:
    """A six-digit administrative division code of a province we know."""
    if not _REGION_CODE.fullmatch(code) or code[:2] not in PROVINCE_PREFIXES:
        raise ValidationFailed(
            N_("A region code (行政区划代码) has six digits, like 310104."), field=field
        )


def check_details(
    details: RegistrationDetails,
    *,
    contract_type: ContractType,
    contract_amount_minor: int,
    fields: frozenset[str],
) -> None:
    """ValidationFailed on the first field the registration office would refuse."""
    number = details.contract_number.strip()
    if not number or len(number) > MAX_CONTRACT_NUMBER or not _CONTRACT_NUMBER.fullmatch(number):
        raise ValidationFailed(
            N_("Give the contract number (at most %(max)d letters, digits, - / _)."),
            field="contract_number",
            max=MAX_CONTRACT_NUMBER,
        )
    if not details.project_name.strip() or len(details.project_name) > MAX_PROJECT_NAME:
        raise ValidationFailed(N_("Give the project name."), field="project_name")
    if details.contract_subtype not in SUBTYPES[contract_type]:
        raise ValidationFailed(
            N_("Choose a sub-type of this contract type."), field="contract_subtype"
        )
    if details.technology_field not in fields:
        raise ValidationFailed(N_("Choose a technology field."), field="technology_field")
    check_region_code(details.seller_region_code, "seller_region_code")
    check_region_code(details.buyer_region_code, "buyer_region_code")
    _check_term(details.term_start, details.term_end)
    if not 0 < details.transaction_amount_minor <= contract_amount_minor:
        raise ValidationFailed(
            N_(
                "The technology-transaction amount must be more than zero and at most the contract amount."
            ),
            field="transaction_amount",
        )
    if details.payment_method not in PAYMENT_METHODS:
        raise ValidationFailed(N_("Choose a payment method."), field="payment_method")


def _check_term(start: date, end: date) -> None:
    if end < start:
        raise ValidationFailed(N_("The term ends before it starts."), field="term_end")
    if end.year - start.year > MAX_TERM_YEARS:
        raise ValidationFailed(
            N_("A term of more than %(max)d years is not registered."),
            field="term_end",
            max=MAX_TERM_YEARS,
        )


def normalise_certificate_number(text: str) -> str:
    """The registration certificate number (登记证明编号) as the office prints it."""
    number = "".join((text or "").split()).upper()
    if not number or len(number) > MAX_CERTIFICATE_NUMBER or not _CONTRACT_NUMBER.fullmatch(number):
        raise ValidationFailed(
            N_("Give the registration certificate number as the office printed it."),
            field="certificate_number",
        )
    return number
