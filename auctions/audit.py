"""The audit trail of auctions: the entry of a change, and the fields every entry shows."""

from __future__ import annotations

from typing import Any

from auctions import rules
from auctions.models import Auction
from core import audit
from core.audit_fields import fields_of

AUDITED = ("status", "current_price_minor", "leader_org_id", "bid_count", "ends_at")


def audited_fields(auction: Auction) -> dict[str, Any]:
    """The audit view of an auction row."""
    return fields_of(auction, AUDITED)


# Writes the audit entry `auction.<action>` with the auction's audited fields after it.
record_audit = audit.ChangeRecorder("auction", audited_fields)


def audited_fields_of_state(state: rules.AuctionState) -> dict[str, Any]:
    """The audit view of an auction's state (the same keys as `audited_fields`)."""
    return {
        "status": state.status.value,
        "current_price_minor": state.current_price,
        "leader_org_id": state.leader_org_id,
        "bid_count": state.bid_count,
        "ends_at": state.ends_at.isoformat(),
    }
