"""Use cases of listed sales (挂牌) and negotiated prices (协议定价).

A listed sale runs for a period of working days; at its end (on a schedule and
lazily when anyone looks) it closes exactly once: no buyer, a deal at the asking
price, or an auction among exactly the buyers whose deposit is held.

Negotiations run in parallel between the seller and several buyers; the first
agreement puts the listing under offer, closes the others and publishes the
public notice (公示) that decides whether the deal concludes.

The use cases flush and never commit: the caller's unit of work commits. Those
that lock a row (every one but `open_negotiation`) expect `unit_of_work(writer=True)`,
so that on SQLite concurrent writers queue for the write lock before they read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError, OperationalError

from accounts.models import Organisation, User
from core.audit import services as audit
from core.domain import N_, DomainError, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.workdays import WorkCalendar
from deals.models import SaleMethod
from deals.services import record_sale
from listings import services as listings
from listings.models import Listing
from listings.rules import ListingStatus, SaleNotAllowed, SaleState
from payments import deposit_settlement
from trading import notices as publicity
from trading import rules
from trading.models import (
    ListedSale,
    ListedSaleStatus,
    Negotiation,
    NegotiationMessage,
    NegotiationStatus,
    PublicityNotice,
    SaleIntent,
)

log = logging.getLogger(__name__)

CONTEXT = "listed_sale"  # the deposit ledger's context type of a listed sale
DEFAULT_WORKING_DAYS = 20  # config LISTING_PERIOD_WORKING_DAYS; views pass the setting
DEFAULT_DEPOSIT_BPS = 1000  # config DEFAULT_DEPOSIT_BPS
DEFAULT_RELEASE_WORKING_DAYS = 5  # config DEPOSIT_RELEASE_WORKING_DAYS
DEFAULT_PUBLICITY_DAYS = rules.MIN_PUBLICITY_DAYS  # config PUBLICITY_DAYS

# Entries of a negotiation's thread.
OFFER_KINDS = ("offer", "counter")


def _deposits() -> Any:
    # Imported when used: the auctions package builds on listings, not the other way round.
    from payments import deposits

    return deposits


def _auctions() -> Any:
    from auctions import services

    return services


# --- shared checks ---------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; all we store is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _org_of(actor: User | None) -> int | None:
    return actor.acting_org_id if actor is not None and actor.is_authenticated else None


def _require_signed_in(actor: User | None) -> User:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(N_("Please sign in to continue."))
    return actor


def _check_buyer(actor: User, seller_org_id: int) -> int:
    org = actor.organisation if actor.acting_org_id is not None else None
    return rules.check_buyer(
        buyer_org_id=actor.acting_org_id,
        seller_org_id=seller_org_id,
        verified=bool(org and org.is_verified),
        kind=org.kind.value if org else None,
    )


def _check_listing_available(listing: Listing) -> None:
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


# --- listed sales: reading -------------------------------------------------------------


def get_sale(sale_id: int) -> ListedSale:
    """A listed sale by id, or NotFound."""
    sale = db.session.get(ListedSale, sale_id)
    if sale is None:
        raise NotFound(N_("No such listed sale."))
    return sale


def _lock_sale(sale_id: int) -> ListedSale:
    sale = db.session.scalar(
        select(ListedSale)
        .where(ListedSale.id == sale_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if sale is None:
        raise NotFound(N_("No such listed sale."))
    return sale


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
    return list(db.session.scalars(query.order_by(ListedSale.ends_at, ListedSale.id).limit(limit)))


def active_intents(sale: ListedSale) -> list[SaleIntent]:
    """The intents that have not been withdrawn, in the order they came."""
    return [intent for intent in sale.intents if intent.withdrawn_at is None]


def intent_of(actor: User | None, sale: ListedSale) -> SaleIntent | None:
    """The actor's organisation's intent in this sale (withdrawn or not)."""
    org_id = _org_of(actor)
    if org_id is None:
        return None
    return next((i for i in sale.intents if i.buyer_org_id == org_id), None)


def deposit_of(actor: User | None, sale: ListedSale) -> Any:
    """The deposit the actor's organisation owes or holds in this sale, if any."""
    org_id = _org_of(actor)
    if org_id is None:
        return None
    from payments.models import Deposit

    return db.session.scalar(
        select(Deposit).where(
            Deposit.context_type == CONTEXT,
            Deposit.context_id == sale.id,
            Deposit.org_id == org_id,
        )
    )


# --- listed sales: writing -------------------------------------------------------------


def start_listed_sale(
    actor: User,
    listing_id: int,
    *,
    asking_price_minor: int,
    working_days: int | None = None,
    deposit_minor: int | None = None,
    now: datetime,
    calendar: WorkCalendar,
    deposit_bps: int = DEFAULT_DEPOSIT_BPS,
) -> ListedSale:
    """The owner puts a published, available listing up for a listed sale (挂牌)."""
    listing = listings.lock_listing(listing_id)
    db.session.refresh(listing)
    if not listings.is_owner(actor, listing):
        raise PermissionDenied(N_("Only the organisation that owns this listing may sell it."))
    _check_listing_available(listing)
    days = DEFAULT_WORKING_DAYS if working_days is None else working_days
    deposit = (
        rules.default_deposit(asking_price_minor, deposit_bps)
        if deposit_minor is None
        else deposit_minor
    )
    rules.check_listed_sale_terms(asking_price_minor, days, deposit)
    listings.set_sale_state(listing.id, SaleState.LISTED_SALE, now=now, actor_id=actor.id)
    sale = ListedSale(
        listing_id=listing.id,
        seller_org_id=listing.organisation_id,
        asking_price_minor=asking_price_minor,
        currency=listing.currency,
        deposit_minor=deposit,
        working_days=days,
        starts_at=now,
        ends_at=calendar.add_working_days(now, days),
        status=ListedSaleStatus.OPEN,
        created_at=now,
    )
    db.session.add(sale)
    db.session.flush()
    audit.record(
        action="listed_sale.start",
        object_type="listed_sale",
        object_id=sale.id,
        actor_id=actor.id,
        now=now,
        after={
            "status": sale.status.value,
            "listing_id": listing.id,
            "asking_price_minor": asking_price_minor,
            "deposit_minor": deposit,
            "working_days": days,
        },
    )
    return sale


def register_intent(actor: User, sale_id: int, *, now: datetime) -> SaleIntent:
    """A verified buyer registers intent (意向受让) and owes the deposit.

    The intent counts at the end of the period only if the deposit is then held.
    """
    _require_signed_in(actor)
    sale = _lock_sale(sale_id)
    buyer_org_id = _check_buyer(actor, sale.seller_org_id)
    rules.check_sale_open(sale.status == ListedSaleStatus.OPEN, _utc(sale.ends_at), now)
    intent = next((i for i in sale.intents if i.buyer_org_id == buyer_org_id), None)
    if intent is not None and intent.withdrawn_at is None:
        raise rules.SaleRuleBroken(
            N_("Your organisation has already registered its intent in this sale."),
            code="intent_exists",
        )
    if intent is None:
        # Through the relationship, so `sale.intents` shows it before the commit.
        intent = SaleIntent(sale=sale, buyer_org_id=buyer_org_id, user_id=actor.id, created_at=now)
        db.session.add(intent)
    else:  # registering again after a withdrawal
        intent.withdrawn_at = None
        intent.user_id = actor.id
        intent.created_at = now
    db.session.flush()
    _deposits().require_deposit(actor, CONTEXT, sale.id, sale.deposit_minor, now=now)
    audit.record(
        action="listed_sale.intent",
        object_type="listed_sale",
        object_id=sale.id,
        actor_id=actor.id,
        now=now,
        after={"buyer_org_id": buyer_org_id, "intent_id": intent.id},
    )
    return intent


def withdraw_intent(actor: User, sale_id: int, *, now: datetime) -> SaleIntent:
    """A buyer withdraws its intent during the period; its deposit is released at the end."""
    _require_signed_in(actor)
    sale = _lock_sale(sale_id)
    rules.check_sale_open(sale.status == ListedSaleStatus.OPEN, _utc(sale.ends_at), now)
    intent = intent_of(actor, sale)
    if intent is None or intent.withdrawn_at is not None:
        raise rules.SaleRuleBroken(
            N_("Your organisation has no intent to withdraw in this sale."), code="no_intent"
        )
    intent.withdrawn_at = now
    audit.record(
        action="listed_sale.intent_withdraw",
        object_type="listed_sale",
        object_id=sale.id,
        actor_id=actor.id,
        now=now,
        before={"buyer_org_id": intent.buyer_org_id, "intent_id": intent.id},
    )
    return intent


def cancel_sale(
    actor: User,
    sale_id: int,
    *,
    now: datetime,
    calendar: WorkCalendar,
    release_working_days: int = DEFAULT_RELEASE_WORKING_DAYS,
) -> ListedSale:
    """The seller withdraws a running listed sale, only while nobody has registered intent."""
    sale = _lock_sale(sale_id)
    if not listings.is_owner(actor, sale.listing):
        raise PermissionDenied(N_("Only the organisation that owns this listing may sell it."))
    rules.check_sale_open(sale.status == ListedSaleStatus.OPEN, _utc(sale.ends_at), now)
    if active_intents(sale):
        raise rules.SaleRuleBroken(
            N_("Buyers have registered their intent: the sale runs to the end of its period."),
            code="has_intents",
        )
    if not _claim(sale, now):
        raise rules.SaleRuleBroken(N_("This listed sale has already closed."), code="sale_closed")
    sale.status = ListedSaleStatus.WITHDRAWN
    listings.set_sale_state(sale.listing_id, SaleState.AVAILABLE, now=now, actor_id=actor.id)
    deposit_settlement.release_all(
        CONTEXT,
        sale.id,
        now=now,
        release_due_at=calendar.add_working_days(now, release_working_days),
    )
    audit.record(
        action="listed_sale.withdraw",
        object_type="listed_sale",
        object_id=sale.id,
        actor_id=actor.id,
        now=now,
        before={"status": ListedSaleStatus.OPEN.value},
        after={"status": sale.status.value},
    )
    return sale


def relist(
    actor: User,
    sale_id: int,
    *,
    now: datetime,
    calendar: WorkCalendar,
    asking_price_minor: int | None = None,
    working_days: int | None = None,
    deposit_minor: int | None = None,
    deposit_bps: int = DEFAULT_DEPOSIT_BPS,
) -> ListedSale:
    """After a sale without buyer, the seller lists again (same terms unless told otherwise)."""
    sale = get_sale(sale_id)
    if not listings.is_owner(actor, sale.listing):
        raise PermissionDenied(N_("Only the organisation that owns this listing may sell it."))
    if sale.status not in (ListedSaleStatus.NO_BUYER, ListedSaleStatus.WITHDRAWN):
        raise rules.SaleRuleBroken(
            N_("Only a listed sale that ended without a buyer can be listed again."),
            code="not_relistable",
        )
    latest = latest_sale(sale.listing_id)
    if latest is not None and latest.id != sale.id:
        raise rules.SaleRuleBroken(
            N_("This result has been listed again already."), code="not_relistable"
        )
    price = sale.asking_price_minor if asking_price_minor is None else asking_price_minor
    same_price = price == sale.asking_price_minor
    return start_listed_sale(
        actor,
        sale.listing_id,
        asking_price_minor=price,
        working_days=sale.working_days if working_days is None else working_days,
        deposit_minor=(
            deposit_minor
            if deposit_minor is not None
            else (sale.deposit_minor if same_price else None)
        ),
        now=now,
        calendar=calendar,
        deposit_bps=deposit_bps,
    )


def _claim(sale: ListedSale, now: datetime) -> bool:
    """Mark an open sale as closing; False when another worker got there first.

    The conditional UPDATE is the guard that makes closing happen exactly once, on
    PostgreSQL (row lock, re-checked after the other transaction commits) and on
    SQLite (one writer at a time; a stale reader cannot write).
    """
    result = cast(
        CursorResult[Any],  # an UPDATE: the driver reports the rows it matched
        db.session.execute(
            update(ListedSale)
            .where(
                ListedSale.id == sale.id,
                ListedSale.status == ListedSaleStatus.OPEN,
                ListedSale.closed_at.is_(None),
            )
            .values(closed_at=now)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        return False
    sale.closed_at = now
    return True


@dataclass(frozen=True)
class SaleClosing:
    """What closing a listed sale did."""

    sale: ListedSale
    outcome: rules.ListedSaleOutcome | None  # None: the listing had left the sale meanwhile
    buyer_org_ids: tuple[int, ...]
    deal_id: int | None = None
    auction_id: int | None = None


def close_sale(
    sale_id: int,
    *,
    now: datetime,
    calendar: WorkCalendar,
    release_working_days: int = DEFAULT_RELEASE_WORKING_DAYS,
) -> SaleClosing | None:
    """Close a listed sale at the end of its period, exactly once; None if not due or done."""
    sale = _lock_sale(sale_id)
    if not rules.is_due(sale.status == ListedSaleStatus.OPEN, _utc(sale.ends_at), now):
        return None
    if not _claim(sale, now):
        return None
    release_due_at = calendar.add_working_days(now, release_working_days)
    deposits = _deposits()
    listing = listings.lock_listing(sale.listing_id)
    db.session.refresh(listing)
    intents = [
        rules.IntentView(
            buyer_org_id=i.buyer_org_id,
            created_at=i.created_at,
            withdrawn=i.withdrawn_at is not None,
        )
        for i in sale.intents
    ]
    buyers = rules.qualifying_buyers(intents, deposits.held_org_ids(CONTEXT, sale.id))
    outcome: rules.ListedSaleOutcome | None = rules.listed_sale_outcome(buyers)
    deal_id = auction_id = None
    if listing.sale_state != SaleState.LISTED_SALE:
        # Sold offline (or otherwise taken off the sale) during the period.
        outcome = None
        sale.status = ListedSaleStatus.WITHDRAWN
        deposit_settlement.release_all(CONTEXT, sale.id, now=now, release_due_at=release_due_at)
    elif outcome == rules.ListedSaleOutcome.NO_BUYER:
        sale.status = ListedSaleStatus.NO_BUYER
        listings.set_sale_state(
            listing.id, SaleState.AVAILABLE, now=now, actor_id=None, reason="listed_sale.no_buyer"
        )
        deposit_settlement.release_all(CONTEXT, sale.id, now=now, release_due_at=release_due_at)
    elif outcome == rules.ListedSaleOutcome.SOLD:
        sale.status = ListedSaleStatus.SOLD
        deal = record_sale(
            listing_id=listing.id,
            buyer_org_id=buyers[0],
            price_minor=sale.asking_price_minor,
            method=SaleMethod.LISTED,
            source_type=CONTEXT,
            source_id=sale.id,
            now=now,
        )
        deal_id = deal.id
        deposit_settlement.settle(
            CONTEXT,
            sale.id,
            winner_org_id=buyers[0],
            deal_id=deal.id,
            now=now,
            release_due_at=release_due_at,
        )
    else:
        sale.status = ListedSaleStatus.AUCTIONED
        auction = _auctions().open_auction_for_listed_sale(
            listing_id=listing.id,
            listed_sale_id=sale.id,
            org_ids=list(buyers),
            starting_price_minor=sale.asking_price_minor,
            now=now,
            calendar=calendar,
        )
        auction_id = auction.id
        if listing.sale_state == SaleState.LISTED_SALE:
            listings.set_sale_state(listing.id, SaleState.IN_AUCTION, now=now, actor_id=None)
        # Deposits of the parties moved to the auction; what is left (never paid,
        # or an intent withdrawn) is released.
        deposit_settlement.release_all(CONTEXT, sale.id, now=now, release_due_at=release_due_at)
    audit.record(
        action="listed_sale.close",
        object_type="listed_sale",
        object_id=sale.id,
        actor_id=None,
        now=now,
        before={"status": ListedSaleStatus.OPEN.value},
        after={
            "status": sale.status.value,
            "buyer_org_ids": list(buyers),
            "deal_id": deal_id,
            "auction_id": auction_id,
        },
    )
    return SaleClosing(sale, outcome, buyers, deal_id, auction_id)


def closing_due(sale: ListedSale, now: datetime) -> bool:
    """Whether the sale's period is over and it still waits to be closed (as last read)."""
    return rules.is_due(sale.status == ListedSaleStatus.OPEN, _utc(sale.ends_at), now)


def close_if_due(sale: ListedSale, *, now: datetime, calendar: WorkCalendar) -> ListedSale:
    """Lazy closing when someone looks at a sale: close it if its period is over.

    A closing that fails is logged and undone alone (a savepoint): the page still shows.
    """
    if closing_due(sale, now):
        _try_close(sale.id, now=now, calendar=calendar)
        db.session.refresh(sale)
    return sale


def _try_close(
    sale_id: int,
    *,
    now: datetime,
    calendar: WorkCalendar,
    release_working_days: int = DEFAULT_RELEASE_WORKING_DAYS,
) -> SaleClosing | None:
    try:
        with db.session.begin_nested():
            return close_sale(
                sale_id, now=now, calendar=calendar, release_working_days=release_working_days
            )
    except (OperationalError, IntegrityError):
        # Another worker is closing the same sale right now; it wins.
        log.info("listed sale %s: closing raced with another worker", sale_id)
    except DomainError:
        log.exception("listed sale %s could not be closed", sale_id)
    return None


def close_due_sales(
    *,
    now: datetime,
    calendar: WorkCalendar,
    release_working_days: int = DEFAULT_RELEASE_WORKING_DAYS,
) -> int:
    """Close every listed sale whose period is over (cron: `flask listings close-sales`).

    Each closing runs in a savepoint: one that fails is logged and undone alone.
    """
    due = list(
        db.session.scalars(
            select(ListedSale.id)
            .where(ListedSale.status == ListedSaleStatus.OPEN, ListedSale.ends_at <= now)
            .order_by(ListedSale.ends_at)
        )
    )
    return sum(
        _try_close(sale_id, now=now, calendar=calendar, release_working_days=release_working_days)
        is not None
        for sale_id in due
    )


# --- negotiations: reading -------------------------------------------------------------


def get_negotiation(negotiation_id: int) -> Negotiation:
    """A negotiation by id, or NotFound."""
    negotiation = db.session.get(Negotiation, negotiation_id)
    if negotiation is None:
        raise NotFound(N_("No such negotiation."))
    return negotiation


def _lock_negotiation(negotiation_id: int) -> Negotiation:
    """The negotiation, row-locked and freshly read."""
    negotiation = db.session.scalar(
        select(Negotiation)
        .where(Negotiation.id == negotiation_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if negotiation is None:
        raise NotFound(N_("No such negotiation."))
    return negotiation


def is_party(actor: User | None, negotiation: Negotiation) -> bool:
    """Whether the actor acts for the seller or the buyer of the negotiation."""
    org_id = _org_of(actor)
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
    org_id = _org_of(actor)
    if org_id is None:
        return []
    return list(
        db.session.scalars(
            select(Negotiation)
            .where(or_(Negotiation.seller_org_id == org_id, Negotiation.buyer_org_id == org_id))
            .order_by(Negotiation.updated_at.desc(), Negotiation.id.desc())
        )
    )


def negotiation_of(actor: User | None, listing_id: int) -> Negotiation | None:
    """The actor's running (open or agreed) negotiation as buyer for a listing."""
    org_id = _org_of(actor)
    if org_id is None:
        return None
    return _running_negotiation(listing_id, org_id)


def _running_negotiation(listing_id: int, org_id: int) -> Negotiation | None:
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
    return list(
        db.session.scalars(
            select(Negotiation)
            .where(
                Negotiation.listing_id == listing_id,
                Negotiation.status == NegotiationStatus.OPEN,
            )
            .order_by(Negotiation.updated_at.desc())
        )
    )


def side_of(actor: User | None, negotiation: Negotiation) -> str | None:
    """'seller', 'buyer' or None for the actor in this negotiation."""
    org_id = _org_of(actor)
    if org_id is None:
        return None
    if org_id == negotiation.seller_org_id:
        return "seller"
    if org_id == negotiation.buyer_org_id:
        return "buyer"
    return None


def _state(negotiation: Negotiation) -> rules.NegotiationState:
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
        rules.check_accept(_state(negotiation), _org_of(actor))
    except DomainError:
        return False
    return True


# --- negotiations: writing -------------------------------------------------------------


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
    _require_signed_in(actor)
    listing = listings.get_listing(listing_id)
    if not listings.can_view(actor, listing):
        raise NotFound(N_("No such listing."))
    if buyer_org_id is not None and listings.is_owner(actor, listing):
        buyer = _check_invited_buyer(buyer_org_id, listing.organisation_id)
    else:
        buyer = _check_buyer(actor, listing.organisation_id)
    _check_listing_available(listing)
    if _running_negotiation(listing.id, buyer) is not None:
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
    audit.record(
        action="negotiation.open",
        object_type="negotiation",
        object_id=negotiation.id,
        actor_id=actor.id,
        now=now,
        after={
            "status": negotiation.status.value,
            "buyer_org_id": buyer,
            "open_offer_minor": amount_minor,
        },
    )
    return negotiation


def make_offer(
    actor: User, negotiation_id: int, amount_minor: int, *, message: str = "", now: datetime
) -> Negotiation:
    """Either side puts an offer on the table; a counter-offer replaces the open one."""
    _require_signed_in(actor)
    negotiation = _lock_negotiation(negotiation_id)
    kind = rules.check_offer(_state(negotiation), _org_of(actor), amount_minor)
    _check_listing_available(negotiation.listing)
    body = _check_body(message)
    before = {
        "open_offer_minor": negotiation.open_offer_minor,
        "open_offer_by_org_id": negotiation.open_offer_by_org_id,
    }
    negotiation.open_offer_minor = amount_minor
    negotiation.open_offer_by_org_id = actor.acting_org_id
    _add_entry(negotiation, actor, kind, now=now, amount_minor=amount_minor, body=body)
    audit.record(
        action=f"negotiation.{kind}",
        object_type="negotiation",
        object_id=negotiation.id,
        actor_id=actor.id,
        now=now,
        before=before,
        after={"open_offer_minor": amount_minor, "open_offer_by_org_id": actor.acting_org_id},
    )
    return negotiation


def post_message(
    actor: User, negotiation_id: int, body: str, *, now: datetime
) -> NegotiationMessage:
    """A message in the thread between the two parties."""
    _require_signed_in(actor)
    negotiation = _lock_negotiation(negotiation_id)
    rules.check_message(_state(negotiation), _org_of(actor), body or "")
    entry = _add_entry(negotiation, actor, "message", now=now, body=_check_body(body))
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
    _require_signed_in(actor)
    # Lock order listing → negotiations, as everywhere a listing's negotiations are
    # touched together: two acceptances on one listing queue instead of deadlocking.
    listing_id = get_negotiation(negotiation_id).listing_id
    listing = listings.lock_listing(listing_id)
    db.session.refresh(listing)
    negotiation = _lock_negotiation(negotiation_id)
    price = rules.check_accept(_state(negotiation), _org_of(actor))
    _check_listing_available(listing)
    rules.publicity_ends_at(now, publicity_days)  # refuse a too short period before writing
    listings.set_sale_state(listing.id, SaleState.UNDER_OFFER, now=now, actor_id=actor.id)
    negotiation.status = NegotiationStatus.AGREED
    negotiation.agreed_price_minor = price
    _add_entry(negotiation, actor, "accept", now=now, amount_minor=price)
    audit.record(
        action="negotiation.accept",
        object_type="negotiation",
        object_id=negotiation.id,
        actor_id=actor.id,
        now=now,
        before={"status": NegotiationStatus.OPEN.value},
        after={"status": negotiation.status.value, "agreed_price_minor": price},
    )
    others = db.session.scalars(
        select(Negotiation)
        .where(
            Negotiation.listing_id == listing.id,
            Negotiation.status == NegotiationStatus.OPEN,
            Negotiation.id != negotiation.id,
        )
        .order_by(Negotiation.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    for other in others:
        other.status = NegotiationStatus.WITHDRAWN
        _add_entry(other, actor, "closed", now=now, author_org_id=other.seller_org_id)
        audit.record(
            action="negotiation.close",
            object_type="negotiation",
            object_id=other.id,
            actor_id=actor.id,
            now=now,
            before={"status": NegotiationStatus.OPEN.value},
            after={"status": other.status.value},
            reason=f"agreed in negotiation {negotiation.id}",
        )
    db.session.flush()
    return publicity.publish_notice(negotiation, now=now, days=publicity_days)


def withdraw(actor: User, negotiation_id: int, *, now: datetime, message: str = "") -> Negotiation:
    """Either side walks away before a price is agreed."""
    _require_signed_in(actor)
    negotiation = _lock_negotiation(negotiation_id)
    rules.check_withdraw(_state(negotiation), _org_of(actor))
    negotiation.status = NegotiationStatus.WITHDRAWN
    _add_entry(negotiation, actor, "withdraw", now=now, body=_check_body(message))
    audit.record(
        action="negotiation.withdraw",
        object_type="negotiation",
        object_id=negotiation.id,
        actor_id=actor.id,
        now=now,
        before={"status": NegotiationStatus.OPEN.value},
        after={"status": negotiation.status.value},
    )
    return negotiation


def offers_of(negotiation: Negotiation) -> list[NegotiationMessage]:
    """The offers and counter-offers of a negotiation, in order."""
    return [m for m in negotiation.messages if m.kind in OFFER_KINDS]


# --- the panel on the listing page -----------------------------------------------------


def closing_due_on_listing(listing_id: int, now: datetime) -> bool:
    """Whether the listing's latest sale or notice is due to close (the panel would close it)."""
    sale = latest_sale(listing_id)
    notice = publicity.notice_for_listing(listing_id)
    return (sale is not None and closing_due(sale, now)) or (
        notice is not None and publicity.closing_due(notice, now)
    )


def sale_panel_context(
    actor: User | None,
    listing: Listing,
    now: datetime,
    *,
    calendar: WorkCalendar | None = None,
) -> dict[str, Any]:
    """What the sale panel of a listing page shows, closing a due sale or notice first.

    The closing flushes in the caller's unit of work (a writer one when
    `closing_due_on_listing` says so). Pass the market's calendar
    (`core.workdays.market_calendar(config)`); without it deposits are released on
    weekdays only.
    """
    calendar = calendar or WorkCalendar()
    sale = latest_sale(listing.id)
    if sale is not None:
        close_if_due(sale, now=now, calendar=calendar)
    notice = publicity.notice_for_listing(listing.id)
    if notice is not None:
        publicity.close_if_due(notice, now=now)
    db.session.refresh(listing)
    owner = listings.is_owner(actor, listing)
    signed_in = bool(actor and actor.is_authenticated)
    published = listing.status == ListingStatus.PUBLISHED
    available = published and listing.sale_state == SaleState.AVAILABLE
    sale_open = sale is not None and sale.status == ListedSaleStatus.OPEN
    my_intent = intent_of(actor, sale) if sale is not None else None
    return {
        "listing": listing,
        "state": listing.sale_state,
        "owner": owner,
        "signed_in": signed_in,
        "published": published,
        "available": available,
        "sale": sale,
        "sale_open": sale_open,
        "intents_count": len(active_intents(sale)) if sale is not None else 0,
        "my_intent": my_intent if my_intent and my_intent.withdrawn_at is None else None,
        "my_deposit": deposit_of(actor, sale) if sale is not None else None,
        "can_start_sale": owner and available,
        "can_relist": owner
        and available
        and sale is not None
        and sale.status in (ListedSaleStatus.NO_BUYER, ListedSaleStatus.WITHDRAWN),
        "can_register_intent": sale_open and not owner,
        "my_negotiation": negotiation_of(actor, listing.id) if not owner else None,
        "can_negotiate": available and not owner,
        "open_negotiations": open_negotiations_for(listing.id) if owner else [],
        "notice": notice,
    }
