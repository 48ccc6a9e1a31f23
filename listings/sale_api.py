"""REST endpoints of listed sales and negotiations."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("sales_api", __name__, description="Listed sales (挂牌) and negotiations (协议定价)")
