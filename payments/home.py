"""Payments' panels of the home: a buyer's deposits by state, and the reviewers' queues of
deposit receipts, price receipts and bank refunds (core.home)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from accounts.models import User
from core.extensions import db
from core.home import BUYER, REVIEWER, HomeItem, HomePanel, counted, home_panels
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
    by_status = counted(
        db.session.execute(
            select(Deposit.status, func.count())
            .where(Deposit.org_id == org_id)
            .group_by(Deposit.status)
        ).all()
    )
    items = [
        HomeItem(
            label,
            url_for("payments.index"),
            by_status[status],
            urgent=status == DepositStatus.REQUIRED,
        )
        for status, label in deposit_labels().items()
        if by_status.get(status)
    ]
    return HomePanel(
        key="deposits",
        role=BUYER,
        title=_("Deposits"),
        items=items,
        empty=_("No deposits: a deposit is paid when you register an intent or join an auction."),
        empty_url=url_for("auctions.index"),
        empty_action=_("Auctions"),
        order=40,
    )


def reviewer_items() -> list[HomeItem]:
    """Deposit receipts to check, price receipts to confirm and bank refunds owed."""
    receipts, oldest_receipt = db.session.execute(
        select(func.count(), func.min(Deposit.created_at)).where(
            Deposit.status == DepositStatus.RECEIPT_SUBMITTED
        )
    ).one()
    refunds, oldest_refund = db.session.execute(
        select(func.count(), func.min(Deposit.release_due_at)).where(
            Deposit.status == DepositStatus.RELEASED,
            Deposit.channel == OFFLINE,
            Deposit.receipt_stored_name.is_not(None),
            Deposit.refunded_at.is_(None),
        )
    ).one()
    payments, oldest_payment = db.session.execute(
        select(func.count(), func.min(Payment.updated_at)).where(
            Payment.status == PaymentStatus.RECEIPT_SUBMITTED
        )
    ).one()
    return [
        HomeItem(
            _("Deposit receipts to check"),
            url_for("auctions.deposit_queue"),
            receipts,
            oldest_receipt,
            urgent=True,
        ),
        HomeItem(
            _("Bank refunds owed"),
            url_for("review.queues") + "#refunds",
            refunds,
            oldest_refund,
            urgent=True,
        ),
        HomeItem(
            _("Price payments to confirm"),
            url_for("payments.review"),
            payments,
            oldest_payment,
            urgent=True,
        ),
    ]


def on_home(user: User, *, roles: frozenset[str], **_kw: Any) -> list[HomePanel] | None:
    panels = []
    if BUYER in roles and user.acting_org_id is not None:
        panels.append(buyer_panel(user.acting_org_id))
    if REVIEWER in roles:
        panels.append(
            HomePanel(
                key="review_payments",
                role=REVIEWER,
                title=_("Deposits and payments"),
                items=reviewer_items(),
                order=40,
            )
        )
    return panels or None


def connect() -> None:
    home_panels.connect(on_home, weak=False)
