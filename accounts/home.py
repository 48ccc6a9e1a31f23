"""Accounts' panel of the home: organisations waiting for verification (core.home)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from accounts.models import Organisation, User, VerificationStatus
from core.extensions import db
from core.home import REVIEWER, HomeItem, HomePanel, home_panels


def organisation_queue() -> HomeItem:
    """Organisations awaiting verification, with the oldest's registration."""
    count, oldest = db.session.execute(
        select(func.count(), func.min(Organisation.created_at)).where(
            Organisation.status == VerificationStatus.PENDING
        )
    ).one()
    return HomeItem(
        label=_("Organisations to verify"),
        url=url_for("review.queues") + "#organisations",
        count=count,
        oldest=oldest,
        urgent=True,
    )


def on_home(user: User, *, roles: frozenset[str], **_kw: Any) -> list[HomePanel] | None:
    if REVIEWER not in roles:
        return None
    return [
        HomePanel(
            key="review_organisations",
            role=REVIEWER,
            title=_("Organisations"),
            items=[organisation_queue()],
            order=10,
        )
    ]


def connect() -> None:
    home_panels.connect(on_home, weak=False)
