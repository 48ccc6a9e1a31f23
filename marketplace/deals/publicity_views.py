"""Public notices (公示) and objections (异议): the pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("publicity", __name__)
