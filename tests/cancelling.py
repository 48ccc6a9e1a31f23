"""Cancelling a deal the ways the market allows, for tests whose subject is what follows."""

from __future__ import annotations

from datetime import datetime

from accounts.models import User
from deals import cancellation
from deals.cancellation_rules import Answer, Grounds, Side
from deals.models import DealCancellation


def by_agreement(
    proposer: User, confirmer: User, deal_id: int, reason: str, *, now: datetime
) -> DealCancellation:
    """One party proposes, the other confirms: the deal is cancelled with no one at fault."""
    proposal = cancellation.propose(proposer, deal_id, reason, now=now)
    return cancellation.answer(confirmer, deal_id, proposal.id, Answer.AGREE, now=now)


def by_ruling(
    requester: User,
    reviewer: User,
    deal_id: int,
    reason: str,
    *,
    at_fault: Side,
    now: datetime,
) -> DealCancellation:
    """A party asks, a reviewer upholds naming `at_fault`: that party forfeits its deposit."""
    request = cancellation.request_ruling(requester, deal_id, Grounds.DEFAULT, reason, now=now)
    return cancellation.rule(
        reviewer, deal_id, request.id, upheld=True, at_fault=at_fault, reason=reason, now=now
    )
