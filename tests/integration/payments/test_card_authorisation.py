"""Card payments and payout set-up ask who is asking before saying whether Stripe is on."""

from __future__ import annotations

import pytest

from core.domain import NotFound, PermissionDenied
from core.uow import unit_of_work
from deals import services as deals
from deals.models import SaleMethod
from payments import card, payouts
from tests import factories
from tests.integration.payments.helpers import AuctionMarket


def test_a_stranger_is_refused_a_card_deposit_whether_or_not_cards_are_on(
    auction_market: AuctionMarket, clock
) -> None:
    bidder = auction_market.bidder()
    deposit = auction_market.deposit_of(bidder)
    stranger = factories.enterprise(clock())
    with pytest.raises(NotFound):
        card.start_card_deposit(stranger, deposit.id, now=clock())
    with pytest.raises(card.PaymentsOff):  # its owner learns that cards are off
        card.start_card_deposit(bidder, deposit.id, now=clock())


def test_only_the_buyer_is_told_that_it_cannot_pay_a_deal_by_card(
    auction_market: AuctionMarket, clock
) -> None:
    m = auction_market
    buyer = factories.enterprise(clock())
    with unit_of_work():  # the auction's listing, sold to the buyer
        deal = deals.record_sale(
            listing_id=m.listing.id,
            buyer_org_id=buyer.acting_org_id,  # type: ignore[arg-type]
            price_minor=1_000_000,
            method=SaleMethod.AUCTION,
            source_type="auction",
            source_id=m.auction.id,
            now=clock(),
        )
    with pytest.raises(PermissionDenied):
        card.start_card_payment(m.seller, deal.id, now=clock())
    with pytest.raises(NotFound):
        card.start_card_payment(factories.enterprise(clock()), deal.id, now=clock())
    with pytest.raises(card.PaymentsOff):
        card.start_card_payment(buyer, deal.id, now=clock())


def test_payouts_are_set_up_by_an_organisations_administrator_only(
    auction_market: AuctionMarket, clock
) -> None:
    with pytest.raises(PermissionDenied):
        payouts.open_connected_account(auction_market.reviewer, now=clock())
    with pytest.raises(card.PaymentsOff):
        payouts.open_connected_account(auction_market.seller, now=clock())
