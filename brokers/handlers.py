"""Reactions of brokers to the deal ledger's and the payments' signals (connected in create_app)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.models import OrganisationKind
from brokers import broker_access, matching, settlement
from brokers.rules import BrokerLevel
from deals import signals
from deals.models import Deal
from listings.evaluation_rules import Evaluator
from listings.models import TechNeed
from listings.signals import evaluator_of, need_page
from payments import signals as payment_signals
from payments.rules import Commission


def on_deal_created(deal: Deal, *, now: datetime, actor_id: int | None = None, **_: Any) -> None:
    """A deal between parties a broker introduced carries the broker's commission.

    Runs in the creating transaction (online sale or offline registration); the
    attribution is recorded there, so no later step can drop the broker.
    """
    settlement.record_attribution(deal, now=now, actor_id=actor_id)


def on_deal_commissions(deal: Deal, **_: Any) -> list[Commission]:
    """The commissions the deal owes its brokers, for the payments ledger's accrual."""
    return [
        Commission(
            broker_org_id=item.broker_org_id,
            payer=item.payer,
            amount_minor=item.amount_minor,
        )
        for item in settlement.commissions_due(deal)
    ]


def on_need_page(need: TechNeed, *, viewer: Any, now: datetime, **_: Any) -> dict[str, Any]:
    """The need page offers the matching listings to those who may see them."""
    return {"may_match": matching.may_match_need(viewer, need, now=now)}


def on_may_register_offline(actor: Any, *, now: datetime, **_: Any) -> bool:
    """An accredited broker registers deals closed at the physical market (DOMAIN.md)."""
    return broker_access.is_accredited(actor, now=now)


def on_evaluator_of(actor: Any, *, listing_id: int, now: datetime, **_: Any) -> Evaluator | None:
    """The actor as an evaluator (科技成果评价): accreditation, agency, grade, mandates."""
    broker = broker_access.broker_of(actor)
    if broker is None:
        return None
    return Evaluator(
        user_org_id=actor.acting_org_id,
        broker_org_id=broker.organisation_id,
        accredited=broker_access.broker_accredited(broker, now=now),
        agency=broker.organisation.kind == OrganisationKind.BROKER_AGENCY
        and broker.organisation.is_verified,
        expert=broker.level == BrokerLevel.SENIOR,
        acts_for_party=bool(
            broker_access.mandates_in_force(broker, now=now, listing_id=listing_id)
        ),
    )


def connect() -> None:
    """Connect the receivers (blinker ignores a receiver connected twice)."""
    signals.deal_created.connect(on_deal_created, weak=False)
    payment_signals.deal_commissions.connect(on_deal_commissions, weak=False)
    need_page.connect(on_need_page, weak=False)
    signals.may_register_offline.connect(on_may_register_offline, weak=False)
    evaluator_of.connect(on_evaluator_of, weak=False)
