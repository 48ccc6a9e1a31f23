"""REST endpoints of deals."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("deals_api", __name__, description="Deals of both channels")
