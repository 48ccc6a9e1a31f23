"""What the caller may do now to a valuation request (API `allowed_actions`).

Each check is the one the use case runs before it writes (`core.api_actions`).
"""

from __future__ import annotations

from datetime import datetime

from accounts.models import User
from valuation import requests
from valuation.models import ValuationRequest


def _take(actor: User, request: ValuationRequest, now: datetime) -> None:
    requests.check_take(actor, request, now=now)


def _decline(actor: User, request: ValuationRequest, now: datetime) -> None:
    requests.check_decline(actor, request, now=now)


def _withdraw(actor: User, request: ValuationRequest, now: datetime) -> None:
    requests.check_withdraw(actor, request)


def _report(actor: User, request: ValuationRequest, now: datetime) -> None:
    requests.check_report(actor, request, now=now)


REQUEST_ACTIONS = {"take": _take, "decline": _decline, "withdraw": _withdraw, "report": _report}
