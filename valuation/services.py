"""Indicative valuations: compute one, and the seller keeps one.

The seller (a member of the listing's organisation) computes and saves indicative
valuations of its listing at any time; valuers compute them too, to prepare reports.
The listing page shows the latest seller-side valuation (indicative or formal) to
everyone who may see the listing; buyer-side reports stay private. Formal reports are
requested and issued in `valuation.requests`.

The use cases flush and never commit: the caller's unit of work (`core.uow`) commits.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.models import User
from core.domain import N_, PermissionDenied
from core.service_kit import audit_action, flush_new
from listings import services as listings
from listings.models import Listing
from valuation import indicative_rules
from valuation.indicative_rules import IndicativeInputs
from valuation.models import Valuation, ValuationRequest
from valuation.queries import comparable_candidates, market_subject, valuation_date
from valuation.rules import SELLER, Kind
from valuation.serialisation import inputs_to_dict, result_to_dict
from valuation.valuers import credential_of, is_valuer


def may_compute(actor: User | None, listing: Listing, *, now: datetime) -> bool:
    """The seller, and valuers (who prepare reports), may compute a valuation of a listing."""
    return listings.is_owner(actor, listing) or is_valuer(actor, now=now)


def compute(
    actor: User | None, listing_id: int, inputs: IndicativeInputs, *, now: datetime
) -> tuple[Listing, dict[str, Any]]:
    """Compute (and save nothing) the indicative valuation of a listing."""
    listing = listings.visible_listing(actor, listing_id)
    if not may_compute(actor, listing, now=now):
        raise PermissionDenied(N_("Only the seller and accredited valuers may value this listing."))
    result = indicative_rules.indicative_valuation(
        inputs, market_subject(listing, now=now), comparable_candidates(listing, now=now)
    )
    return listing, result_to_dict(result, inputs)


def record_valuation(
    actor: User,
    listing: Listing,
    inputs: IndicativeInputs,
    result: dict[str, Any],
    *,
    kind: Kind,
    side: str,
    organisation_id: int,
    now: datetime,
    request: ValuationRequest | None = None,
    opinion: str | None = None,
) -> Valuation:
    """Store a valuation (indicative, or a formal report signed by the actor), and audit it."""
    reconciled = result["reconciled"]["range"]
    valuation = flush_new(
        Valuation(
            listing_id=listing.id,
            organisation_id=organisation_id,
            side=side,
            kind=kind,
            request_id=request.id if request else None,
            created_by_id=actor.id,
            valuation_date=valuation_date(now),
            currency=listing.currency,
            low_minor=reconciled["low_minor"],
            central_minor=reconciled["central_minor"],
            high_minor=reconciled["high_minor"],
            inputs=inputs_to_dict(inputs),
            result=result,
            opinion=opinion,
            signer_name=actor.name if kind == Kind.FORMAL else None,
            signer_credential=credential_of(actor, now=now) if kind == Kind.FORMAL else None,
            created_at=now,
        )
    )
    after = {
        "listing_id": listing.id,
        "kind": kind.value,
        "low_minor": valuation.low_minor,
        "central_minor": valuation.central_minor,
        "high_minor": valuation.high_minor,
        "request_id": valuation.request_id,
    }
    audit_action(f"valuation.{kind.value}", valuation.id, actor.id, now, after=after)
    return valuation


def save_indicative(
    actor: User, listing_id: int, inputs: IndicativeInputs, *, now: datetime
) -> Valuation:
    """The seller keeps an indicative valuation; the listing page shows its range."""
    listing = listings.get_listing(listing_id)
    if not listings.is_owner(actor, listing):
        raise PermissionDenied(N_("Only the seller may save an indicative valuation."))
    _, result = compute(actor, listing_id, inputs, now=now)
    valuation = record_valuation(
        actor,
        listing,
        inputs,
        result,
        kind=Kind.INDICATIVE,
        side=SELLER,
        organisation_id=listing.organisation_id,
        now=now,
    )
    return valuation
