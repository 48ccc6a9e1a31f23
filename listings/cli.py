"""Listing commands (the shell adds `close-sales` from trading, for cron)."""

from __future__ import annotations

from flask.cli import AppGroup

listings_cli = AppGroup("listings", help="Listing commands (close-sales for cron).")
