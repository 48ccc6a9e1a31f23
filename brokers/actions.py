"""What the caller may do now to a mandate or an introduction (API `allowed_actions`).

Each check is the one the use case runs before it writes (`core.api_actions`).
"""

from __future__ import annotations

from brokers import introductions, mandates
from core.api_actions import unless_refused

MANDATE_ACTIONS = {
    "accept": unless_refused(mandates.check_accept, timed=True),
    "decline": unless_refused(mandates.check_decline),
    "terminate": unless_refused(mandates.check_terminate, timed=True),
}
INTRODUCTION_ACTIONS = {
    "accept": unless_refused(introductions.check_answer),
    "decline": unless_refused(introductions.check_answer),
}
