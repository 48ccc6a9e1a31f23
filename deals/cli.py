"""Deal and public-notice commands (close-notices for cron)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from core.clock import now
from trading import notices as publicity

deals_cli = AppGroup("deals", help="Deal and public-notice commands (close-notices for cron).")


@deals_cli.command("close-notices")
def close_notices() -> None:
    """Conclude every public notice whose period ended clean (safe to run from several hosts)."""
    closed = publicity.close_due_notices(now=now())
    click.echo(f"Closed {closed} public notice(s).")
