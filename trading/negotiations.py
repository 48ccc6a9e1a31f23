"""Use cases of negotiated prices (协议定价): offers, messages, acceptance, withdrawal.

Negotiations run in parallel between the seller and several buyers; the first
agreement puts the listing under offer, closes the others and publishes the
public notice (公示) that decides whether the deal concludes.

The use cases flush and never commit: the caller's unit of work commits. Those
that lock a row (every one but `open_negotiation`) expect `unit_of_work(writer=True)`,
so that on SQLite concurrent writers queue for the write lock before they read.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from accounts.models import Organisation, User
from core import audit
from core.domain import N_, NotFound, ValidationFailed
from core.extensions import db
from core.row_lists import all_of
from core.rows import get_row
from core.service_kit import audit_action
from core.workdays import WorkCalendar
from listings import services as listings
from listings.rules import SaleState
from trading import notices, rules, telling
from trading.guards import check_buyer, check_listing_available, org_of, require_signed_in
from trading.models import Negotiation, NegotiationMessage, NegotiationStatus, PublicityNotice
from trading.queries import get_negotiation, negotiation_state, running_negotiation

DEFAULT_PUBLICITY_DAYS = rules.MIN_PUBLICITY_DAYS  # config PUBLICITY_DAYS


def _lock_negotiation(negotiation_id: int) -> Negotiation:
    """The negotiation, row-locked and freshly read."""
    return get_row(Negotiation, negotiation_id, N_("No such negotiation."), lock=True)


def _add_entry(
    negotiation: Negotiation,
    actor: User,
    kind: str,
    *,
    now: datetime,
    amount_minor: int | None = None,
    body: str | None = None,
    author_org_id: int | None = None,
) -> NegotiationMessage:
    entry = NegotiationMessage(
        negotiation=negotiation,  # the thread shows it before the commit
        author_org_id=author_org_id if author_org_id is not None else actor.acting_org_id,
        user_id=actor.id,
        kind=kind,
        amount_minor=amount_minor,
        body=(body or "").strip() or None,
        created_at=now,
    )
    db.session.add(entry)
    negotiation.updated_at = now
    return entry


def _check_body(message: str) -> str:
    text = (message or "").strip()
    if len(text) > 5000:
        raise ValidationFailed(
            N_("The message is too long (at most 5,000 characters)."), field="body"
        )
    return text


def _check_invited_buyer(buyer_org_id: int, seller_org_id: int) -> int:
    org = db.session.get(Organisation, buyer_org_id)
    if org is None:
        raise NotFound(N_("No such organisation."))
    return rules.check_buyer(
        buyer_org_id=org.id,
        seller_org_id=seller_org_id,
        verified=org.is_verified,
        kind=org.kind.value,
    )


def open_negotiation(
    actor: User,
    listing_id: int,
    *,
    amount_minor: int | None = None,
    message: str = "",
    now: datetime,
    buyer_org_id: int | None = None,
) -> Negotiation:
    """A verified buyer opens a negotiation with the seller, with an offer, a message or both.

    The seller may open one too, naming the buyer (`buyer_org_id`): after an auction
    whose reserve was not met, with its highest bidder.
    """
    require_signed_in(actor)
    listing = listings.get_listing(listing_id)
    if not listings.can_view(actor, listing):
        raise NotFound(N_("No such listing."))
    if buyer_org_id is not None and listings.is_owner(actor, listing):
        buyer = _check_invited_buyer(buyer_org_id, listing.organisation_id)
    else:
        buyer = check_buyer(actor, listing.organisation_id)
    check_listing_available(listing)
    if running_negotiation(listing.id, buyer) is not None:
        raise rules.NegotiationRuleBroken(
            N_("This buyer is already negotiating for this result."),
            code="already_negotiating",
        )
    body = _check_body(message)
    if amount_minor is not None and amount_minor <= 0:
        raise ValidationFailed(N_("The offer must be more than zero."), field="amount")
    if amount_minor is None and not body:
        raise ValidationFailed(N_("Make an offer or write a message."), field="amount")
    negotiation = Negotiation(
        listing_id=listing.id,
        seller_org_id=listing.organisation_id,
        buyer_org_id=buyer,
        status=NegotiationStatus.OPEN,
        open_offer_minor=amount_minor,
        open_offer_by_org_id=actor.acting_org_id if amount_minor is not None else None,
        currency=listing.currency,
        created_at=now,
        updated_at=now,
    )
    db.session.add(negotiation)
    db.session.flush()
    if amount_minor is not None:
        _add_entry(negotiation, actor, "offer", now=now, amount_minor=amount_minor, body=body)
    else:
        _add_entry(negotiation, actor, "message", now=now, body=body)
    audit_action(
        "negotiation.open",
        negotiation.id,
        actor.id,
        now,
        after={
            "status": negotiation.status.value,
            "buyer_org_id": buyer,
            "open_offer_minor": amount_minor,
        },
    )
    telling.opened(negotiation, actor.acting_org_id, now=now)
    return negotiation


def make_offer(
    actor: User, negotiation_id: int, amount_minor: int, *, message: str = "", now: datetime
) -> Negotiation:
    """Either side puts an offer on the table; a counter-offer replaces the open one."""
    require_signed_in(actor)
    negotiation = _lock_negotiation(negotiation_id)
    kind = rules.check_offer(negotiation_state(negotiation), org_of(actor), amount_minor)
    check_listing_available(negotiation.listing)
    body = _check_body(message)
    before = {
        "open_offer_minor": negotiation.open_offer_minor,
        "open_offer_by_org_id": negotiation.open_offer_by_org_id,
    }
    negotiation.open_offer_minor = amount_minor
    negotiation.open_offer_by_org_id = actor.acting_org_id
    _add_entry(negotiation, actor, kind, now=now, amount_minor=amount_minor, body=body)
    audit_action(
        f"negotiation.{kind}",
        negotiation.id,
        actor.id,
        now,
        before=before,
        after={"open_offer_minor": amount_minor, "open_offer_by_org_id": actor.acting_org_id},
    )
    telling.offer(negotiation, actor.acting_org_id, amount_minor, now=now)
    return negotiation


def post_message(
    actor: User, negotiation_id: int, body: str, *, now: datetime
) -> NegotiationMessage:
    """A message in the thread between the two parties."""
    require_signed_in(actor)
    negotiation = _lock_negotiation(negotiation_id)
    rules.check_message(negotiation_state(negotiation), org_of(actor), body or "")
    entry = _add_entry(negotiation, actor, "message", now=now, body=_check_body(body))
    telling.message(negotiation, actor.acting_org_id, now=now)
    db.session.flush()  # the caller shows the entry with its id
    return entry


def accept(
    actor: User,
    negotiation_id: int,
    *,
    now: datetime,
    calendar: WorkCalendar | None = None,
    publicity_days: int = DEFAULT_PUBLICITY_DAYS,
) -> PublicityNotice:
    """The side that did not make the open offer accepts it: the price is agreed.

    The listing goes under offer, the other open negotiations on it close, and the
    public notice (公示) starts. `calendar` is unused: publicity runs in calendar days.
    """
    del calendar
    require_signed_in(actor)
    # Lock order listing → negotiations, as everywhere a listing's negotiations are
    # touched together: two acceptances on one listing queue instead of deadlocking.
    listing_id = get_negotiation(negotiation_id).listing_id
    listing = listings.lock_listing(listing_id)
    db.session.refresh(listing)
    negotiation = _lock_negotiation(negotiation_id)
    price = rules.check_accept(negotiation_state(negotiation), org_of(actor))
    check_listing_available(listing)
    rules.publicity_ends_at(now, publicity_days)  # refuse a too short period before writing
    listings.set_sale_state(listing.id, SaleState.UNDER_OFFER, now=now, actor_id=actor.id)
    negotiation.status = NegotiationStatus.AGREED
    negotiation.agreed_price_minor = price
    _add_entry(negotiation, actor, "accept", now=now, amount_minor=price)
    audit.record_status(
        "negotiation",
        negotiation,
        "accept",
        actor.id,
        now,
        was=NegotiationStatus.OPEN,
        agreed_price_minor=price,
    )
    others = all_of(
        select(Negotiation)
        .where(
            Negotiation.listing_id == listing.id,
            Negotiation.status == NegotiationStatus.OPEN,
            Negotiation.id != negotiation.id,
        )
        .order_by(Negotiation.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    for other in others:
        other.status = NegotiationStatus.WITHDRAWN
        _add_entry(other, actor, "closed", now=now, author_org_id=other.seller_org_id)
        audit.record_status(
            "negotiation",
            other,
            "close",
            actor.id,
            now,
            was=NegotiationStatus.OPEN,
            reason=f"agreed in negotiation {negotiation.id}",
        )
    db.session.flush()
    telling.agreed(negotiation, price, now=now)
    return notices.publish_notice(negotiation, now=now, days=publicity_days)


def withdraw(actor: User, negotiation_id: int, *, now: datetime, message: str = "") -> Negotiation:
    """Either side walks away before a price is agreed."""
    require_signed_in(actor)
    negotiation = _lock_negotiation(negotiation_id)
    rules.check_withdraw(negotiation_state(negotiation), org_of(actor))
    negotiation.status = NegotiationStatus.WITHDRAWN
    _add_entry(negotiation, actor, "withdraw", now=now, body=_check_body(message))
    audit.record_status(
        "negotiation", negotiation, "withdraw", actor.id, now, was=NegotiationStatus.OPEN
    )
    return negotiation
