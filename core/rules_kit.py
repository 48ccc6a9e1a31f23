"""Checks of input that rules in every domain repeat (pure: no db, no Flask, no clock)."""

from __future__ import annotations

from core.domain import N_, ValidationFailed


def decision_reason(reason: str | None, field: str = "reason") -> str:
    """The reason given for a decision, trimmed; refused (on `field`) when empty."""
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed(N_("Give the reason for the decision."), field=field)
    return text
