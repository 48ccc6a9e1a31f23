"""What the caller may do now to a mandate or an introduction (API `allowed_actions`).

Each check is the one the use case runs before it writes (`core.api_actions`).
"""

from __future__ import annotations

from datetime import datetime

from accounts.models import User
from brokers import introductions, mandates
from brokers.models import Introduction, Mandate


def _accept(actor: User, mandate: Mandate, now: datetime) -> None:
    mandates.check_accept(actor, mandate, now=now)


def _decline(actor: User, mandate: Mandate, now: datetime) -> None:
    mandates.check_decline(actor, mandate)


def _terminate(actor: User, mandate: Mandate, now: datetime) -> None:
    mandates.check_terminate(actor, mandate, now=now)


def _answer(actor: User, introduction: Introduction, now: datetime) -> None:
    introductions.check_answer(actor, introduction)


MANDATE_ACTIONS = {"accept": _accept, "decline": _decline, "terminate": _terminate}
INTRODUCTION_ACTIONS = {"accept": _answer, "decline": _answer}
