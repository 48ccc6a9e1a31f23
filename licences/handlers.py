"""Answers of licences to the payments' signals (connected in create_app)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from licences import grants
from payments.models import Payment
from payments.signals import open_licence_paid


def on_open_licence_paid(payment: Payment, *, now: datetime, **_: Any) -> bool:
    """A licence's fee paid by card: the licence is granted."""
    return grants.record_card_payment(payment, now=now) is not None


def connect() -> None:
    """Connect the receivers (blinker ignores a receiver connected twice)."""
    open_licence_paid.connect(on_open_licence_paid, weak=False)
