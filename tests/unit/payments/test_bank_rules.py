"""Rules of paying by bank transfer: the market's accounts, the reference, the QR code's text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.domain import ValidationFailed
from payments.bank_rules import (
    DEPOSITS,
    SETTLEMENT,
    check_reference,
    deal_reference,
    deposit_reference,
    market_account,
    qr_text,
)

SETTINGS = {
    "MARKET_BANK_PAYEE": "威海技术交易市场有限公司",
    "MARKET_BANK_NAME": "中国工商银行",
    "MARKET_BANK_BRANCH": "威海分行",
    "MARKET_BANK_ACCOUNT": "1614 0000 1234 5678",
    "MARKET_BANK_SWIFT": "ICBKCNBJSDG",
}


def test_references_name_what_the_transfer_pays() -> None:
    assert deposit_reference("auction", 5, 5) == "AUC-5-5"
    assert deposit_reference("listed_sale", 3, 9) == "LS-3-9"
    assert deal_reference(12) == "DEAL-12"


def test_without_settings_there_is_no_account() -> None:
    assert market_account({}, SETTLEMENT) is None
    assert market_account({**SETTINGS, "MARKET_BANK_ACCOUNT": " "}, DEPOSITS) is None


def test_deposits_use_their_own_account_when_one_is_set() -> None:
    assert market_account(SETTINGS, DEPOSITS) == market_account(SETTINGS, SETTLEMENT)
    own = {
        **SETTINGS,
        "MARKET_DEPOSIT_BANK_PAYEE": "市场保证金专户",
        "MARKET_DEPOSIT_BANK_NAME": "中国银行",
        "MARKET_DEPOSIT_BANK_ACCOUNT": "2222",
    }
    deposits = market_account(own, DEPOSITS)
    assert deposits is not None and deposits.number == "2222" and deposits.swift is None
    assert market_account(own, SETTLEMENT).number == SETTINGS["MARKET_BANK_ACCOUNT"]


@given(st.sampled_from(["auc-5-5", " AUC-5-5 ", "Auc -5-5", "AUC-5-5"]))
def test_case_and_spaces_do_not_matter(stated: str) -> None:
    assert check_reference(stated, "AUC-5-5") == "AUC-5-5"


def _other(text: str) -> bool:
    squeezed = re.sub(r"\s+", "", text).upper()
    return bool(squeezed) and squeezed != "AUC-5-5"


@given(st.text(min_size=1, max_size=30).filter(_other))
def test_any_other_reference_is_refused_with_the_right_one(stated: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_reference(stated, "AUC-5-5")
    assert refused.value.field == "bank_reference"
    assert "AUC-5-5" in refused.value.text()


def test_the_qr_code_holds_every_detail_of_the_transfer() -> None:
    account = market_account(SETTINGS, SETTLEMENT)
    assert account is not None
    text = qr_text(account, "AUC-5-5", "¥1,000.00")
    for part in ("威海技术交易市场有限公司", "中国工商银行 威海分行", "1614 0000 1234 5678"):
        assert part in text
    assert "ICBKCNBJSDG" in text and "¥1,000.00" in text and "AUC-5-5" in text
