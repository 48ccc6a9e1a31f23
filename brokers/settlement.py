"""What a deal owes its brokers: the contract between brokers and the deal ledger.

The payments settlement (marketplace/payments) asks `commissions_due(deal)` when it
posts a deal's accruals, and posts one broker-commission entry per item returned.
The answer must be deterministic and idempotent within a transaction: the first call
for a deal records the attribution (which mandate, which introduction), later calls
return the same items, whatever order the deal_created receivers run in.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from marketplace.deals.models import Deal


class Payer(enum.StrEnum):
    """Who pays a broker's commission, as the mandate says."""

    SELLER = "seller"
    BUYER = "buyer"


@dataclass(frozen=True)
class CommissionDue:
    """One broker's commission on one deal, in the deal's currency (minor units)."""

    mandate_id: int
    broker_user_id: int
    broker_org_id: int  # the organisation whose connected account receives the payout
    payer: Payer
    amount_minor: int


def commissions_due(deal: Deal) -> list[CommissionDue]:
    """The commissions the deal carries (none until brokers' mandates exist: issue 6)."""
    del deal
    return []
