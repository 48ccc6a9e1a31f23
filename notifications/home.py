"""Notifications' panel of the home: what the person watches (core.home)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _

from accounts.models import User
from core.domain import N_
from core.home import BUYER, Card, HomePanel, count_by, counted_items, home_panels
from notifications.models import Watch

CARD = Card("watching", BUYER, N_("Watching"), 15, N_("You watch nothing yet: press Watch on a result or an auction to follow it."), "search.search", N_("Search results"))  # fmt: skip


def watch_labels() -> dict[str, str]:
    return {
        "listing": _("Results watched"),
        "auction": _("Auctions watched"),
        "need": _("Needs watched"),
        "broker": _("Brokers watched"),
    }


def watched_panel(user: User) -> HomePanel:
    by_type = count_by(Watch.object_type, Watch.user_id == user.id)
    return CARD.panel(
        counted_items(by_type, watch_labels(), url_for("notifications.watching_page"))
    )


def on_home(user: User, *, roles: frozenset[str], **_kw: Any) -> list[HomePanel] | None:
    return [watched_panel(user)] if BUYER in roles else None


def connect() -> None:
    home_panels.connect(on_home, weak=False)
