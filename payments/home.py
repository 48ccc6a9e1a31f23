"""Payments' panels of the home: a buyer's deposits by state, and the reviewers' queues of
deposit receipts, price receipts and bank refunds (core.home)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _

from accounts.models import User
from core.home import (
    BUYER,
    HomeItem,
    HomePanel,
    count_by,
    counted_items,
    home_panels,
    queue_item,
    review_panel,
    role_panels,
)
from payments.deposits import OFFLINE
from payments.models import Deposit, DepositStatus, Payment
from payments.rules import PaymentStatus


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
    return HomePanel(
        key="deposits",
        role=BUYER,
        title=_("Deposits"),
        items=counted_items(
            by_status,
            deposit_labels(),
            url_for("payments.index"),
            urgent={DepositStatus.REQUIRED},
        ),
        empty=_("No deposits: a deposit is paid when you register an intent or join an auction."),
        empty_url=url_for("auctions.index"),
        empty_action=_("Auctions"),
        order=40,
    )


def reviewer_items() -> list[HomeItem]:
    """Deposit receipts to check, price receipts to confirm and bank refunds owed."""
    return [
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


def on_home(user: User, *, roles: frozenset[str], **_kw: Any) -> list[HomePanel] | None:
    return role_panels(
        user.acting_org_id,
        roles,
        buyer=buyer_panel,
        reviewer=lambda: review_panel(
            "review_payments", _("Deposits and payments"), reviewer_items(), order=40
        ),
    )


def connect() -> None:
    home_panels.connect(on_home, weak=False)
