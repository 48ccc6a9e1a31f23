"""Human labels of the payments vocabularies, in the reader's language."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from core.domain import N_

# (label, Bootstrap colour of the badge)
DEPOSIT_STATUS: dict[str, tuple[str, str]] = {
    "required": (N_("Deposit to pay"), "warning"),
    "receipt_submitted": (N_("Receipt awaiting confirmation"), "info"),
    "held": (N_("Deposit held"), "success"),
    "applied": (N_("Applied to the price"), "success"),
    "released": (N_("Released"), "secondary"),
    "forfeited": (N_("Forfeited"), "danger"),
}


def deposit_status_label(status: Any) -> tuple[str, str]:
    """(label, colour) of a deposit's state (a DepositStatus or its value)."""
    key = getattr(status, "value", status)
    text, colour = DEPOSIT_STATUS.get(key, (key, "secondary"))
    return _(text), colour
