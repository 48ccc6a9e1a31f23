"""REST endpoints of auctions."""

from __future__ import annotations

from flask_smorest import Blueprint

blp = Blueprint("auctions_api", __name__, description="Auctions (拍卖) and bids")
