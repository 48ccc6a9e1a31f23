"""Brokers' panels of the home: a broker's mandates, introductions awaiting answers, new
results and needs in their fields, commissions and accreditation; the reviewers'
accreditation queue (core.home)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from accounts.models import User
from brokers.models import Broker, DealCommission, Introduction, Mandate
from brokers.rules import AccreditationStatus, IntroductionStatus, MandateStatus
from core.domain import N_
from core.extensions import db
from core.home import (
    BROKER,
    REVIEWER,
    Card,
    HomeItem,
    HomePanel,
    ReviewQueue,
    count_by,
    home_panels,
)
from core.i18n import day
from deals.models import Deal
from deals.rules import DealStatus
from listings.models import Listing, TechNeed
from listings.need_rules import NeedStatus
from listings.rules import ListingStatus
from payments.models import LedgerLeg, LedgerTransaction
from payments.rules import Account

QUEUE = ReviewQueue(
    "review_brokers", N_("Brokers"), 30, N_("Brokers to accredit"), "review.brokers"
)
BROKER_CARD = Card("broker", BROKER, N_("Your brokerage"), 5)
PENDING_CARD = Card("broker", BROKER, N_("Your brokerage"), 5, N_("Your accreditation is awaiting a reviewer's decision."), "brokers.mine", N_("Your application"))  # fmt: skip


def _work_items(broker: Broker) -> list[HomeItem]:
    """Mandates by state and introductions still waiting for a party's answer."""
    mandates = count_by(Mandate.status, Mandate.broker_id == broker.id)
    waiting, oldest = db.session.execute(
        select(func.count(), func.min(Introduction.created_at)).where(
            Introduction.broker_id == broker.id,
            Introduction.status == IntroductionStatus.PROPOSED,
        )
    ).one()
    workbench = url_for("brokers.dashboard")
    return [
        HomeItem(
            _("Mandates proposed, awaiting acceptance"),
            workbench,
            mandates.get(MandateStatus.PROPOSED, 0),
            urgent=True,
        ),
        HomeItem(_("Mandates active"), workbench, mandates.get(MandateStatus.ACTIVE, 0)),
        HomeItem(_("Introductions awaiting the parties' answer"), workbench, waiting, oldest),
    ]


def _new_in_fields(broker: Broker, since: datetime | None) -> list[HomeItem]:
    """Results published and needs posted in the broker's fields since the last visit."""
    fields = list(broker.expertise_fields or [])
    if not fields:
        return []
    listings = select(func.count()).where(
        Listing.status == ListingStatus.PUBLISHED, Listing.field.in_(fields)
    )
    needs = select(func.count()).where(
        TechNeed.status == NeedStatus.OPEN, TechNeed.field.in_(fields)
    )
    if since is not None:
        listings = listings.where(Listing.published_at > since)
        needs = needs.where(TechNeed.created_at > since)
    note = _("since your last visit") if since is not None else _("in your fields")
    return [
        HomeItem(
            _("New results to match"),
            url_for("search.search"),
            db.session.scalar(listings) or 0,
            note=note,
        ),
        HomeItem(
            _("New needs to match"),
            url_for("needs.index"),
            db.session.scalar(needs) or 0,
            note=note,
        ),
    ]


def _commission_items(broker: Broker) -> list[HomeItem]:
    """Commissions earned on live deals, and how much the ledger shows paid out."""
    earned = db.session.scalar(
        select(func.coalesce(func.sum(DealCommission.amount_minor), 0))
        .join(Deal, Deal.id == DealCommission.deal_id)
        .where(DealCommission.broker_id == broker.id, Deal.status != DealStatus.CANCELLED)
    )
    deals = select(DealCommission.deal_id).where(DealCommission.broker_id == broker.id)
    paid = db.session.scalar(
        select(
            func.coalesce(
                func.sum(case((LedgerLeg.amount_minor > 0, LedgerLeg.amount_minor), else_=0)), 0
            )
        )
        .join(LedgerTransaction, LedgerTransaction.id == LedgerLeg.transaction_id)
        .where(
            LedgerTransaction.deal_id.in_(deals),
            LedgerLeg.account == Account.BROKER_PAYABLE,
            LedgerLeg.org_id == broker.organisation_id,
        )
    )
    # PostgreSQL sums BIGINT as NUMERIC; money is integer minor units.
    earned, paid = int(earned or 0), int(paid or 0)
    statement = url_for("brokers.statement")
    return [
        HomeItem(
            _("Commissions owed to you"),
            statement,
            amount_minor=max(earned - paid, 0),
        ),
        HomeItem(_("Commissions paid"), statement, amount_minor=paid),
    ]


def _accreditation_item(broker: Broker, now: datetime) -> HomeItem:
    days = (broker.expires_on - now.date()).days
    warn = current_app.config["BROKER_EXPIRY_WARNING_DAYS"]
    return HomeItem(
        _("Accreditation expires on %(date)s", date=day(broker.expires_on)),
        url_for("brokers.profile", broker_id=broker.id),
        note=_("%(days)s days left: renew it", days=days) if days <= warn else "",
        urgent=days <= warn,
    )


def broker_panel(broker: Broker, *, now: datetime, since: datetime | None) -> HomePanel:
    if broker.status != AccreditationStatus.ACCREDITED:
        return PENDING_CARD.panel(())
    items = [
        *(item for item in _work_items(broker) if item.count),
        *_new_in_fields(broker, since),
        *_commission_items(broker),
        _accreditation_item(broker, now),
    ]
    return BROKER_CARD.panel(items)


def on_home(
    user: User,
    *,
    roles: frozenset[str],
    now: datetime,
    since: datetime | None = None,
    **_kw: Any,
) -> list[HomePanel] | None:
    panels = []
    broker = db.session.scalar(select(Broker).where(Broker.user_id == user.id))
    if broker is not None:
        panels.append(broker_panel(broker, now=now, since=since))
    if REVIEWER in roles:
        panels.append(QUEUE.panel(Broker.applied_at, Broker.status == AccreditationStatus.PENDING))
    return panels or None


def connect() -> None:
    home_panels.connect(on_home, weak=False)
