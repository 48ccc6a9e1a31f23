"""Auction commands (close-due for cron)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from auctions import jobs

auctions_cli = AppGroup("auctions", help="Auction commands (close-due for cron).")


@auctions_cli.command("close-due")
def close_due() -> None:
    """Close every auction whose end has passed (safe to run from several workers at once).

    Each auction is closed in its own unit of work (`auctions.jobs.close_due`).
    """
    closed = jobs.close_due_auctions()
    click.echo(f"{closed} auction(s) closed")
