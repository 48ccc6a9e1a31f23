"""Deal commands (the shell adds `close-notices` from trading, for cron)."""

from __future__ import annotations

from flask.cli import AppGroup

deals_cli = AppGroup("deals", help="Deal and public-notice commands (close-notices for cron).")
