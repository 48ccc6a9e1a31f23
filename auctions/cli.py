"""Auction commands (close-due for cron)."""

from __future__ import annotations

from flask.cli import AppGroup

auctions_cli = AppGroup("auctions", help="Auction commands (close-due for cron).")
