"""Reactions of auctions to other domains' signals (connected in create_app)."""

from __future__ import annotations


def connect() -> None:
    """Connect the signal handlers (idempotent)."""
