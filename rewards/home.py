"""Rewards' panel of the home: an institution's completed deals awaiting their inventors'
reward, and the pools set so far, for its administrators (core.home)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from accounts.models import User
from core.domain import N_
from core.extensions import db
from core.home import SELLER, Card, HomeItem, HomePanel, home_panels
from rewards import services
from rewards.models import DealReward

CARD = Card("rewards", SELLER, N_("Inventors' rewards"), 58, N_("No reward to set: name each result's inventors before its deals complete."), "rewards.index", N_("Inventors' rewards"))  # fmt: skip


def rewards_panel(user: User) -> HomePanel:
    """Deals whose reward is not set yet (to do) and the pools posted (price and royalties)."""
    deals = services.completed_deals(user)
    page = url_for("rewards.index")
    waiting = sum(1 for _deal, reward in deals if reward is None)
    count, pooled = db.session.execute(
        select(func.count(), func.coalesce(func.sum(DealReward.pool_minor), 0)).where(
            DealReward.org_id == user.acting_org_id
        )
    ).one()
    items = [
        HomeItem(_("Completed deals awaiting the inventors' reward"), page, waiting, urgent=True),
        HomeItem(
            _("Reward pools set (prices and royalties)"), page, int(count), amount_minor=int(pooled)
        ),
    ]
    return CARD.panel([item for item in items if item.count])


def on_home(user: User, *, roles: frozenset[str], **_kw: Any) -> list[HomePanel] | None:
    organisation = user.organisation
    admin = user.is_org_admin and organisation is not None and organisation.kind in services.REWARDING_KINDS  # fmt: skip
    if SELLER not in roles or not admin:
        return None
    return [rewards_panel(user)]


def connect() -> None:
    home_panels.connect(on_home, weak=False)
