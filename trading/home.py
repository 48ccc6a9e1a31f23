"""Trading's panels of the home: listed sales and their intents, negotiations with an offer
waiting, public notices running, and the reviewers' objections (core.home)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, func, select

from core.domain import N_
from core.extensions import db
from core.home import BUYER, SELLER, Card, HomeItem, HomePanel, ReviewQueue, panels_of_roles
from trading.models import (
    ListedSale,
    ListedSaleStatus,
    Negotiation,
    NegotiationStatus,
    Objection,
    PublicityNotice,
    SaleIntent,
)
from trading.rules import NoticeStatus, ObjectionStatus


@dataclass(frozen=True)
class _TradingCard(Card):
    """Trading's cards leave out the lines with nothing to count."""

    def panel(self, items: Sequence[HomeItem]) -> HomePanel:
        return super().panel([item for item in items if item.count])


QUEUE = ReviewQueue("review_objections", N_("Public notices"), 60, N_("Objections to decide"), "publicity.queue")  # fmt: skip
SELLER_CARD = _TradingCard("trading_seller", SELLER, N_("Sales and negotiations"), 20, N_("Nothing on sale: publish a result, then start a listed sale, a negotiation or an auction from its page."), "listings.mine", N_("Your results"))  # fmt: skip
BUYER_CARD = _TradingCard("trading_buyer", BUYER, N_("Sales and negotiations"), 20, N_("No intents or offers: find a result and register your intent or make an offer."), "search.search", N_("Search results"))  # fmt: skip


def _negotiations(org_id: int, party: Any) -> list[HomeItem]:
    """The offers waiting for the organisation's answer and its open negotiations on this side."""
    waiting = and_(
        Negotiation.open_offer_by_org_id.is_not(None),
        Negotiation.open_offer_by_org_id != org_id,
    )
    total, mine = db.session.execute(
        select(func.count(), func.count().filter(waiting)).where(
            party == org_id, Negotiation.status == NegotiationStatus.OPEN
        )
    ).one()
    page = url_for("sales.my_negotiations")
    return [
        HomeItem(_("Offers waiting for your answer"), page, int(mine), urgent=True),
        HomeItem(_("Negotiations open"), page, int(total)),
    ]


def seller_panel(org_id: int) -> HomePanel:
    """Listed sales running with the intents registered, offers to answer, notices running."""
    sales, intents = db.session.execute(
        select(func.count(func.distinct(ListedSale.id)), func.count(SaleIntent.id))
        .select_from(ListedSale)
        .outerjoin(
            SaleIntent,
            and_(SaleIntent.sale_id == ListedSale.id, SaleIntent.withdrawn_at.is_(None)),
        )
        .where(ListedSale.seller_org_id == org_id, ListedSale.status == ListedSaleStatus.OPEN)
    ).one()
    notices = db.session.scalar(
        select(func.count())
        .select_from(PublicityNotice)
        .join(Negotiation, Negotiation.id == PublicityNotice.negotiation_id)
        .where(Negotiation.seller_org_id == org_id, PublicityNotice.status == NoticeStatus.RUNNING)
    )
    return SELLER_CARD.panel(
        [
            HomeItem(_("Listed sales running"), url_for("sales.index"), sales),
            HomeItem(_("Buyers' intents registered"), url_for("sales.index"), intents),
            *_negotiations(org_id, Negotiation.seller_org_id),
            HomeItem(_("Public notices running"), url_for("publicity.index"), notices or 0),
        ]
    )


def buyer_panel(org_id: int) -> HomePanel:
    """The enterprise's intents in running sales and its negotiations."""
    intents = db.session.scalar(
        select(func.count())
        .select_from(SaleIntent)
        .join(ListedSale, ListedSale.id == SaleIntent.sale_id)
        .where(
            SaleIntent.buyer_org_id == org_id,
            SaleIntent.withdrawn_at.is_(None),
            ListedSale.status == ListedSaleStatus.OPEN,
        )
    )
    return BUYER_CARD.panel(
        [
            HomeItem(_("Your intents in running sales"), url_for("sales.index"), intents or 0),
            *_negotiations(org_id, Negotiation.buyer_org_id),
        ]
    )


def reviewer_panel() -> HomePanel:
    """Objections lodged against public notices, waiting for a reviewer."""
    return QUEUE.panel(Objection.lodged_at, Objection.status == ObjectionStatus.LODGED)


connect = panels_of_roles(seller=seller_panel, buyer=buyer_panel, reviewer=reviewer_panel)
