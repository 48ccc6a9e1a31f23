"""Read models of listed sales (挂牌) and negotiations (协议定价): what pages and the API show."""

from __future__ import annotations

from sqlalchemy import or_, select

from accounts.models import User
from core.domain import N_, DomainError, NotFound
from core.extensions import db
from core.row_lists import all_of
from core.rows import get_row
from payments.models import Deposit
from trading import rules
from trading.guards import org_of
from trading.models import (
    ListedSale,
    ListedSaleStatus,
    Negotiation,
    NegotiationMessage,
    NegotiationStatus,
    SaleIntent,
)

CONTEXT = "listed_sale"  # the deposit ledger's context type of a listed sale

# Entries of a negotiation's thread.
OFFER_KINDS = ("offer", "counter")


# --- listed sales ----------------------------------------------------------------------


def get_sale(sale_id: int) -> ListedSale:
    """A listed sale by id, or NotFound."""
    return get_row(ListedSale, sale_id, N_("No such listed sale."))


def latest_sale(listing_id: int) -> ListedSale | None:
    """The listing's most recent listed sale, if any."""
    return db.session.scalar(
        select(ListedSale)
        .where(ListedSale.listing_id == listing_id)
        .order_by(ListedSale.id.desc())
        .limit(1)
    )


def sales(
    *, status: ListedSaleStatus | None = ListedSaleStatus.OPEN, limit: int = 100
) -> list[ListedSale]:
    """Listed sales, those ending soonest first (open ones by default)."""
    query = select(ListedSale)
    if status is not None:
        query = query.where(ListedSale.status == status)
    return all_of(query.order_by(ListedSale.ends_at, ListedSale.id).limit(limit))


def active_intents(sale: ListedSale) -> list[SaleIntent]:
    """The intents that have not been withdrawn, in the order they came."""
    return [intent for intent in sale.intents if intent.withdrawn_at is None]


def intent_of(actor: User | None, sale: ListedSale) -> SaleIntent | None:
    """The actor's organisation's intent in this sale (withdrawn or not)."""
    org_id = org_of(actor)
    if org_id is None:
        return None
    return next((i for i in sale.intents if i.buyer_org_id == org_id), None)


def deposit_of(actor: User | None, sale: ListedSale) -> Deposit | None:
    """The deposit the actor's organisation owes or holds in this sale, if any."""
    org_id = org_of(actor)
    if org_id is None:
        return None
    return db.session.scalar(
        select(Deposit).where(
            Deposit.context_type == CONTEXT,
            Deposit.context_id == sale.id,
            Deposit.org_id == org_id,
        )
    )


# --- negotiations ----------------------------------------------------------------------


def get_negotiation(negotiation_id: int) -> Negotiation:
    """A negotiation by id, or NotFound."""
    return get_row(Negotiation, negotiation_id, N_("No such negotiation."))


def is_party(actor: User | None, negotiation: Negotiation) -> bool:
    """Whether the actor acts for the seller or the buyer of the negotiation."""
    org_id = org_of(actor)
    return org_id is not None and org_id in (negotiation.seller_org_id, negotiation.buyer_org_id)


def visible_negotiation(actor: User | None, negotiation_id: int) -> Negotiation:
    """A negotiation for its two parties and the reviewers; others see nothing."""
    negotiation = get_negotiation(negotiation_id)
    reviewer = bool(actor and actor.is_authenticated and actor.can_review)
    if not (is_party(actor, negotiation) or reviewer):
        raise NotFound(N_("No such negotiation."))
    return negotiation


def negotiations_of(actor: User) -> list[Negotiation]:
    """Negotiations of the actor's organisation, as seller or buyer, latest activity first."""
    org_id = org_of(actor)
    if org_id is None:
        return []
    return all_of(
        select(Negotiation)
        .where(or_(Negotiation.seller_org_id == org_id, Negotiation.buyer_org_id == org_id))
        .order_by(Negotiation.updated_at.desc(), Negotiation.id.desc())
    )


def negotiation_of(actor: User | None, listing_id: int) -> Negotiation | None:
    """The actor's running (open or agreed) negotiation as buyer for a listing."""
    org_id = org_of(actor)
    if org_id is None:
        return None
    return running_negotiation(listing_id, org_id)


def running_negotiation(listing_id: int, org_id: int) -> Negotiation | None:
    """The organisation's latest open or agreed negotiation as buyer for a listing."""
    return db.session.scalar(
        select(Negotiation)
        .where(
            Negotiation.listing_id == listing_id,
            Negotiation.buyer_org_id == org_id,
            Negotiation.status.in_([NegotiationStatus.OPEN, NegotiationStatus.AGREED]),
        )
        .order_by(Negotiation.id.desc())
        .limit(1)
    )


def open_negotiations_for(listing_id: int) -> list[Negotiation]:
    """The open negotiations on a listing (the seller's overview)."""
    return all_of(
        select(Negotiation)
        .where(
            Negotiation.listing_id == listing_id,
            Negotiation.status == NegotiationStatus.OPEN,
        )
        .order_by(Negotiation.updated_at.desc())
    )


def side_of(actor: User | None, negotiation: Negotiation) -> str | None:
    """'seller', 'buyer' or None for the actor in this negotiation."""
    org_id = org_of(actor)
    if org_id is None:
        return None
    if org_id == negotiation.seller_org_id:
        return "seller"
    if org_id == negotiation.buyer_org_id:
        return "buyer"
    return None


def negotiation_state(negotiation: Negotiation) -> rules.NegotiationState:
    """The negotiation as the pure rules see it."""
    return rules.NegotiationState(
        phase=rules.NegotiationPhase(negotiation.status.value),
        seller_org_id=negotiation.seller_org_id,
        buyer_org_id=negotiation.buyer_org_id,
        open_offer_minor=negotiation.open_offer_minor,
        open_offer_by_org_id=negotiation.open_offer_by_org_id,
    )


def can_accept(actor: User | None, negotiation: Negotiation) -> bool:
    """Whether the actor may accept the open offer now (the page shows the button)."""
    try:
        rules.check_accept(negotiation_state(negotiation), org_of(actor))
    except DomainError:
        return False
    return True


def offers_of(negotiation: Negotiation) -> list[NegotiationMessage]:
    """The offers and counter-offers of a negotiation, in order."""
    return [m for m in negotiation.messages if m.kind in OFFER_KINDS]
