"""What a deposit is owed for (an auction, a listed sale): the answers its owner gives payments.

A domain that takes deposits declares its context once, and `connect` answers
`deposit_period_end` and `deposit_subject` for the deposits of that context type only,
and `deposit_owed` where a person takes part by lodging the deposit (`owed`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from accounts.models import User
from core.db_types import ClosingPeriodMixin
from core.extensions import db
from core.rows import period_end
from payments.models import Deposit
from payments.signals import deposit_owed, deposit_period_end, deposit_subject


@dataclass(frozen=True)
class DepositContext:
    """Deposits of `context_type` are owed for a row of `model` (a period of sale of one
    listing, with `listing_id`); `page` is the path of that row's page, with `{id}`.
    `owed(actor, context_id, now=...)`, where given, is the owner's use case that has the
    actor's organisation take part and returns the deposit it owes (see `deposit_owed`)."""

    context_type: str
    model: type[ClosingPeriodMixin]
    page: str
    owed: Callable[..., Deposit] | None = None

    def period_end(self, _context_type: str, *, context_id: int, **_: Any) -> datetime | None:
        """When the period the deposit is owed for ends (None when there is no such row)."""
        return period_end(self.model, context_id)

    def subject(self, _context_type: str, *, context_id: int, **_: Any) -> dict[str, Any] | None:
        """The listing the deposit is about, and the page of what it is owed for."""
        found: Any = db.session.get(self.model, context_id)  # a model with `listing_id`
        if found is None:
            return None
        return {"listing_id": found.listing_id, "link": self.page.format(id=context_id)}

    def owed_by(
        self, _context_type: str, *, actor: User, context_id: int, now: datetime, **_: Any
    ) -> Deposit | None:
        """The deposit the actor's organisation owes to take part (None: not joined this way)."""
        return None if self.owed is None else self.owed(actor, context_id, now=now)

    def connect(self) -> None:
        """Answer payments' questions about deposits of this context type (once per process)."""
        deposit_period_end.connect(self.period_end, sender=self.context_type, weak=False)
        deposit_subject.connect(self.subject, sender=self.context_type, weak=False)
        deposit_owed.connect(self.owed_by, sender=self.context_type, weak=False)
