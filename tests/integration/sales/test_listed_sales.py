"""Listed sales (挂牌): start, intents with deposits, closing exactly once into its three outcomes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from accounts.models import OrganisationKind
from auctions.models import Auction
from core.audit_models import AuditEntry
from core.domain import DomainError, PermissionDenied, ValidationFailed
from core.extensions import db
from core.workdays import WorkCalendar
from deals.models import Deal, SaleMethod
from listings import review as listing_review
from listings.rules import ListingStatus, SaleState
from payments import deposits
from payments.models import DepositStatus
from tests import factories
from tests.integration.sales.trading import (
    CALENDAR,
    enterprise,
    hold_deposit,
    listed_sale,
    market,
)
from trading import closing, listed_sales, panel
from trading.models import ListedSale, ListedSaleStatus, SaleIntent


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_seller_starts_a_listed_sale_of_twenty_working_days(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock())
    assert sale.status == ListedSaleStatus.OPEN
    assert sale.deposit_minor == 5_000_000  # 10 % by default
    # Monday 2 March 2026, 09:30 in Shanghai + 20 working days = Monday 30 March, 09:30.
    assert _as_utc(sale.ends_at) == datetime(2026, 3, 30, 1, 30, tzinfo=UTC)
    assert m.listing.sale_state == SaleState.LISTED_SALE
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert "listed_sale.start" in actions and "listing.sale_state" in actions


def test_listing_period_skips_the_markets_holidays(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    calendar = WorkCalendar.from_text("2026-03-03,2026-03-04")
    sale = listed_sales.start_listed_sale(
        m.seller,
        m.listing.id,
        asking_price_minor=10_000_000,
        working_days=5,
        now=clock(),
        calendar=calendar,
    )
    assert _as_utc(sale.ends_at) == datetime(2026, 3, 11, 1, 30, tzinfo=UTC)


def test_only_the_owner_of_a_published_available_listing_starts_a_sale(
    db_session, clock, upload_folder
):
    m = market(clock(), upload_folder)
    with pytest.raises(PermissionDenied):
        listed_sales.start_listed_sale(
            m.buyer, m.listing.id, asking_price_minor=1_000, now=clock(), calendar=CALENDAR
        )
    draft = factories.listing(m.seller, clock())
    with pytest.raises(DomainError) as error:
        listed_sales.start_listed_sale(
            m.seller, draft.id, asking_price_minor=1_000_000, now=clock(), calendar=CALENDAR
        )
    assert error.value.code == "not_published"
    listed_sale(m, clock())
    with pytest.raises(DomainError) as again:
        listed_sale(m, clock())
    assert again.value.code == "in_listed_sale"
    assert db.session.query(ListedSale).count() == 1


def test_bad_terms_change_nothing(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    with pytest.raises(ValidationFailed) as error:
        listed_sale(m, clock(), deposit_minor=1)
    assert error.value.field == "deposit"
    with pytest.raises(ValidationFailed):
        listed_sale(m, clock(), working_days=2)
    assert db.session.query(ListedSale).count() == 0
    assert m.listing.sale_state == SaleState.AVAILABLE


def test_buyer_registers_intent_and_owes_the_deposit(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock())
    intent = listed_sales.register_intent(m.buyer, sale.id, now=clock())
    deposit = deposits.deposit_of("listed_sale", sale.id, m.buyer.acting_org_id)
    assert intent.buyer_org_id == m.buyer.acting_org_id
    assert deposit is not None and deposit.status == DepositStatus.REQUIRED
    assert deposit.amount_minor == sale.deposit_minor
    with pytest.raises(DomainError) as twice:
        listed_sales.register_intent(m.buyer, sale.id, now=clock())
    assert twice.value.code == "intent_exists"


def test_seller_and_unverified_organisations_cannot_register_intent(
    db_session, clock, upload_folder
):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock())
    with pytest.raises(PermissionDenied) as seller:
        listed_sales.register_intent(m.seller, sale.id, now=clock())
    assert seller.value.code == "seller_cannot_buy"
    unverified = factories.seller(clock(), verified=False, kind=OrganisationKind.ENTERPRISE)
    with pytest.raises(PermissionDenied) as pending:
        listed_sales.register_intent(unverified, sale.id, now=clock())
    assert pending.value.code == "organisation_not_verified"
    assert db.session.query(SaleIntent).count() == 0


def test_intent_after_the_period_is_refused(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock(), working_days=5)
    clock.advance(days=8)
    with pytest.raises(DomainError) as error:
        listed_sales.register_intent(m.buyer, sale.id, now=clock())
    assert error.value.code == "sale_closed"


def test_no_intent_ends_without_buyer_and_the_seller_relists(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock(), working_days=5)
    assert closing.close_sale(sale.id, now=clock(), calendar=CALENDAR) is None  # not due yet
    clock.advance(days=7)
    result = closing.close_sale(sale.id, now=clock(), calendar=CALENDAR)
    assert result is not None and result.sale.status == ListedSaleStatus.NO_BUYER
    assert m.listing.sale_state == SaleState.AVAILABLE
    again = listed_sales.relist(m.seller, sale.id, now=clock(), calendar=CALENDAR)
    assert again.id != sale.id and again.asking_price_minor == sale.asking_price_minor
    assert again.status == ListedSaleStatus.OPEN
    assert m.listing.sale_state == SaleState.LISTED_SALE
    with pytest.raises(DomainError):
        listed_sales.relist(m.seller, sale.id, now=clock(), calendar=CALENDAR)


def test_seller_may_withdraw_the_listing_after_a_sale_without_buyer(
    db_session, clock, upload_folder
):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock(), working_days=5)
    clock.advance(days=7)
    closing.close_sale(sale.id, now=clock(), calendar=CALENDAR)
    listing_review.withdraw(m.seller, m.listing.id, now=clock())
    assert m.listing.status == ListingStatus.WITHDRAWN


def test_an_intent_without_held_deposit_does_not_count(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock(), working_days=5)
    listed_sales.register_intent(m.buyer, sale.id, now=clock())
    clock.advance(days=7)
    result = closing.close_sale(sale.id, now=clock(), calendar=CALENDAR)
    assert result is not None and result.sale.status == ListedSaleStatus.NO_BUYER
    assert db.session.query(Deal).count() == 0


def test_one_buyer_buys_at_the_asking_price_and_the_deposit_is_applied(
    db_session, clock, upload_folder
):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock(), working_days=5)
    hold_deposit(m.buyer, sale, m, clock())
    listed_sales.register_intent(m.other_buyer, sale.id, now=clock())  # never pays
    clock.advance(days=7)
    result = closing.close_sale(sale.id, now=clock(), calendar=CALENDAR)
    assert result is not None and result.sale.status == ListedSaleStatus.SOLD
    deal = db.session.get(Deal, result.deal_id)
    assert deal is not None
    assert (deal.method, deal.price_minor, deal.buyer_org_id) == (
        SaleMethod.LISTED,
        50_000_000,
        m.buyer.acting_org_id,
    )
    assert (deal.source_type, deal.source_id) == ("listed_sale", sale.id)
    assert m.listing.sale_state == SaleState.SOLD
    deposit = deposits.deposit_of("listed_sale", sale.id, m.buyer.acting_org_id)
    assert deposit is not None and deposit.status == DepositStatus.APPLIED
    assert deposit.deal_id == deal.id


def test_two_buyers_open_an_auction_among_exactly_them(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    third = enterprise(clock(), m.reviewer)
    sale = listed_sale(m, clock(), working_days=5)
    hold_deposit(m.buyer, sale, m, clock())
    hold_deposit(m.other_buyer, sale, m, clock())
    listed_sales.register_intent(third, sale.id, now=clock())  # no deposit: not a party
    clock.advance(days=7)
    result = closing.close_sale(sale.id, now=clock(), calendar=CALENDAR)
    assert result is not None and result.sale.status == ListedSaleStatus.AUCTIONED
    auction = db.session.get(Auction, result.auction_id)
    assert auction is not None and auction.listed_sale_id == sale.id
    assert sorted(auction.restricted_to_org_ids or []) == sorted(
        [m.buyer.acting_org_id, m.other_buyer.acting_org_id]
    )
    assert auction.starting_price_minor == sale.asking_price_minor
    assert m.listing.sale_state == SaleState.IN_AUCTION
    assert deposits.held_org_ids("auction", auction.id) == {
        m.buyer.acting_org_id,
        m.other_buyer.acting_org_id,
    }
    assert db.session.query(Deal).count() == 0


def test_a_withdrawn_intent_does_not_count_and_its_deposit_is_released(
    db_session, clock, upload_folder
):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock(), working_days=5)
    hold_deposit(m.buyer, sale, m, clock())
    hold_deposit(m.other_buyer, sale, m, clock())
    listed_sales.withdraw_intent(m.other_buyer, sale.id, now=clock())
    clock.advance(days=7)
    result = closing.close_sale(sale.id, now=clock(), calendar=CALENDAR)
    assert result is not None and result.sale.status == ListedSaleStatus.SOLD
    released = deposits.deposit_of("listed_sale", sale.id, m.other_buyer.acting_org_id)
    assert released is not None and released.status == DepositStatus.RELEASED
    assert released.release_due_at is not None


def test_closing_happens_exactly_once(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock(), working_days=5)
    hold_deposit(m.buyer, sale, m, clock())
    clock.advance(days=7)
    assert closing.close_due_sales(now=clock(), calendar=CALENDAR) == 1
    assert closing.close_due_sales(now=clock(), calendar=CALENDAR) == 0
    assert closing.close_sale(sale.id, now=clock(), calendar=CALENDAR) is None
    assert db.session.query(Deal).count() == 1
    closes = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "listed_sale.close")
    ).all()
    assert len(closes) == 1


def test_seller_withdraws_a_sale_without_intents_only(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock())
    listed_sales.register_intent(m.buyer, sale.id, now=clock())
    with pytest.raises(DomainError) as error:
        listed_sales.cancel_sale(m.seller, sale.id, now=clock(), calendar=CALENDAR)
    assert error.value.code == "has_intents"
    listed_sales.withdraw_intent(m.buyer, sale.id, now=clock())
    listed_sales.cancel_sale(m.seller, sale.id, now=clock(), calendar=CALENDAR)
    assert sale.status == ListedSaleStatus.WITHDRAWN
    assert m.listing.sale_state == SaleState.AVAILABLE


def test_viewing_the_listing_closes_a_due_sale(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    sale = listed_sale(m, clock(), working_days=5)
    hold_deposit(m.buyer, sale, m, clock())
    shown = panel.sale_panel_context(m.buyer, m.listing, clock(), calendar=CALENDAR)
    assert shown["sale_open"] and shown["my_intent"] is not None
    assert shown["my_deposit"].status == DepositStatus.HELD
    clock.advance(days=7)
    shown = panel.sale_panel_context(None, m.listing, clock(), calendar=CALENDAR)
    assert shown["state"] == SaleState.SOLD
    assert sale.status == ListedSaleStatus.SOLD


def test_panel_offers_the_seller_a_sale_and_buyers_an_offer(db_session, clock, upload_folder):
    m = market(clock(), upload_folder)
    owner = panel.sale_panel_context(m.seller, m.listing, clock(), calendar=CALENDAR)
    assert owner["can_start_sale"] and not owner["can_negotiate"]
    buyer = panel.sale_panel_context(m.buyer, m.listing, clock(), calendar=CALENDAR)
    assert buyer["can_negotiate"] and not buyer["can_start_sale"]
