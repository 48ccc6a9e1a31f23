"""What a deal owes its brokers: the contract between brokers and the deal ledger.

The payments settlement asks for a deal's commissions (the `payments.signals.deal_commissions`
signal, answered in `brokers.handlers` with `commissions_due(deal)`) when it
posts a deal's accruals, and posts one broker-commission entry per item returned.
The answer must be deterministic and idempotent within a transaction: the first call
for a deal records the attribution (which mandate, which introduction), later calls
return the same items, whatever order the deal_created receivers run in.

Attribution: a deal carries a mandate's commission when its two parties were
introduced by the mandate's broker before the deal (the introduction's record time,
whether they accepted it, declined it or never answered: declining does not let them
bypass the broker), and the deal falls within the mandate's term; a mandate on one
listing covers deals of that listing only. One commission per mandate per deal; an
accepted introduction is named in preference to a declined one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from brokers import rules
from brokers.models import DealCommission, Introduction, Mandate
from brokers.rules import CommissionKind, IntroductionStatus, Payer
from core.clock import as_utc
from core.extensions import db
from core.row_lists import all_of
from core.service_kit import audit_action, flush_new
from deals.models import Deal

__all__ = ["CommissionDue", "Payer", "commissions_due", "record_attribution"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CommissionDue:
    """One broker's commission on one deal, in the deal's currency (minor units)."""

    mandate_id: int
    broker_user_id: int
    broker_org_id: int  # the organisation whose connected account receives the payout
    payer: Payer
    amount_minor: int


def _due(row: DealCommission) -> CommissionDue:
    return CommissionDue(
        mandate_id=row.mandate_id,
        broker_user_id=row.broker_user_id,
        broker_org_id=row.broker_org_id,
        payer=row.payer,
        amount_minor=row.amount_minor,
    )


def commissions_due(deal: Deal) -> list[CommissionDue]:
    """The commissions the deal carries; the first call records them (flushes, never commits)."""
    existing = _recorded(deal.id)
    if existing is None:
        existing = record_attribution(deal, now=as_utc(deal.created_at))
    return [_due(row) for row in existing if row.amount_minor > 0]


def _recorded(deal_id: int) -> list[DealCommission] | None:
    """The commissions already attributed to the deal, or None if attribution never ran."""
    rows = all_of(
        select(DealCommission)
        .where(DealCommission.deal_id == deal_id)
        .order_by(DealCommission.mandate_id)
    )
    return rows or None


def record_attribution(
    deal: Deal, *, now: datetime, actor_id: int | None = None
) -> list[DealCommission]:
    """Attribute the deal to the brokers who introduced its parties (idempotent, flushes)."""
    recorded = _recorded(deal.id)
    if recorded is not None:
        return recorded
    if deal.buyer_org_id is None:
        return []
    deal_at = as_utc(deal.created_at)
    introductions = sorted(
        db.session.scalars(
            select(Introduction).where(
                Introduction.seller_org_id == deal.seller_org_id,
                Introduction.buyer_org_id == deal.buyer_org_id,
            )
        ),
        key=lambda i: (i.status != IntroductionStatus.ACCEPTED, as_utc(i.created_at), i.id),
    )
    rows: list[DealCommission] = []
    seen: set[int] = set()
    for introduction in introductions:
        mandate: Mandate = introduction.mandate
        if mandate.id in seen or not rules.protects_broker(introduction.status):
            continue
        if not rules.attributable(
            term=mandate.term(),
            introduced_at=as_utc(introduction.created_at),
            deal_at=deal_at,
            mandate_listing_id=mandate.listing_id,
            deal_listing_id=deal.listing_id,
        ):
            continue
        terms = mandate.terms()
        if mandate.currency != deal.currency and terms.kind == CommissionKind.FIXED:
            log.warning("deal %s: mandate %s is in another currency", deal.id, mandate.id)
            continue
        if mandate.currency != deal.currency:  # the rate applies, the bounds do not
            terms = rules.CommissionTerms(kind=terms.kind, rate_bps=terms.rate_bps)
        amount = rules.commission_minor(terms, deal.price_minor)
        seen.add(mandate.id)
        row = DealCommission(
            deal_id=deal.id,
            mandate_id=mandate.id,
            introduction_id=introduction.id,
            broker_id=mandate.broker_id,
            broker_user_id=mandate.broker.user_id,
            broker_org_id=mandate.broker.organisation_id,
            payer=mandate.payer,
            basis_minor=deal.price_minor,
            amount_minor=amount,
            currency=deal.currency,
            terms={
                "kind": terms.kind.value,
                "rate_bps": terms.rate_bps,
                "min_minor": terms.min_minor,
                "max_minor": terms.max_minor,
                "fixed_minor": terms.fixed_minor,
                "above_cap_agreed": mandate.above_cap_agreed,
            },
            created_at=now,
        )
        flush_new(row)
        after = {
            "mandate_id": mandate.id,
            "introduction_id": introduction.id,
            "broker_id": mandate.broker_id,
            "amount_minor": amount,
            "payer": mandate.payer.value,
            "introduction_status": introduction.status.value,
        }
        audit_action("deal.broker_commission", deal.id, actor_id, now, after=after)
        rows.append(row)
    return rows
