"""Deal pages: milestones, documents, registration records, offline deals."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("deals", __name__)
