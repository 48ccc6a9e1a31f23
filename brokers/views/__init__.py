"""Broker pages (blueprint `brokers`), one module per area.

Each area module attaches its routes to `bp` when imported; importing them here is what
registers them, so `from brokers.views import bp` gives the complete blueprint.
"""

from brokers.views import (  # noqa: F401  (imported for their routes)
    accreditation,
    commissions,
    introductions,
    mandates,
    profiles,
    workbench,
)
from brokers.views.blueprint import bp

__all__ = ["bp"]
