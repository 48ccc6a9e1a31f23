"""Checks shared by the use cases of listed sales and negotiations: who acts, who may buy."""

from __future__ import annotations

from accounts.models import User
from core.domain import N_, PermissionDenied
from listings.models import Listing
from listings.rules import ListingStatus, SaleNotAllowed, SaleState
from trading import rules


def org_of(actor: User | None) -> int | None:
    """The organisation the actor acts for, or None when nobody is signed in."""
    return actor.acting_org_id if actor is not None and actor.is_authenticated else None


def require_signed_in(actor: User | None) -> User:
    """The actor, or PermissionDenied when nobody is signed in."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(N_("Please sign in to continue."))
    return actor


def check_buyer(actor: User, seller_org_id: int) -> int:
    """The actor's organisation as a buyer from this seller, or the rule it breaks."""
    org = actor.organisation if actor.acting_org_id is not None else None
    return rules.check_buyer(
        buyer_org_id=actor.acting_org_id,
        seller_org_id=seller_org_id,
        verified=bool(org and org.is_verified),
        kind=org.kind.value if org else None,
    )


def check_listing_available(listing: Listing) -> None:
    """A clear message for each reason a listing cannot be bought right now."""
    if listing.status != ListingStatus.PUBLISHED:
        raise SaleNotAllowed(N_("This result is not on the market."), code="not_published")
    if listing.sale_state == SaleState.SOLD:
        raise SaleNotAllowed(N_("This result has already been sold."), code="already_sold")
    if listing.sale_state == SaleState.UNDER_OFFER:
        raise SaleNotAllowed(
            N_("The seller has agreed a price with a buyer; it is in public notice."),
            code="under_offer",
        )
    if listing.sale_state == SaleState.LISTED_SALE:
        raise SaleNotAllowed(
            N_("This result is in a listed sale: register your intent there."),
            code="in_listed_sale",
        )
    if listing.sale_state == SaleState.IN_AUCTION:
        raise SaleNotAllowed(N_("This result is being auctioned."), code="in_auction")
