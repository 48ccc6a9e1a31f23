"""The deal ledger: the one place that knows a sale happened, online or offline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from accounts.models import Organisation, OrganisationKind, User
from accounts.own_rows import rows_of_acting_org
from accounts.services import can_review, get_organisation, is_signed_in, rows_for_reviewer
from core.domain import N_, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.service_kit import audit_action, flush_new, get_or_not_found
from core.signals import values_from_signal
from deals import rules, signals, telling, trade_records
from deals.models import Channel, ContractType, Deal, DealStatus, SaleMethod
from listings import services as listings
from listings.models import Listing
from listings.rules import SaleState

_STAMPS = {
    DealStatus.SIGNED: "signed_at",
    DealStatus.PAID: "paid_at",
    DealStatus.RIGHTS_REGISTERED: "rights_registered_at",
    DealStatus.COMPLETED: "completed_at",
}


def contract_type_for(transfer_modes: list[str]) -> ContractType:
    """A first guess of the registration contract type from how rights change hands."""
    return ContractType.TRANSFER if "assignment" in transfer_modes else ContractType.LICENCE


def record_sale(
    *,
    listing_id: int,
    buyer_org_id: int,
    price_minor: int,
    method: SaleMethod,
    source_type: str,
    source_id: int,
    now: datetime,
    actor_id: int | None = None,
    contract_type: ContractType | None = None,
) -> Deal:
    """An online sale of a listing becomes a deal, and the listing is sold.

    The listing row is locked and moved to SOLD, and the database keeps one live
    deal per listing, so a listing can never be sold twice. Flushes; the caller's unit
    of work commits.
    """
    check_price(price_minor)
    listing = listings.set_sale_state(listing_id, SaleState.SOLD, now=now, actor_id=actor_id)
    deal = online_deal(
        listing, buyer_org_id, price_minor, now=now, method=method, source_type=source_type,
        source_id=source_id,
        contract_type=contract_type or contract_type_for(listing.transfer_modes),
    )  # fmt: skip
    announce_new(deal, "deal.create", actor_id, now)
    return deal


@dataclass(frozen=True)
class OfflineTerms:
    """What the parties of an offline deal agreed, as the contract names them."""

    seller_name: str
    buyer_name: str
    title: str
    method: SaleMethod
    contract_type: ContractType
    price_minor: int


def what_was_sold(listing: Listing) -> dict[str, Any]:
    """The listing's field, IPC section and publication, kept on its deal."""
    first = next(iter(listing.ipc_classes or ()), "")
    section = first[:1].upper()
    return {
        "field": listing.field,
        "ipc_section": section if "A" <= section <= "H" else None,
        "listed_at": listing.published_at,
    }


@dataclass(frozen=True)
class OfflineDeal(OfflineTerms):
    """A deal closed at the physical market, entered by a reviewer with its contract."""

    signed_on: datetime
    seller_org_id: int | None = None
    buyer_org_id: int | None = None
    listing_id: int | None = None


def require_offline_registrar(actor: User, *, now: datetime) -> None:
    """Deals closed at the physical market are registered by a reviewer or, per DOMAIN.md,
    an accredited broker (brokers answers `may_register_offline`)."""
    if actor.is_authenticated and actor.can_review:
        return
    if not any(values_from_signal(signals.may_register_offline, actor, now=now)):
        raise PermissionDenied(
            N_("Only reviewers and accredited brokers register deals closed offline.")
        )


def register_offline_deal(actor: User, data: OfflineDeal, *, now: datetime) -> Deal:
    """A reviewer or an accredited broker registers an offline deal on the same ledger
    (flushes; the caller commits).

    The contract is the evidence of an offline deal, so the caller attaches it in the
    same transaction (`deals.documents.register_offline_deal_with_contract`): a deal
    whose contract failed to upload is never saved. A seller that is not on the platform
    is recorded under the market operator's organisation.
    """
    require_offline_registrar(actor, now=now)
    if data.price_minor <= 0:
        raise ValidationFailed(N_("The price must be more than zero."), field="price")
    for name in ("seller_name", "buyer_name", "title"):
        if not getattr(data, name).strip():
            raise ValidationFailed(N_("This field is required."), field=name)
    listing = None
    if data.listing_id is not None:
        listing = listings.set_sale_state(
            data.listing_id, SaleState.SOLD, now=now, actor_id=actor.id
        )
    seller_org_id = data.seller_org_id
    if seller_org_id is None:
        # Never some other organisation: its members would become a party to the deal.
        operator = db.session.scalar(
            select(Organisation.id)
            .where(Organisation.kind == OrganisationKind.OPERATOR)
            .order_by(Organisation.id)
            .limit(1)
        )
        if operator is None:
            raise ValidationFailed(
                N_(
                    "The seller is not registered on the platform: give its credit code, "
                    "or ask an administrator to set up the market operator's organisation."
                ),
                field="seller_org_id",
            )
        seller_org_id = operator
    deal = Deal(
        listing_id=data.listing_id,
        seller_org_id=seller_org_id,
        buyer_org_id=data.buyer_org_id,
        seller_name=data.seller_name.strip(),
        buyer_name=data.buyer_name.strip(),
        title=data.title.strip(),
        method=data.method,
        channel=Channel.OFFLINE,
        contract_type=data.contract_type,
        price_minor=data.price_minor,
        status=DealStatus.SIGNED,
        created_at=now,
        signed_at=data.signed_on,
        registered_by_id=actor.id,
        **(what_was_sold(listing) if listing is not None else {}),
    )
    return announce_new(deal, "deal.register_offline", actor.id, now)


def check_price(price_minor: int) -> None:
    """A deal's price is more than zero."""
    if price_minor <= 0:
        raise ValidationFailed(N_("The price must be more than zero."), field="price")


def online_deal(
    listing: Listing, buyer_org_id: int, price_minor: int, *, now: datetime, **terms: Any
) -> Deal:
    """A deal of `listing` made online with the buyer, awaiting both signatures (not yet
    added): what was sold, the parties' names and the price; `terms` name the rest."""
    buyer = get_organisation(buyer_org_id)
    return Deal(
        listing_id=listing.id, seller_org_id=listing.organisation_id, buyer_org_id=buyer.id,
        seller_name=listing.organisation.name, buyer_name=buyer.name, title=listing.title(),
        channel=Channel.ONLINE, price_minor=price_minor, currency=listing.currency,
        status=DealStatus.AWAITING_SIGNATURE, created_at=now, **what_was_sold(listing), **terms,
    )  # fmt: skip


def announce_new(deal: Deal, action: str, actor_id: int | None, now: datetime) -> Deal:
    """Add a new deal, audit it under `action`, and tell the domains and integrators."""
    flush_new(deal)
    _audit(deal, action, actor_id, now, before=None)
    signals.deal_created.send(deal, now=now, actor_id=actor_id)
    telling.to_integrators(deal, "deal.created", now=now)
    return deal


def get_deal(deal_id: int) -> Deal:
    """A deal by id, or NotFound."""
    return get_or_not_found(Deal, deal_id, N_("No such deal."))


def is_party(actor: User | None, deal: Deal) -> bool:
    """Whether the actor acts for the seller or the buyer of the deal."""
    org_id = actor.acting_org_id if is_signed_in(actor) else None
    return org_id is not None and org_id in (deal.seller_org_id, deal.buyer_org_id)


def visible_deal(actor: User | None, deal_id: int) -> Deal:
    """A deal for its parties and the reviewers."""
    deal = get_deal(deal_id)
    if not (is_party(actor, deal) or can_review(actor)):
        raise NotFound(N_("No such deal."))
    return deal


def locked_deal(actor: User, deal_id: int) -> Deal:
    """The deal, row-locked, for its parties and the reviewers (NotFound for anyone else)."""
    deal = get_or_not_found(Deal, deal_id, N_("No such deal."), lock=True)
    if not (is_party(actor, deal) or actor.can_review):
        raise NotFound(N_("No such deal."))
    return deal


# What a deal shown whole (the API's DealOutSchema, its allowed actions) needs loaded.
DEAL_SHOWN = (selectinload(Deal.documents), selectinload(Deal.pending_cancellation))


def deals_of(actor: User, *, whole: bool = False) -> list[Deal]:
    """The deals the actor's organisation is a party to, newest first (`whole`: with their
    documents and pending cancellation, as the API shows them)."""
    newest = select(Deal).order_by(Deal.created_at.desc()).options(*(DEAL_SHOWN if whole else ()))
    return rows_of_acting_org(actor, newest, Deal.seller_org_id, Deal.buyer_org_id)


def all_deals(
    actor: User,
    *,
    channel: Channel | None = None,
    status: DealStatus | None = None,
    method: SaleMethod | None = None,
) -> list[Deal]:
    """Every deal of the market, for reviewers (statistics, registration records), filtered."""
    query = select(Deal).order_by(Deal.created_at.desc(), Deal.id.desc()).options(*DEAL_SHOWN)
    if channel is not None:
        query = query.where(Deal.channel == channel)
    if status is not None:
        query = query.where(Deal.status == status)
    if method is not None:
        query = query.where(Deal.method == method)
    return rows_for_reviewer(actor, query)


def may_advance(actor: User | None, deal: Deal, target: DealStatus) -> bool:
    """The seller or a reviewer records each milestone; the buyer may also record its payment."""
    if not is_signed_in(actor):
        return False
    if actor.can_review:
        return True
    org_id = actor.acting_org_id
    if org_id is None:
        return False
    return org_id == deal.seller_org_id or (
        target == DealStatus.PAID and org_id == deal.buyer_org_id
    )


def advance(
    actor: User, deal_id: int, target: DealStatus, *, now: datetime, reference: str | None = None
) -> Deal:
    """Record the next milestone: the seller or a reviewer, or the buyer for its payment.

    Rights registration records the patent office's registration reference (CNIPA, EPO, ...).
    """
    deal = locked_deal(actor, deal_id)
    rules.next_milestone(deal.status, target)
    if not may_advance(actor, deal, target):
        raise PermissionDenied(
            N_("Only the seller or a reviewer may record this step; the buyer records its payment.")
        )
    if target == DealStatus.RIGHTS_REGISTERED and not (reference or "").strip():
        raise ValidationFailed(
            N_("Give the registration number of the transfer with the patent office."),
            field="reference",
        )
    if target == DealStatus.SIGNED:
        trade_records.check_signing(deal)
    before = {"status": deal.status.value}
    deal.status = target
    setattr(deal, _STAMPS[target], now)
    if target == DealStatus.RIGHTS_REGISTERED:
        deal.rights_registration_ref = (reference or "").strip()
    _audit(deal, f"deal.{target.value}", actor.id, now, before=before)
    telling.milestone(deal, now=now, actor_id=actor.id)
    if target == DealStatus.SIGNED:
        signals.deal_signed.send(deal, now=now, actor_id=actor.id)
    telling.to_integrators(deal, f"deal.{target.value}", now=now)
    return deal


def record_paid_in_full(deal_id: int, *, now: datetime, actor_id: int | None) -> Deal | None:
    """The ledger says nothing is due: a signed deal moves to paid (flushes; audited).

    Called by payments in the transaction that brought the last money (or signed a deal
    already paid). A deal not signed yet, or already past paid, stays as it is (None).
    """
    deal = get_or_not_found(Deal, deal_id, N_("No such deal."), lock=True)
    if deal.status != DealStatus.SIGNED:
        return None
    rules.next_milestone(deal.status, DealStatus.PAID)
    before = {"status": deal.status.value}
    deal.status = DealStatus.PAID
    deal.paid_at = now
    _audit(deal, "deal.paid", actor_id, now, before=before, reason="paid in full")
    telling.milestone(deal, now=now, actor_id=None)  # the market's doing, news to everyone
    telling.to_integrators(deal, "deal.paid", now=now)
    return deal


def end_deal(
    deal: Deal, reason: str, *, at_fault_org_id: int | None, now: datetime, actor_id: int | None
) -> Deal:
    """The deal is really cancelled: its listing returns to the market, payments settle.

    Only `deals.cancellation` calls this, once the parties agreed, a reviewer upheld a
    request or the rules apply: no party cancels alone. The deposit of the party at
    fault (`at_fault_org_id`) is forfeited, the others released (payments answers
    `deal_cancelled`). The deal is locked by the caller.
    """
    rules.check_cancellable(deal.status)
    before = {"status": deal.status.value}
    deal.status = DealStatus.CANCELLED
    deal.cancelled_at = now
    deal.cancel_reason = reason.strip()
    if deal.listing_id is not None and deal.source_type != "licence":  # a licence never sold it
        listings.set_sale_state(deal.listing_id, SaleState.AVAILABLE, now=now, actor_id=actor_id)
    _audit(deal, "deal.cancel", actor_id, now, before=before, reason=deal.cancel_reason)
    signals.deal_cancelled.send(deal, now=now, at_fault_org_id=at_fault_org_id, actor_id=actor_id)
    return deal


def _audit(
    deal: Deal,
    action: str,
    actor_id: int | None,
    now: datetime,
    *,
    before: dict | None,
    reason: str | None = None,
) -> None:
    after = {"status": deal.status.value, "price_minor": deal.price_minor}
    audit_action(action, deal.id, actor_id, now, before=before, after=after, reason=reason)
