"""Accounts' panel of the home: organisations waiting for verification (core.home)."""

from __future__ import annotations

from accounts.models import Organisation, VerificationStatus
from core.domain import N_
from core.home import HomePanel, ReviewQueue, panels_of_roles

QUEUE = ReviewQueue("review_organisations", N_("Organisations"), 10, N_("Organisations to verify"), "review.queues", "#organisations")  # fmt: skip


def reviewer_panel() -> HomePanel:
    """Organisations awaiting verification, with the oldest's registration."""
    return QUEUE.panel(Organisation.created_at, Organisation.status == VerificationStatus.PENDING)


connect = panels_of_roles(reviewer=reviewer_panel)
