"""Auction pages: the live auction room, deposits."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auctions", __name__)
