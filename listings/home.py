"""Listings' panels of the home: a seller's results by state, a buyer's needs and their
matches, the reviewers' ownership queue (core.home)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from core.domain import N_
from core.extensions import db
from core.home import (
    BUYER,
    SELLER,
    Card,
    HomeItem,
    HomePanel,
    ReviewQueue,
    count_by,
    counted,
    panels_of_roles,
)
from core.row_lists import all_of
from listings.labels import LISTING_STATUS
from listings.models import Listing, TechNeed
from listings.need_rules import NeedStatus
from listings.rules import ListingStatus

NEEDS_SHOWN = 5
LISTINGS_CARD = Card("listings", SELLER, N_("Your results"), 10, N_("No results listed yet: list a patent or other result to offer it."), "listings.create", N_("List a result"))  # fmt: skip
QUEUE = ReviewQueue("review_listings", N_("Ownership of results"), 20, N_("Ownership to confirm"), "review.queues", "#listings")  # fmt: skip
NEEDS_CARD = Card("needs", BUYER, N_("Your technology needs"), 60, N_("No open needs: post what technology you are looking for and brokers and sellers will find you."), "needs.create", N_("Post a need"))  # fmt: skip


def seller_listings(org_id: int) -> HomePanel:
    """The organisation's listings counted by state; drafts and refusals wait for the seller."""
    by_status = count_by(Listing.status, Listing.organisation_id == org_id)
    items = [
        HomeItem(
            label=str(LISTING_STATUS[status][0]),
            url=url_for("listings.mine"),
            count=by_status[status],
            urgent=status in (ListingStatus.DRAFT, ListingStatus.CONFIRMED),
            note=_("to complete and submit")
            if status == ListingStatus.DRAFT
            else _("ready to publish")
            if status == ListingStatus.CONFIRMED
            else "",
        )
        for status in ListingStatus
        if by_status.get(status)
    ]
    return LISTINGS_CARD.panel(items)


def buyer_needs(org_id: int) -> HomePanel:
    """The enterprise's open needs, each with the published results in its field."""
    needs = all_of(
        select(TechNeed)
        .where(TechNeed.organisation_id == org_id, TechNeed.status == NeedStatus.OPEN)
        .order_by(TechNeed.created_at.desc(), TechNeed.id.desc())
        .limit(NEEDS_SHOWN)
    )
    fields = {need.field for need in needs}
    in_field = counted(
        db.session.execute(
            select(Listing.field, func.count())
            .where(Listing.status == ListingStatus.PUBLISHED, Listing.field.in_(fields))
            .group_by(Listing.field)
        ).all()
        if fields
        else []
    )
    items = [
        HomeItem(
            label=need.title,
            url=url_for("needs.detail", need_id=need.id),
            count=in_field.get(need.field, 0),
            note=_("published results in its field"),
        )
        for need in needs
    ]
    return NEEDS_CARD.panel(items)


def reviewer_panel() -> HomePanel:
    """Listings whose ownership evidence awaits a reviewer, with the oldest's submission."""
    return QUEUE.panel(Listing.submitted_at, Listing.status == ListingStatus.SUBMITTED)


connect = panels_of_roles(seller=seller_listings, buyer=buyer_needs, reviewer=reviewer_panel)
