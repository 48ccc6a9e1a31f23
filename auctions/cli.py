"""Auction commands (close-due for cron)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from auctions import jobs
from auctions.settings import settings_from_config
from core.clock import now

auctions_cli = AppGroup("auctions", help="Auction commands (close-due for cron).")


@auctions_cli.command("close-due")
def close_due() -> None:
    """Close every auction whose end has passed (safe to run from several workers at once).

    Each auction is closed in its own unit of work (`auctions.jobs.close_due`).
    """
    closed = jobs.close_due(now=now(), settings=settings_from_config(current_app.config))
    click.echo(f"{closed} auction(s) closed")
