"""Accounts' panel of the home: organisations waiting for verification (core.home)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_babel import gettext as _

from accounts.models import Organisation, User, VerificationStatus
from core.home import HomeItem, HomePanel, home_panels, queue_item, review_panel, role_panels


def organisation_queue() -> HomeItem:
    """Organisations awaiting verification, with the oldest's registration."""
    return queue_item(
        _("Organisations to verify"),
        url_for("review.queues") + "#organisations",
        Organisation.created_at,
        Organisation.status == VerificationStatus.PENDING,
    )


def on_home(user: User, *, roles: frozenset[str], **_kw: Any) -> list[HomePanel] | None:
    return role_panels(
        user.acting_org_id,
        roles,
        reviewer=lambda: review_panel(
            "review_organisations", _("Organisations"), [organisation_queue()], order=10
        ),
    )


def connect() -> None:
    home_panels.connect(on_home, weak=False)
