"""Pure rules of the progressive lockout after failed sign-ins (no storage, no clock)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from http import HTTPStatus

from core.domain import N_, DomainError


@dataclass(frozen=True)
class LockoutPolicy:
    """How many failures are free, and how long the locks that follow last."""

    free_failures: int
    first_lock: timedelta
    max_lock: timedelta


def lock_duration(failures: int, policy: LockoutPolicy) -> timedelta | None:
    """How long `failures` consecutive failed sign-ins lock an account or an address.

    None below the threshold; then the first period, doubled by each further failure
    (each one is made after the previous lock ended), up to the maximum.
    """
    if failures < policy.free_failures:
        return None
    doublings = min(failures - policy.free_failures, 32)  # 2**32 minutes exceeds any maximum
    return min(policy.first_lock * 2**doublings, policy.max_lock)


class SignInLocked(DomainError):
    """Too many failed sign-ins: the account or the address is locked for a while (429)."""

    code = "sign_in_locked"
    status = HTTPStatus.TOO_MANY_REQUESTS

    def __init__(self, *, until: datetime, now: datetime) -> None:
        self.retry_after = max(1, math.ceil((until - now).total_seconds()))
        super().__init__(
            N_(
                "Too many failed sign-ins. Signing in is paused for %(minutes)s min; "
                "try again after that."
            ),
            minutes=math.ceil(self.retry_after / 60),
        )
