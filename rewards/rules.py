"""Inventors' rewards (促进科技成果转化法 Art. 45), pure: net income, the pool, the split.

Amounts are integer 分; shares are basis points (1/100 of a per cent). For a transfer or a
licence the pool is at least 50% of the net income (the statutory floor); an institution's
own policy may give more, never less. Rounding never costs an inventor: the pool is rounded
up to the 分 (so it is never below the policy's share, nor the floor), and the split gives
every 分 of the pool away (largest remainder, below).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.domain import N_, DomainError, ValidationFailed

WHOLE_BP = 10_000
STATUTORY_FLOOR_BP = 5_000  # transfer or licence: at least 50% of the net income
MAX_INVENTORS = 20


class CostCategory(enum.StrEnum):
    """Costs of a deal an institution's policy may deduct (DOMAIN.md: fees, commissions,
    maintenance and valuation costs)."""

    FEES = "fees"  # the market's and other transaction fees
    COMMISSIONS = "commissions"  # brokers' commissions
    MAINTENANCE = "maintenance"  # patent annual fees, prosecution
    VALUATION = "valuation"  # valuation and evaluation reports


class RewardRefused(DomainError):
    """A reward the rules do not allow."""


@dataclass(frozen=True)
class InventorShare:
    """An inventor named on a listing and the share of the contribution agreed."""

    key: int  # the inventor's row id (or position): ties are split in this order
    share_bp: int


def check_policy_share(share_bp: int) -> None:
    """A policy's share of net income: from the statutory floor up to the whole."""
    if share_bp < STATUTORY_FLOOR_BP:
        raise RewardRefused(
            N_("The reward share cannot be below the statutory %(floor)s of net income."),
            code="below_floor",
            field="share",
            floor="50%",
        )
    if share_bp > WHOLE_BP:
        raise ValidationFailed(N_("A share is at most %(whole)s."), field="share", whole="100%")


def check_shares(shares: Sequence[int]) -> None:
    """Every inventor has a positive share; together they make 100%."""
    if not 1 <= len(shares) <= MAX_INVENTORS:
        raise ValidationFailed(
            N_("Name one to %(limit)s inventors."), field="inventors", limit=MAX_INVENTORS
        )
    if any(share <= 0 for share in shares) or sum(shares) != WHOLE_BP:
        raise ValidationFailed(
            N_("The inventors' shares must each be above 0 and add up to %(whole)s."),
            code="shares_not_whole",
            field="inventors",
            whole="100%",
        )


def net_income(price_minor: int, costs: Mapping[CostCategory, int], allowed: frozenset[CostCategory]) -> int:  # fmt: skip
    """The price less the costs the policy allows (never below zero); other costs are ignored."""
    if price_minor < 0 or any(amount < 0 for amount in costs.values()):
        raise ValidationFailed(N_("Amounts cannot be negative."), field="costs")
    deducted = sum(amount for category, amount in costs.items() if category in allowed)
    return max(0, price_minor - deducted)


def reward_pool(net_minor: int, share_bp: int) -> int:
    """The pool: `share_bp` of the net income, rounded up to the 分 (never below the share)."""
    check_policy_share(share_bp)
    return -(-net_minor * share_bp // WHOLE_BP)


def split(pool_minor: int, inventors: Sequence[InventorShare]) -> list[int]:
    """Each inventor's amount, in the order given; they add up to the pool exactly.

    Remainder rule (largest remainder): each gets the 分 below their exact share; the 分
    left over go one each to the largest fractional parts, a tie to the larger share, then
    to the inventor named first (smaller key). So a larger share never gets less, and no
    one is more than one 分 from their exact share. (A larger pool may, rarely, pay one
    inventor one 分 less, the Alabama paradox: no rule keeps every amount within one 分 of
    its share and also never lowers one as the pool grows, Balinski and Young.)
    """
    check_shares([i.share_bp for i in inventors])
    exact = [pool_minor * i.share_bp for i in inventors]
    amounts = [e // WHOLE_BP for e in exact]
    left = pool_minor - sum(amounts)
    order = sorted(
        range(len(inventors)),
        key=lambda n: (-(exact[n] % WHOLE_BP), -inventors[n].share_bp, inventors[n].key),
    )
    for n in order[:left]:
        amounts[n] += 1
    return amounts
