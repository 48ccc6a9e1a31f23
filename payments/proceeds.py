"""A co-owned listing's proceeds split by share on the deal's ledger (共有人的收益分配).

The seller is owed the proceeds of a posting (the price's accrual once the deal is
signed, each royalty as it is reported); each other rights holder's share moves from the
seller's payable to a co-owner payable (the holder's organisation, or none for a person:
the posting's key and memo name the holder). Shares are split to the fen by the largest
remainder (listings.co_owner_rules.split): the parts sum exactly to the proceeds.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from core.row_lists import all_of
from deals.models import Deal
from listings import co_owner_rules, co_owners
from payments import ledger, rules
from payments.models import LedgerTransaction
from payments.rules import Account, EntryKind, Leg


def _proceeds(source: LedgerTransaction, seller_org_id: int) -> int:
    legs = [leg for leg in source.legs if leg.account == Account.SELLER_PAYABLE and leg.org_id == seller_org_id]  # fmt: skip
    return -sum(leg.amount_minor for leg in legs)


def split_proceeds(deal: Deal, source_key: str, *, now: datetime, actor_id: int | None) -> list[LedgerTransaction]:  # fmt: skip
    """Post each other holder's share of the seller's proceeds of `source_key` (idempotent)."""
    source = ledger.find(source_key)
    holders = co_owners.holders_of(deal.listing_id) if deal.listing_id else []
    if source is None or len(holders) < 2:
        return []
    proceeds = _proceeds(source, deal.seller_org_id)
    if proceeds <= 0:
        return []
    parts = co_owner_rules.split(proceeds, [h.share_bp for h in holders])
    posted = []
    for holder, part in zip(holders, parts, strict=True):
        if holder.org_id == deal.seller_org_id or part == 0:
            continue  # the seller keeps its own share (what the others' leave)
        legs = [
            Leg(Account.SELLER_PAYABLE, part, deal.currency, deal.seller_org_id),
            Leg(Account.CO_OWNER_PAYABLE, -part, deal.currency, holder.org_id),
        ]
        memo = f"share of {holder.name} ({holder.share_bp / 100:g} %) of {source_key}"
        key = f"{source_key}-share-{holder.id}"
        posted.append(ledger.post(key, EntryKind.PROCEEDS_SPLIT, legs, now=now, deal_id=deal.id, memo=memo, actor_id=actor_id))  # fmt: skip
    return posted


def reverse_splits(deal: Deal, *, now: datetime, actor_id: int | None) -> None:
    """A cancelled deal: its shares go back to the seller's payable, as the accrual reverses."""
    splits = all_of(
        select(LedgerTransaction).where(
            LedgerTransaction.deal_id == deal.id,
            LedgerTransaction.kind == EntryKind.PROCEEDS_SPLIT,
        )
    )
    for entry in splits:
        legs = rules.reversed_legs(ledger.legs_of([entry]))
        ledger.post(f"{entry.key}-reversal", EntryKind.ACCRUAL_REVERSAL, legs, now=now, deal_id=deal.id, memo="the deal was cancelled", actor_id=actor_id)  # fmt: skip
