"""Listed sales (挂牌) and negotiations (协议定价): the pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("sales", __name__)
