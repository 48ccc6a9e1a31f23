"""Use cases of listed sales (挂牌): start, relist, withdraw, and buyers' intents.

A listed sale runs for a period of working days at an asking price; verified
buyers register intent (意向受让) and owe a deposit (保证金). Its closing is in
`trading.closing`. The use cases flush and never commit: the caller's unit of work
commits. Those that lock a row expect `unit_of_work(writer=True)`, so that on
SQLite concurrent writers queue for the write lock before they read.
"""

from __future__ import annotations

from datetime import datetime

from accounts.models import User
from core import audit
from core.clock import as_utc
from core.domain import N_, PermissionDenied
from core.extensions import db
from core.service_kit import audit_action
from core.workdays import WorkCalendar
from listings import services as listings
from listings.rules import SaleState
from payments import deposit_settlement, deposits
from trading import rules, telling
from trading.closing import DEFAULT_RELEASE_WORKING_DAYS, claim_sale, lock_sale
from trading.guards import check_buyer, check_listing_available, require_signed_in
from trading.models import ListedSale, ListedSaleStatus, SaleIntent
from trading.queries import CONTEXT, active_intents, get_sale, intent_of, latest_sale

DEFAULT_WORKING_DAYS = 20  # config LISTING_PERIOD_WORKING_DAYS; views pass the setting
DEFAULT_DEPOSIT_BPS = 1000  # config DEFAULT_DEPOSIT_BPS


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
    check_listing_available(listing)
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
    audit.add_audited(
        "listed_sale",
        sale,
        "start",
        actor.id,
        now,
        after={
            "status": sale.status.value,
            "listing_id": listing.id,
            "asking_price_minor": asking_price_minor,
            "deposit_minor": deposit,
            "working_days": days,
        },
    )
    telling.on_sale(sale, now=now)
    return sale


def check_intent(actor: User | None, sale: ListedSale, now: datetime) -> int:
    """Whether the actor may register intent in `sale` now (writes nothing); its organisation."""
    require_signed_in(actor)
    assert actor is not None
    buyer_org_id = check_buyer(actor, sale.seller_org_id)
    rules.check_sale_open(sale.status == ListedSaleStatus.OPEN, as_utc(sale.ends_at), now)
    intent = next((i for i in sale.intents if i.buyer_org_id == buyer_org_id), None)
    if intent is not None and intent.withdrawn_at is None:
        raise rules.SaleRuleBroken(
            N_("Your organisation has already registered its intent in this sale."),
            code="intent_exists",
        )
    return buyer_org_id


def check_withdrawal(actor: User | None, sale: ListedSale, now: datetime) -> SaleIntent:
    """Whether the actor may withdraw its intent in `sale` now (writes nothing); the intent."""
    require_signed_in(actor)
    rules.check_sale_open(sale.status == ListedSaleStatus.OPEN, as_utc(sale.ends_at), now)
    intent = intent_of(actor, sale)
    if intent is None or intent.withdrawn_at is not None:
        raise rules.SaleRuleBroken(
            N_("Your organisation has no intent to withdraw in this sale."), code="no_intent"
        )
    return intent


def register_intent(actor: User, sale_id: int, *, now: datetime) -> SaleIntent:
    """A verified buyer registers intent (意向受让) and owes the deposit.

    The intent counts at the end of the period only if the deposit is then held.
    """
    require_signed_in(actor)
    sale = lock_sale(sale_id)
    buyer_org_id = check_intent(actor, sale, now)
    intent = next((i for i in sale.intents if i.buyer_org_id == buyer_org_id), None)
    if intent is None:
        # Through the relationship, so `sale.intents` shows it before the commit.
        intent = SaleIntent(sale=sale, buyer_org_id=buyer_org_id, user_id=actor.id, created_at=now)
        db.session.add(intent)
    else:  # registering again after a withdrawal
        intent.withdrawn_at = None
        intent.user_id = actor.id
        intent.created_at = now
    db.session.flush()
    deposits.require_deposit(
        actor, CONTEXT, sale.id, sale.deposit_minor, now=now, currency=sale.currency
    )
    audit_action(
        "listed_sale.intent",
        sale.id,
        actor.id,
        now,
        after={"buyer_org_id": buyer_org_id, "intent_id": intent.id},
    )
    telling.intent(sale, buyer_org_id, now=now)
    return intent


def withdraw_intent(actor: User, sale_id: int, *, now: datetime) -> SaleIntent:
    """A buyer withdraws its intent during the period; its deposit is released at the end."""
    require_signed_in(actor)
    sale = lock_sale(sale_id)
    intent = check_withdrawal(actor, sale, now)
    intent.withdrawn_at = now
    audit_action(
        "listed_sale.intent_withdraw",
        sale.id,
        actor.id,
        now,
        before={"buyer_org_id": intent.buyer_org_id, "intent_id": intent.id},
    )
    return intent


def _check_seller(actor: User | None, sale: ListedSale) -> None:
    require_signed_in(actor)
    assert actor is not None
    if not listings.is_owner(actor, sale.listing):
        raise PermissionDenied(N_("Only the organisation that owns this listing may sell it."))


def check_cancel(actor: User | None, sale: ListedSale, now: datetime) -> None:
    """Whether the actor may withdraw `sale` now: its seller, open, nobody's intent in it."""
    _check_seller(actor, sale)
    rules.check_sale_open(sale.status == ListedSaleStatus.OPEN, as_utc(sale.ends_at), now)
    if active_intents(sale):
        raise rules.SaleRuleBroken(
            N_("Buyers have registered their intent: the sale runs to the end of its period."),
            code="has_intents",
        )


def check_relist(actor: User | None, sale: ListedSale, now: datetime) -> None:
    """Whether the actor may list again after `sale`: its seller, ended without a buyer, the latest."""
    _check_seller(actor, sale)
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


def cancel_sale(
    actor: User,
    sale_id: int,
    *,
    now: datetime,
    calendar: WorkCalendar,
    release_working_days: int = DEFAULT_RELEASE_WORKING_DAYS,
) -> ListedSale:
    """The seller withdraws a running listed sale, only while nobody has registered intent."""
    sale = lock_sale(sale_id)
    check_cancel(actor, sale, now)
    if not claim_sale(sale, now):
        raise rules.SaleRuleBroken(N_("This listed sale has already closed."), code="sale_closed")
    sale.status = ListedSaleStatus.WITHDRAWN
    listings.set_sale_state(sale.listing_id, SaleState.AVAILABLE, now=now, actor_id=actor.id)
    deposit_settlement.release_all(
        CONTEXT,
        sale.id,
        now=now,
        release_due_at=calendar.add_working_days(now, release_working_days),
    )
    audit.record_status("listed_sale", sale, "withdraw", actor.id, now, was=ListedSaleStatus.OPEN)
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
    check_relist(actor, sale, now)
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
