"""Checks of input that rules in every domain repeat (pure: no db, no Flask, no clock)."""

from __future__ import annotations

from core.domain import N_, ValidationFailed


def decision_reason(reason: str | None) -> str:
    """The reason a reviewer gives for a decision, trimmed; refused when empty."""
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed(N_("Give the reason for the decision."), field="reason")
    return text
