"""The ledger's registration records as one CSV (技术合同认定登记): the reviewers' page and
the API build the same file here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from accounts.models import User
from core.clock import as_utc
from deals import registration, services

CSV_TYPE = "text/csv; charset=utf-8"


def registrations_file(
    actor: User,
    filters: dict[str, Any],
    *,
    tz: tzinfo,
    now: datetime,
    translate: Callable[[str], str],
) -> tuple[bytes, str]:
    """The registration records of the ledger's deals (`filters` as the ledger's: channel,
    status, method), one row each, and the file's name; reviewers only (`all_deals`)."""
    deals = services.all_deals(actor, **filters)
    body = registration.registration_csv(registration.records_for(deals, tz=tz), translate)
    stamp = as_utc(now).astimezone(tz).strftime("%Y%m%d")
    return body.encode("utf-8"), f"deal-registrations-{stamp}.csv"
