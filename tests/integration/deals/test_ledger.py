"""The deal ledger on a real database: milestones, visibility, one sale per listing, cancellation."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.audit import history
from core.domain import DomainError, NotFound, PermissionDenied, ValidationFailed
from core.extensions import db
from core.uow import unit_of_work
from deals import cancellation, services
from deals.models import Channel, ContractType, Deal, DealStatus, SaleMethod
from deals.rules import MilestoneOutOfOrder
from listings.rules import SaleNotAllowed, SaleState
from tests import cancelling


def _deal_count() -> int:
    return db.session.scalar(select(func.count(Deal.id))) or 0


def test_a_sale_becomes_a_deal_and_the_listing_is_sold(market, sell) -> None:
    deal = sell()
    assert (deal.channel, deal.status, deal.method) == (
        Channel.ONLINE,
        DealStatus.AWAITING_SIGNATURE,
        SaleMethod.AUCTION,
    )
    assert (deal.seller_org_id, deal.buyer_org_id) == (
        market.seller.organisation_id,
        market.buyer.organisation_id,
    )
    assert deal.contract_type == ContractType.TRANSFER  # the listing offers assignment
    db.session.refresh(market.listing)
    assert market.listing.sale_state == SaleState.SOLD


def test_milestones_are_recorded_in_order_only(market, sell, clock) -> None:
    deal = sell()
    with pytest.raises(MilestoneOutOfOrder):
        services.advance(market.seller, deal.id, DealStatus.PAID, now=clock())
    db.session.rollback()
    for target in (DealStatus.SIGNED, DealStatus.PAID):
        with unit_of_work():
            services.advance(market.seller, deal.id, target, now=clock.advance(days=1))
    with pytest.raises(MilestoneOutOfOrder):
        services.advance(market.seller, deal.id, DealStatus.COMPLETED, now=clock())
    db.session.rollback()
    services.advance(
        market.seller, deal.id, DealStatus.RIGHTS_REGISTERED, now=clock(), reference="ZL-2026-001"
    )
    services.advance(market.seller, deal.id, DealStatus.COMPLETED, now=clock())
    deal = services.get_deal(deal.id)
    assert deal.status == DealStatus.COMPLETED
    assert deal.signed_at and deal.paid_at and deal.rights_registered_at and deal.completed_at
    with pytest.raises(MilestoneOutOfOrder):
        services.advance(market.seller, deal.id, DealStatus.COMPLETED, now=clock())


def test_rights_registration_needs_the_cnipa_reference_and_changes_nothing_without(
    market, sell, clock
) -> None:
    deal = sell()
    with unit_of_work():
        services.advance(market.seller, deal.id, DealStatus.SIGNED, now=clock())
        services.advance(market.seller, deal.id, DealStatus.PAID, now=clock())
    with pytest.raises(ValidationFailed) as refused:
        services.advance(
            market.seller, deal.id, DealStatus.RIGHTS_REGISTERED, now=clock(), reference="  "
        )
    assert refused.value.field == "reference"
    db.session.rollback()
    assert services.get_deal(deal.id).status == DealStatus.PAID
    services.advance(
        market.seller, deal.id, DealStatus.RIGHTS_REGISTERED, now=clock(), reference=" 2026-ZL-7 "
    )
    assert services.get_deal(deal.id).rights_registration_ref == "2026-ZL-7"


def test_buyer_records_its_payment_but_not_the_other_steps(market, sell, clock) -> None:
    deal = sell()
    with pytest.raises(PermissionDenied):
        services.advance(market.buyer, deal.id, DealStatus.SIGNED, now=clock())
    db.session.rollback()
    services.advance(market.seller, deal.id, DealStatus.SIGNED, now=clock())
    services.advance(market.buyer, deal.id, DealStatus.PAID, now=clock())
    assert services.get_deal(deal.id).status == DealStatus.PAID
    assert services.may_advance(market.reviewer, deal, DealStatus.RIGHTS_REGISTERED)
    assert not services.may_advance(market.buyer, deal, DealStatus.RIGHTS_REGISTERED)


def test_only_parties_and_reviewers_see_a_deal(market, sell, clock) -> None:
    deal = sell()
    for viewer in (market.seller, market.buyer, market.reviewer):
        assert services.visible_deal(viewer, deal.id).id == deal.id
    with pytest.raises(NotFound):
        services.visible_deal(market.stranger, deal.id)
    with pytest.raises(NotFound):
        services.visible_deal(None, deal.id)
    with pytest.raises(NotFound):
        services.advance(market.stranger, deal.id, DealStatus.SIGNED, now=clock())
    db.session.rollback()
    with pytest.raises(NotFound):
        cancellation.propose(market.stranger, deal.id, "mine now", now=clock())
    db.session.rollback()
    assert services.deals_of(market.stranger) == []
    assert [d.id for d in services.deals_of(market.buyer)] == [deal.id]
    with pytest.raises(PermissionDenied):
        services.all_deals(market.seller)


def test_a_listing_cannot_be_sold_twice_and_the_second_sale_saves_nothing(
    market, sell, clock
) -> None:
    sell()
    with pytest.raises(SaleNotAllowed) as refused:
        services.record_sale(
            listing_id=market.listing.id,
            buyer_org_id=market.stranger.organisation_id,
            price_minor=60_000_000,
            method=SaleMethod.NEGOTIATED,
            source_type="negotiation",
            source_id=2,
            now=clock(),
        )
    assert refused.value.code == "already_sold"
    db.session.rollback()
    assert _deal_count() == 1
    assert services.deals_of(market.stranger) == []


def test_cancelling_a_deal_offers_the_listing_again(market, sell, clock) -> None:
    deal = sell()
    with pytest.raises(ValidationFailed):
        cancellation.propose(market.seller, deal.id, "   ", now=clock())
    db.session.rollback()
    cancelling.by_agreement(
        market.buyer, market.seller, deal.id, "Board did not approve the budget.", now=clock()
    )
    deal = services.get_deal(deal.id)
    assert (deal.status, deal.cancel_reason) == (
        DealStatus.CANCELLED,
        "Board did not approve the budget.",
    )
    db.session.refresh(market.listing)
    assert market.listing.sale_state == SaleState.AVAILABLE
    again = sell(price_minor=45_000_000)  # the cancelled deal does not block a new sale
    assert again.id != deal.id and _deal_count() == 2
    with pytest.raises(DomainError):
        cancellation.propose(market.seller, deal.id, "twice", now=clock())


def test_a_completed_deal_cannot_be_cancelled(market, sell, clock) -> None:
    deal = sell()
    services.advance(market.seller, deal.id, DealStatus.SIGNED, now=clock())
    services.advance(market.seller, deal.id, DealStatus.PAID, now=clock())
    services.advance(
        market.seller, deal.id, DealStatus.RIGHTS_REGISTERED, now=clock(), reference="ZL-1"
    )
    services.advance(market.seller, deal.id, DealStatus.COMPLETED, now=clock())
    with pytest.raises(DomainError) as refused:
        cancellation.propose(market.buyer, deal.id, "too late", now=clock())
    assert refused.value.code == "deal_closed"


def test_every_change_of_a_deal_is_audited(market, sell, clock) -> None:
    deal = sell()
    services.advance(market.seller, deal.id, DealStatus.SIGNED, now=clock())
    cancelling.by_agreement(market.buyer, market.seller, deal.id, "Buyer withdrew.", now=clock())
    actions = [entry.action for entry in history("deal", deal.id)]
    assert actions == [
        "deal.create",
        "deal.signed",
        "deal.cancellation_proposed",
        "deal.cancellation_agreed",
        "deal.cancel",
    ]


def test_reviewers_filter_the_ledger(market, sell, clock) -> None:
    deal = sell()
    reviewer = market.reviewer
    assert [d.id for d in services.all_deals(reviewer, channel=Channel.ONLINE)] == [deal.id]
    assert services.all_deals(reviewer, channel=Channel.OFFLINE) == []
    assert services.all_deals(reviewer, status=DealStatus.PAID) == []
    assert services.all_deals(reviewer, method=SaleMethod.LISTED) == []
    assert len(services.all_deals(reviewer, method=SaleMethod.AUCTION)) == 1
