"""Listings' panels of the home: a seller's results by state, a buyer's needs and their
matches, the reviewers' ownership queue (core.home)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from accounts.models import User
from core.extensions import db
from core.home import (
    BUYER,
    SELLER,
    HomeItem,
    HomePanel,
    count_by,
    counted,
    home_panels,
    queue_item,
    review_panel,
    role_panels,
)
from listings.labels import LISTING_STATUS
from listings.models import Listing, TechNeed
from listings.need_rules import NeedStatus
from listings.rules import ListingStatus

NEEDS_SHOWN = 5


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
    return HomePanel(
        key="listings",
        role=SELLER,
        title=_("Your results"),
        items=items,
        empty=_("No results listed yet: list a patent or other result to offer it."),
        empty_url=url_for("listings.create"),
        empty_action=_("List a result"),
        order=10,
    )


def buyer_needs(org_id: int) -> HomePanel:
    """The enterprise's open needs, each with the published results in its field."""
    needs = list(
        db.session.scalars(
            select(TechNeed)
            .where(TechNeed.organisation_id == org_id, TechNeed.status == NeedStatus.OPEN)
            .order_by(TechNeed.created_at.desc(), TechNeed.id.desc())
            .limit(NEEDS_SHOWN)
        )
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
    return HomePanel(
        key="needs",
        role=BUYER,
        title=_("Your technology needs"),
        items=items,
        empty=_(
            "No open needs: post what technology you are looking for and brokers and "
            "sellers will find you."
        ),
        empty_url=url_for("needs.create"),
        empty_action=_("Post a need"),
        order=60,
    )


def ownership_queue() -> HomeItem:
    """Listings whose ownership evidence awaits a reviewer, with the oldest's submission."""
    return queue_item(
        _("Ownership to confirm"),
        url_for("review.queues") + "#listings",
        Listing.submitted_at,
        Listing.status == ListingStatus.SUBMITTED,
    )


def on_home(user: User, *, roles: frozenset[str], **_kw: Any) -> list[HomePanel] | None:
    return role_panels(
        user.acting_org_id,
        roles,
        seller=seller_listings,
        buyer=buyer_needs,
        reviewer=lambda: review_panel(
            "review_listings", _("Ownership of results"), [ownership_queue()], order=20
        ),
    )


def connect() -> None:
    home_panels.connect(on_home, weak=False)
