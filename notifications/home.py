"""Notifications' panel of the home: what the person watches (core.home)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from accounts.models import User
from core.extensions import db
from core.home import BUYER, HomeItem, HomePanel, counted, home_panels
from notifications.models import Watch


def watch_labels() -> dict[str, str]:
    return {
        "listing": _("Results watched"),
        "auction": _("Auctions watched"),
        "need": _("Needs watched"),
        "broker": _("Brokers watched"),
    }


def watched_panel(user: User) -> HomePanel:
    by_type = counted(
        db.session.execute(
            select(Watch.object_type, func.count())
            .where(Watch.user_id == user.id)
            .group_by(Watch.object_type)
        ).all()
    )
    page = url_for("notifications.watching_page")
    items = [
        HomeItem(label, page, by_type[kind])
        for kind, label in watch_labels().items()
        if by_type.get(kind)
    ]
    return HomePanel(
        key="watching",
        role=BUYER,
        title=_("Watching"),
        items=items,
        empty=_("You watch nothing yet: press Watch on a result or an auction to follow it."),
        empty_url=url_for("search.search"),
        empty_action=_("Search results"),
        order=15,
    )


def on_home(user: User, *, roles: frozenset[str], **_kw: Any) -> list[HomePanel] | None:
    return [watched_panel(user)] if BUYER in roles else None


def connect() -> None:
    home_panels.connect(on_home, weak=False)
