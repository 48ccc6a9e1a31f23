"""The deal ledger (postings and their legs), payments, payouts, the Stripe records and deposits."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db_types import UTCDateTime, enum_column
from core.extensions import Model, db

if TYPE_CHECKING:
    from deals.models import Deal
from payments.rules import (
    Account,
    EntryKind,
    OperationStatus,
    PaymentChannel,
    PaymentStatus,
    PayoutStatus,
)


class LedgerTransaction(Model):
    """One balanced posting; `key` makes posting idempotent (a replay finds it already there).

    A posting belongs to a deal, or to a deposit before any deal exists; a deal's
    ledger is its postings plus those of the deposits applied to it.
    """

    __tablename__ = "ledger_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[EntryKind] = mapped_column(enum_column(EntryKind))
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"), index=True)
    deposit_id: Mapped[int | None] = mapped_column(ForeignKey("deposits.id"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"))
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("payouts.id"))
    channel: Mapped[PaymentChannel | None] = mapped_column(enum_column(PaymentChannel))
    memo: Mapped[str] = mapped_column(String(300), default="")
    external_ref: Mapped[str | None] = mapped_column(String(255))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    legs: Mapped[list[LedgerLeg]] = relationship(
        back_populates="transaction", cascade="all, delete-orphan", order_by="LedgerLeg.id"
    )


class LedgerLeg(Model):
    """A signed amount on one account (+ debit, − credit), of one party where it has one."""

    __tablename__ = "ledger_legs"

    id: Mapped[int] = mapped_column(primary_key=True)
    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_transactions.id", ondelete="CASCADE"), index=True
    )
    account: Mapped[Account] = mapped_column(enum_column(Account))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))

    transaction: Mapped[LedgerTransaction] = relationship(back_populates="legs")

    __table_args__ = (db.Index("ix_ledger_legs_account_org", "account", "org_id"),)


class ReceiptMixin:
    """The receipt of a bank transfer, as the payer uploaded it (see `payments.receipts`)."""

    receipt_name: Mapped[str | None] = mapped_column(String(255))
    receipt_stored_name: Mapped[str | None] = mapped_column(String(80))
    receipt_sha256: Mapped[str | None] = mapped_column(String(64))
    bank_reference: Mapped[str | None] = mapped_column(String(100))


class Payment(ReceiptMixin, Model):
    """Money a party sends: a deposit by card, or (part of) a deal's price by card or bank."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))  # deposit, price, open_licence
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"), index=True)
    # The open licence (专利开放许可) whose fee this pays (licences/ sits above payments).
    open_licence_id: Mapped[int | None] = mapped_column(ForeignKey("open_licences.id"), index=True)
    deposit_id: Mapped[int | None] = mapped_column(ForeignKey("deposits.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    channel: Mapped[PaymentChannel] = mapped_column(enum_column(PaymentChannel))
    status: Mapped[PaymentStatus] = mapped_column(enum_column(PaymentStatus), index=True)
    capture_method: Mapped[str | None] = mapped_column(String(16))  # manual, automatic
    checkout_session_id: Mapped[str | None] = mapped_column(String(255), index=True)
    checkout_url: Mapped[str | None] = mapped_column(String(2000))
    payment_intent_id: Mapped[str | None] = mapped_column(String(255), index=True)
    capture_before: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    succeeded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @classmethod
    def of_price(
        cls, deal: Deal, payer_id: int, amount_minor: int, channel: PaymentChannel,
        status: PaymentStatus, now: datetime, **more: Any,
    ) -> Payment:  # fmt: skip
        """A payment of (part of) `deal`'s price by its buyer, started at `now`."""
        return cls(
            purpose="price", deal_id=deal.id, org_id=deal.buyer_org_id, user_id=payer_id,
            amount_minor=amount_minor, currency=deal.currency, channel=channel, status=status,
            created_at=now, updated_at=now, **more,
        )  # fmt: skip


class Payout(Model):
    """What the platform pays a seller or a broker organisation on one deal."""

    __tablename__ = "payouts"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # seller, broker
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    channel: Mapped[PaymentChannel] = mapped_column(enum_column(PaymentChannel))
    status: Mapped[PayoutStatus] = mapped_column(enum_column(PayoutStatus), index=True)
    transfer_id: Mapped[str | None] = mapped_column(String(255))
    bank_reference: Mapped[str | None] = mapped_column(String(100))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        db.UniqueConstraint("deal_id", "org_id", "role", name="uq_payouts_deal_org_role"),
    )


class StripeOperation(Model):
    """A call to Stripe decided inside our transaction and made after the commit.

    `key` is the idempotency key sent to Stripe: a retry after a crash sends the same
    key, so Stripe answers with the first result instead of acting twice.
    """

    __tablename__ = "stripe_operations"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(24))  # capture, cancel, refund, transfer
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), index=True)
    payout_id: Mapped[int | None] = mapped_column(ForeignKey("payouts.id"), index=True)
    amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[OperationStatus] = mapped_column(enum_column(OperationStatus), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(2000))
    stripe_object_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class StripeEvent(Model):
    """A webhook event already applied: its id is unique, stored with its effect."""

    __tablename__ = "stripe_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    type: Mapped[str] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ConnectedAccount(Model):
    """An organisation's Stripe Connect account; payouts wait until it can receive them."""

    __tablename__ = "connected_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), unique=True)
    stripe_account_id: Mapped[str] = mapped_column(String(255), unique=True)
    details_submitted: Mapped[bool] = mapped_column(Boolean, default=False)
    charges_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    payouts_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def ready(self) -> bool:
        """Onboarding complete: Stripe accepts transfers and pays them out."""
        return self.details_submitted and self.payouts_enabled


class DepositStatus(enum.StrEnum):
    """required → (receipt submitted) → held → applied / released / forfeited."""

    REQUIRED = "required"
    RECEIPT_SUBMITTED = "receipt_submitted"
    HELD = "held"
    APPLIED = "applied"
    RELEASED = "released"
    FORFEITED = "forfeited"


class Deposit(ReceiptMixin, Model):
    """The deposit (保证金) one bidder owes for one auction or listed sale.

    The ledger of a context is the set of its deposits with their states; the
    online (Stripe) channel will write the same rows with channel='stripe'.
    """

    __tablename__ = "deposits"

    id: Mapped[int] = mapped_column(primary_key=True)
    context_type: Mapped[str] = mapped_column(String(16))  # auction, listed_sale
    context_id: Mapped[int] = mapped_column(Integer)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    status: Mapped[DepositStatus] = mapped_column(enum_column(DepositStatus), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="offline")
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    release_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deal_id: Mapped[int | None] = mapped_column(ForeignKey("deals.id"))
    # A released deposit paid by bank goes back by a reviewer's transfer, recorded here.
    refunded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refund_reference: Mapped[str | None] = mapped_column(String(100))
    refund_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (
        db.UniqueConstraint("context_type", "context_id", "org_id", name="uq_deposits_context_org"),
        db.Index("ix_deposits_context", "context_type", "context_id"),
    )
