"""Licences' jobs: remind licensees of royalty reports due and flag the late ones."""

from __future__ import annotations

from core.clock import now
from core.jobs import EVERY_MINUTE, job
from core.uow import unit_of_work
from licences import royalties


@job("licences.royalties", every=EVERY_MINUTE)
def royalty_sweep() -> int:
    """Remind a week before a royalty report is due; flag it once it is late (once each)."""
    with unit_of_work(writer=True):
        return royalties.sweep(now=now())
