"""Payments' panels of the home: a buyer's deposits by state, and the reviewers' queues of
deposit receipts, price receipts and bank refunds (core.home)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from core.domain import N_
from core.home import (
    BUYER,
    Card,
    HomePanel,
    count_by,
    counted_items,
    panels_of_roles,
    queue_item,
    review_panel,
)
from payments.deposits import OFFLINE
from payments.models import Deposit, DepositStatus, Payment
from payments.rules import PaymentStatus

CARD = Card("deposits", BUYER, N_("Deposits"), 40, N_("No deposits: a deposit is paid when you register an intent or join an auction."), "auctions.index", N_("Auctions"))  # fmt: skip
_TO_PAY = {DepositStatus.REQUIRED}


def deposit_labels() -> dict[DepositStatus, str]:
    return {
        DepositStatus.REQUIRED: _("Deposits to pay"),
        DepositStatus.RECEIPT_SUBMITTED: _("Deposit receipts being checked"),
        DepositStatus.HELD: _("Deposits held"),
        DepositStatus.APPLIED: _("Deposits applied to a price"),
        DepositStatus.RELEASED: _("Deposits released"),
        DepositStatus.FORFEITED: _("Deposits forfeited"),
    }


def buyer_panel(org_id: int) -> HomePanel:
    """The organisation's deposits counted by state; a deposit to pay waits for it."""
    by_status = count_by(Deposit.status, Deposit.org_id == org_id)
    page = url_for("payments.index")
    return CARD.panel(counted_items(by_status, deposit_labels(), page, urgent=_TO_PAY))


def reviewer_panel() -> HomePanel:
    """Deposit receipts to check, price receipts to confirm and bank refunds owed."""
    queues = [
        queue_item(
            _("Deposit receipts to check"),
            url_for("auctions.deposit_queue"),
            Deposit.created_at,
            Deposit.status == DepositStatus.RECEIPT_SUBMITTED,
        ),
        queue_item(
            _("Bank refunds owed"),
            url_for("review.queues") + "#refunds",
            Deposit.release_due_at,
            Deposit.status == DepositStatus.RELEASED,
            Deposit.channel == OFFLINE,
            Deposit.receipt_stored_name.is_not(None),
            Deposit.refunded_at.is_(None),
        ),
        queue_item(
            _("Price payments to confirm"),
            url_for("payments.review"),
            Payment.updated_at,
            Payment.status == PaymentStatus.RECEIPT_SUBMITTED,
        ),
    ]
    return review_panel("review_payments", N_("Deposits and payments"), queues, order=40)


connect = panels_of_roles(buyer=buyer_panel, reviewer=reviewer_panel)
