"""What the caller may do now to a valuation request (API `allowed_actions`).

Each check is the one the use case runs before it writes (`core.api_actions`).
"""

from __future__ import annotations

from core.api_actions import unless_refused
from valuation import requests

REQUEST_ACTIONS = {
    "take": unless_refused(requests.check_take, timed=True),
    "decline": unless_refused(requests.check_decline, timed=True),
    "withdraw": unless_refused(requests.check_withdraw),
    "report": unless_refused(requests.check_report, timed=True),
}
