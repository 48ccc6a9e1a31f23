"""Pure rules of the deal ledger: accounts, balanced postings, fees, capture windows.

Double entry: a posting is a list of legs whose signed amounts sum to zero in each
currency (positive = debit, negative = credit). Assets (cash, card holds, what a buyer
owes) carry debit balances; what the platform owes (deposits held, seller and broker
payables) and its income (fees, forfeited deposits) carry credit balances. No Flask, no
database, no clock: amounts, dates and parties come in as arguments.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.domain import N_, DomainError, ValidationFailed
from deals.rules import Side

BPS = 10_000  # basis points in one whole
MIN_DEPOSIT_BPS, MAX_DEPOSIT_BPS = 500, 2000  # a deposit (保证金): 5–20 % of the price
DEFAULT_PLATFORM_FEE_BPS = 100  # 1 % of the price, kept by the platform
# Card authorisations of customer-initiated payments last about 7 days; we keep a margin.
DEFAULT_CAPTURE_WINDOW = timedelta(days=6)


class Account(enum.StrEnum):
    """The ledger's accounts; those of a party carry its organisation id."""

    BUYER_RECEIVABLE = "buyer_receivable"  # asset: what the buyer owes on a deal
    SELLER_PAYABLE = "seller_payable"  # liability: what the platform owes the seller
    BROKER_PAYABLE = "broker_payable"  # liability: what it owes a broker organisation
    CO_OWNER_PAYABLE = "co_owner_payable"  # liability: a co-owner's share of the proceeds
    PLATFORM_FEE = "platform_fee"  # income: the platform's fee
    DEPOSITS_HELD = "deposits_held"  # liability: deposits held for their payer
    FORFEITED_DEPOSITS = "forfeited_deposits"  # income: the market's fee on forfeited deposits
    BANK = "bank"  # asset: the platform's bank account (offline channel)
    STRIPE_BALANCE = "stripe_balance"  # asset: captured card money on Stripe
    CARD_HOLDS = "card_holds"  # asset: card authorisations not captured yet
    # The selling institution's own books (rewards/): its inventors' reward (促进科技成果转化法
    # Art. 45) set aside from its proceeds; no money moves through the market.
    REWARD_POOL = "reward_pool"  # expense of the institution
    INVENTOR_REWARDS = "inventor_rewards"  # liability: owed by the institution to inventors


PARTY_ACCOUNTS = frozenset(
    {
        Account.BUYER_RECEIVABLE,
        Account.SELLER_PAYABLE,
        Account.BROKER_PAYABLE,
        Account.DEPOSITS_HELD,
    }
)


class EntryKind(enum.StrEnum):
    """What a posting records."""

    ACCRUAL = "accrual"  # the deal's settlement: who owes whom
    ACCRUAL_REVERSAL = "accrual_reversal"  # the deal was cancelled
    DEPOSIT_HELD = "deposit_held"
    DEPOSIT_CAPTURED = "deposit_captured"  # a card hold became money on Stripe
    DEPOSIT_APPLIED = "deposit_applied"  # the winner's deposit pays part of the price
    DEPOSIT_UNAPPLIED = "deposit_unapplied"  # the deal fell: the deposit is a deposit again
    DEPOSIT_RELEASED = "deposit_released"
    DEPOSIT_FORFEITED = "deposit_forfeited"
    PAYMENT_RECEIVED = "payment_received"
    SELLER_PAYOUT = "seller_payout"
    BROKER_PAYOUT = "broker_payout"
    REFUND = "refund"
    ROYALTY = "royalty"  # a licence's royalty for a period: licensee owes, licensor is owed
    PROCEEDS_SPLIT = "proceeds_split"  # the seller's proceeds shared with its co-owners
    INVENTOR_REWARD = "inventor_reward"  # an institution's reward pool for its inventors


class PaymentChannel(enum.StrEnum):
    """How money moves: a card through Stripe, or a bank transfer confirmed by a reviewer."""

    STRIPE = "stripe"
    OFFLINE = "offline"


# Who pays a broker's commission, as the mandate says (brokers.rules.Payer): a side of the sale.
CommissionPayer = Side


class LedgerUnbalanced(DomainError):
    """A posting whose legs do not sum to zero: a programming error, never saved."""

    code = "ledger_unbalanced"


@dataclass(frozen=True)
class Leg:
    """One line of a posting: a signed amount on one account (of one party, if any)."""

    account: Account
    amount_minor: int  # + debit, − credit
    currency: str
    org_id: int | None = None


@dataclass(frozen=True)
class Commission:
    """A broker's commission on a deal, as the accrual needs it."""

    broker_org_id: int
    payer: CommissionPayer
    amount_minor: int


def totals_by_currency(legs: Iterable[Leg]) -> dict[str, int]:
    """The sum of the legs in each currency (zero everywhere when balanced)."""
    sums: dict[str, int] = defaultdict(int)
    for leg in legs:
        sums[leg.currency] += leg.amount_minor
    return dict(sums)


def is_balanced(legs: Iterable[Leg]) -> bool:
    """Whether the legs sum to zero in every currency."""
    return all(total == 0 for total in totals_by_currency(legs).values())


def check_balanced(legs: Sequence[Leg]) -> None:
    """Raise LedgerUnbalanced unless the posting balances and has at least two non-zero legs."""
    if not is_balanced(legs):
        raise LedgerUnbalanced(N_("The ledger entry does not balance."))
    if len([leg for leg in legs if leg.amount_minor != 0]) < 2:
        raise LedgerUnbalanced(N_("A ledger entry needs two sides."))


def _clean(legs: Iterable[Leg]) -> list[Leg]:
    result = [leg for leg in legs if leg.amount_minor != 0]
    check_balanced(result)
    return result


def platform_fee(price_minor: int, fee_bps: int) -> int:
    """The platform's fee on a price, rounded half up to the fen."""
    if price_minor < 0 or not 0 <= fee_bps <= BPS:
        raise ValueError("price must be >= 0 and fee between 0 and 10000 bps")
    return (price_minor * fee_bps + BPS // 2) // BPS


@dataclass(frozen=True)
class Settlement:
    """Who owes whom on a deal."""

    buyer_owes: int
    seller_receives: int
    platform_fee: int
    brokers: tuple[tuple[int, int], ...]  # (broker org id, amount)


def settlement(price_minor: int, fee_bps: int, commissions: Sequence[Commission]) -> Settlement:
    """The buyer pays the price plus commissions it owes; the seller the fee and its own.

    Refuses a settlement where the seller would receive less than nothing.
    """
    if price_minor <= 0:
        raise ValidationFailed(N_("The price must be more than zero."), field="price")
    fee = platform_fee(price_minor, fee_bps)
    if any(c.amount_minor < 0 for c in commissions):
        raise ValidationFailed(N_("A commission cannot be negative."), field="commission")
    buyer_paid = sum(c.amount_minor for c in commissions if c.payer == CommissionPayer.BUYER)
    seller_paid = sum(c.amount_minor for c in commissions if c.payer == CommissionPayer.SELLER)
    seller_receives = price_minor - fee - seller_paid
    if seller_receives < 0:
        raise ValidationFailed(N_("The fee and commissions exceed the price."), field="commission")
    brokers: dict[int, int] = defaultdict(int)
    for c in commissions:
        brokers[c.broker_org_id] += c.amount_minor
    return Settlement(
        buyer_owes=price_minor + buyer_paid,
        seller_receives=seller_receives,
        platform_fee=fee,
        brokers=tuple(sorted(brokers.items())),
    )


def accrual_legs(
    s: Settlement, *, currency: str, buyer_org_id: int | None, seller_org_id: int
) -> list[Leg]:
    """The deal's accrual: the buyer owes, the seller, the platform and the brokers are owed."""
    legs = [
        Leg(Account.BUYER_RECEIVABLE, s.buyer_owes, currency, buyer_org_id),
        Leg(Account.SELLER_PAYABLE, -s.seller_receives, currency, seller_org_id),
        Leg(Account.PLATFORM_FEE, -s.platform_fee, currency),
    ]
    legs += [Leg(Account.BROKER_PAYABLE, -amount, currency, org) for org, amount in s.brokers]
    return _clean(legs)


def reversed_legs(legs: Iterable[Leg]) -> list[Leg]:
    """The same legs with the sides swapped (a reversal)."""
    return _clean(Leg(leg.account, -leg.amount_minor, leg.currency, leg.org_id) for leg in legs)


def cash_account(channel: PaymentChannel, *, captured: bool = True) -> Account:
    """Where a channel's money sits: the bank, Stripe's balance, or a card hold."""
    if channel == PaymentChannel.OFFLINE:
        return Account.BANK
    return Account.STRIPE_BALANCE if captured else Account.CARD_HOLDS


def deposit_held_legs(org_id: int, amount: int, currency: str, source: Account) -> list[Leg]:
    """A deposit arrives (bank, Stripe balance or card hold) and is held for its payer."""
    return _clean(
        [Leg(source, amount, currency), Leg(Account.DEPOSITS_HELD, -amount, currency, org_id)]
    )


def deposit_captured_legs(amount: int, currency: str) -> list[Leg]:
    """A card hold is captured: it becomes money on Stripe."""
    return _clean(
        [Leg(Account.STRIPE_BALANCE, amount, currency), Leg(Account.CARD_HOLDS, -amount, currency)]
    )


def deposit_applied_legs(org_id: int, amount: int, currency: str) -> list[Leg]:
    """The winner's deposit pays part of what it owes on the deal."""
    return _clean(
        [
            Leg(Account.DEPOSITS_HELD, amount, currency, org_id),
            Leg(Account.BUYER_RECEIVABLE, -amount, currency, org_id),
        ]
    )


def deposit_released_legs(org_id: int, amount: int, currency: str, source: Account) -> list[Leg]:
    """A deposit goes back where it came from (bank transfer, refund, or a cancelled hold)."""
    return _clean(
        [Leg(Account.DEPOSITS_HELD, amount, currency, org_id), Leg(source, -amount, currency)]
    )


def payment_received_legs(
    org_id: int | None, amount: int, currency: str, channel: PaymentChannel
) -> list[Leg]:
    """The buyer paid (part of) what it owes."""
    return _clean(
        [
            Leg(cash_account(channel), amount, currency),
            Leg(Account.BUYER_RECEIVABLE, -amount, currency, org_id),
        ]
    )


def payout_legs(
    payable: Account, org_id: int, amount: int, currency: str, channel: PaymentChannel
) -> list[Leg]:
    """The platform pays a seller or a broker what it owes them."""
    if payable not in (Account.SELLER_PAYABLE, Account.BROKER_PAYABLE):
        raise ValueError("a payout settles a seller's or a broker's payable")
    return _clean(
        [Leg(payable, amount, currency, org_id), Leg(cash_account(channel), -amount, currency)]
    )


def refund_legs(
    org_id: int | None, amount: int, currency: str, channel: PaymentChannel
) -> list[Leg]:
    """Money the buyer paid goes back to it."""
    return _clean(
        [
            Leg(Account.BUYER_RECEIVABLE, amount, currency, org_id),
            Leg(cash_account(channel), -amount, currency),
        ]
    )


def balance(legs: Iterable[Leg], account: Account, org_id: int | None = None) -> int:
    """The debit balance of one account (of one party) over the legs."""
    return sum(
        leg.amount_minor
        for leg in legs
        if leg.account == account and (org_id is None or leg.org_id == org_id)
    )


def amount_due(legs: Iterable[Leg], buyer_org_id: int | None) -> int:
    """What the buyer still owes on the deal (never negative)."""
    return max(0, balance(legs, Account.BUYER_RECEIVABLE, buyer_org_id))


def payable_to(legs: Iterable[Leg], account: Account, org_id: int) -> int:
    """What the platform still owes a seller or broker on the deal (credit balance)."""
    return max(0, -balance(legs, account, org_id))


# --- Stripe deposits: hold or charge -----------------------------------------------------


def use_manual_capture(
    *, period_ends_at: datetime, now: datetime, window: timedelta = DEFAULT_CAPTURE_WINDOW
) -> bool:
    """Hold the card (manual capture) only when the sale ends while the hold still lasts.

    Otherwise the deposit is charged at once and refunded to those who do not win.
    """
    return period_ends_at <= now + window


def capture_still_possible(capture_before: datetime | None, now: datetime) -> bool:
    """Whether a card hold may still be captured (Stripe's `capture_before`)."""
    return capture_before is None or now < capture_before


# --- payment records ---------------------------------------------------------------------


class PaymentStatus(enum.StrEnum):
    """A payment: pending → (receipt submitted →) succeeded; or failed / rejected / refunded."""

    PENDING = "pending"  # waiting for the card or the bank transfer
    RECEIPT_SUBMITTED = "receipt_submitted"  # bank receipt waiting for a reviewer
    REQUIRES_CAPTURE = "requires_capture"  # card held (deposits with manual capture)
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REJECTED = "rejected"  # the reviewer found no such transfer
    REFUNDED = "refunded"
    CANCELLED = "cancelled"  # hold released without capture


_PAYMENT_MOVES: dict[PaymentStatus, frozenset[PaymentStatus]] = {
    PaymentStatus.PENDING: frozenset(
        {
            PaymentStatus.RECEIPT_SUBMITTED,
            PaymentStatus.REQUIRES_CAPTURE,
            PaymentStatus.SUCCEEDED,
            PaymentStatus.FAILED,
            PaymentStatus.CANCELLED,
        }
    ),
    PaymentStatus.RECEIPT_SUBMITTED: frozenset(
        {PaymentStatus.SUCCEEDED, PaymentStatus.REJECTED, PaymentStatus.RECEIPT_SUBMITTED}
    ),
    PaymentStatus.REQUIRES_CAPTURE: frozenset({PaymentStatus.SUCCEEDED, PaymentStatus.CANCELLED}),
    PaymentStatus.SUCCEEDED: frozenset({PaymentStatus.REFUNDED}),
    PaymentStatus.FAILED: frozenset({PaymentStatus.SUCCEEDED}),  # a late success still counts
    PaymentStatus.REJECTED: frozenset({PaymentStatus.RECEIPT_SUBMITTED}),
    PaymentStatus.REFUNDED: frozenset(),
    PaymentStatus.CANCELLED: frozenset(),
}


class PaymentStateError(DomainError):
    """A payment cannot move that way."""

    code = "payment_state"


def may_move(current: PaymentStatus, target: PaymentStatus) -> bool:
    """Whether a payment may go from `current` to `target`."""
    return target in _PAYMENT_MOVES[current]


def check_move(current: PaymentStatus, target: PaymentStatus) -> None:
    """Raise PaymentStateError unless the move is allowed."""
    if not may_move(current, target):
        raise PaymentStateError(
            N_("This payment is %(status)s and cannot become %(target)s."),
            status=current.value,
            target=target.value,
        )


def check_payment_amount(amount_minor: int, due_minor: int) -> None:
    """A payment of the price is more than zero and no more than what is due."""
    if due_minor <= 0:
        raise PaymentStateError(N_("Nothing is due on this deal."), code="nothing_due")
    if amount_minor <= 0:
        raise ValidationFailed(N_("The amount must be more than zero."), field="amount")
    if amount_minor > due_minor:
        raise ValidationFailed(N_("The amount is more than what is due."), field="amount")


class PayoutStatus(enum.StrEnum):
    """A payout to a seller or broker: blocked (no onboarding) → pending → paid, or failed."""

    BLOCKED = "blocked"  # the payee's connected account is not ready
    PENDING = "pending"  # Stripe transfer queued, or a bank transfer for a reviewer to make
    PAID = "paid"
    FAILED = "failed"


class OperationStatus(enum.StrEnum):
    """A call to Stripe decided in our transaction: pending until Stripe answered."""

    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"  # Stripe refused it for good; a person looks at it
    SUPERSEDED = "superseded"  # decided, then overtaken before it was made (capture → cancel)
