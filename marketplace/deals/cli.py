"""Deal and public-notice commands (close-notices for cron)."""

from __future__ import annotations

from flask.cli import AppGroup

deals_cli = AppGroup("deals", help="Deal and public-notice commands (close-notices for cron).")
