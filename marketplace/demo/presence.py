"""Whether the demo may load: asked by every `flask serve` (make run), so it imports
only the two models it counts, not the loader (its pictures import Pillow)."""

from __future__ import annotations

from sqlalchemy import func, select

from accounts.models import User
from core.extensions import db
from listings.models import Listing


def already_loaded() -> bool:
    """The demo is loaded once: any listing means the market already has data."""
    return bool(db.session.scalar(select(func.count(Listing.id))))


def has_accounts() -> bool:
    """Whether people are registered (then the demo must not be mixed in)."""
    return bool(db.session.scalar(select(func.count(User.id))))
