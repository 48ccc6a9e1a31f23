"""Answers of notifications to lower layers' signals (connected in create_app)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.models import Organisation, VerificationStatus
from accounts.signals import organisation_decided
from notifications.services import notify_org


def on_organisation_decided(org: Organisation, *, now: datetime, **_: Any) -> None:
    """The members learn whether their organisation was verified, and why not."""
    verified = org.status == VerificationStatus.VERIFIED
    outcome = ("已通过", "passed") if verified else ("未通过：", "refused: ")
    reason = "" if verified else (org.rejection_reason or "")
    notify_org(
        org.id,
        "organisation.verified",
        params={
            "organisation": org.display_name("zh_CN"),
            "organisation_en": org.display_name("en"),
            "outcome": outcome[0] + reason,
            "outcome_en": outcome[1] + reason,
        },
        link="/organisation",
        now=now,
    )


def connect() -> None:
    """Connect the receivers (blinker ignores a receiver connected twice)."""
    organisation_decided.connect(on_organisation_decided, weak=False)
