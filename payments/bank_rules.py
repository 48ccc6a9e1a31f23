"""Pure rules of paying by bank transfer: the market's account, the reference, the QR code's text.

A transfer is matched to what it pays by the reference (附言) the payer quotes on it:
`AUC-<auction>-<organisation>` or `LS-<listed sale>-<organisation>` for a deposit,
`DEAL-<deal>` for a deal's price. A receipt must state that reference; case and spaces
do not matter. No Flask, no database: settings come in as a mapping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.domain import N_, ValidationFailed

DEPOSIT_PREFIXES = {"auction": "AUC", "listed_sale": "LS"}
DEAL_PREFIX = "DEAL"
SETTLEMENT, DEPOSITS = "settlement", "deposits"  # the market's two uses of an account


@dataclass(frozen=True)
class BankAccount:
    """The market's account a payer transfers to (收款账户)."""

    payee: str
    bank: str
    branch: str
    number: str
    swift: str | None = None


def _setting(config: Mapping[str, Any], name: str) -> str:
    return str(config.get(name) or "").strip()


def _account(config: Mapping[str, Any], prefix: str) -> BankAccount | None:
    number = _setting(config, f"{prefix}_ACCOUNT")
    payee = _setting(config, f"{prefix}_PAYEE")
    bank = _setting(config, f"{prefix}_NAME")
    if not (number and payee and bank):
        return None
    return BankAccount(
        payee=payee,
        bank=bank,
        branch=_setting(config, f"{prefix}_BRANCH"),
        number=number,
        swift=_setting(config, f"{prefix}_SWIFT") or None,
    )


def market_account(config: Mapping[str, Any], use: str) -> BankAccount | None:
    """The account for deposits or for settlement (deal payments), None when not configured.

    Deposits go to their own account (MARKET_DEPOSIT_BANK_*) when one is set, else to
    the settlement account (MARKET_BANK_*).
    """
    if use == DEPOSITS:
        own = _account(config, "MARKET_DEPOSIT_BANK")
        if own is not None:
            return own
    return _account(config, "MARKET_BANK")


def deposit_reference(context_type: str, context_id: int, org_id: int) -> str:
    """The reference a deposit's transfer quotes, e.g. AUC-5-5."""
    return f"{DEPOSIT_PREFIXES[context_type]}-{context_id}-{org_id}"


def deal_reference(deal_id: int) -> str:
    """The reference a transfer of a deal's price quotes, e.g. DEAL-12."""
    return f"{DEAL_PREFIX}-{deal_id}"


def normalised(reference: str) -> str:
    """A reference as compared: upper case, without spaces."""
    return re.sub(r"\s+", "", reference or "").upper()


def check_reference(stated: str, expected: str) -> str:
    """The stated reference, normalised, if it is the expected one; else ValidationFailed."""
    given = normalised(stated)
    if not given:
        raise ValidationFailed(
            N_("Give the reference you quoted on the transfer."), field="bank_reference"
        )
    if given != normalised(expected):
        raise ValidationFailed(
            N_(
                "The receipt states the reference %(given)s, but this transfer must quote "
                "%(expected)s. Transfers are matched by their reference: make the transfer "
                "again with %(expected)s, or contact the market."
            ),
            field="bank_reference",
            given=given[:40],
            expected=expected,
        )
    return given


def qr_text(account: BankAccount, reference: str, amount_text: str) -> str:
    """What the transfer's QR code holds: every detail a payer types into a bank's app."""
    lines = [
        f"收款人 Payee: {account.payee}",
        f"开户行 Bank: {account.bank}" + (f" {account.branch}" if account.branch else ""),
        f"账号 Account: {account.number}",
    ]
    if account.swift:
        lines.append(f"SWIFT: {account.swift}")
    lines += [f"金额 Amount: {amount_text}", f"附言 Reference: {reference}"]
    return "\n".join(lines)
