"""What a payer is shown to pay by bank: the market's account, the reference, a QR code.

Every page that asks for a transfer (a deposit of an auction or a listed sale, a deal's
price) renders the same instructions through the template globals `deposit_transfer`
and `deal_transfer` (registered by `init_app`); the receipt upload then checks the
reference (`bank_rules.check_reference`). Reads settings; writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import segno
from flask import Flask, current_app
from markupsafe import Markup

from core.money import Money, format_money
from deals.models import Deal
from payments import bank_rules
from payments.bank_rules import BankAccount
from payments.models import Deposit


@dataclass(frozen=True)
class TransferInstructions:
    """Where to transfer how much, quoting which reference; `account` is None when unset."""

    account: BankAccount | None
    reference: str
    amount_minor: int | None
    currency: str

    @property
    def amount_text(self) -> str:
        """The amount as a payer reads it, or empty when the payer chooses it."""
        if self.amount_minor is None:
            return ""
        return format_money(Money(self.amount_minor, self.currency))

    @cached_property
    def qr_svg(self) -> Markup:
        """The details as a QR code, an inline SVG (empty without an account)."""
        if self.account is None:
            return Markup("")
        text = bank_rules.qr_text(self.account, self.reference, self.amount_text or "—")
        svg = segno.make(text, error="m").svg_inline(
            scale=3, title=self.reference, svgclass="segno", lineclass="qrline"
        )
        return Markup(svg)  # segno escapes the text it draws and the title


def _account(use: str) -> BankAccount | None:
    return bank_rules.market_account(current_app.config, use)


def deposit_transfer(deposit: Deposit) -> TransferInstructions:
    """How to transfer a deposit: to the deposits' account, quoting e.g. AUC-5-5."""
    return TransferInstructions(
        account=_account(bank_rules.DEPOSITS),
        reference=deposit_reference(deposit),
        amount_minor=deposit.amount_minor,
        currency=deposit.currency,
    )


def deal_transfer(deal: Deal, due_minor: int | None = None) -> TransferInstructions:
    """How to transfer (part of) a deal's price: to the settlement account, quoting DEAL-<id>."""
    return TransferInstructions(
        account=_account(bank_rules.SETTLEMENT),
        reference=bank_rules.deal_reference(deal.id),
        amount_minor=due_minor,
        currency=deal.currency,
    )


def deposit_reference(deposit: Deposit) -> str:
    """The reference a deposit's transfer quotes (its context and organisation)."""
    return bank_rules.deposit_reference(deposit.context_type, deposit.context_id, deposit.org_id)


def init_app(app: Flask) -> None:
    """Give every template the transfer instructions of a deposit and of a deal."""
    app.jinja_env.globals.update(deposit_transfer=deposit_transfer, deal_transfer=deal_transfer)
