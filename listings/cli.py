"""Listing commands (close-sales for cron)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from core.clock import now
from core.workdays import WorkCalendar
from trading import sales

listings_cli = AppGroup("listings", help="Listing commands (close-sales for cron).")


@listings_cli.command("close-sales")
def close_sales() -> None:
    """Close every listed sale whose listing period is over (safe to run from several hosts)."""
    config = current_app.config
    calendar = WorkCalendar.from_text(
        config.get("MARKET_HOLIDAYS", ""),
        config.get("MARKET_WORKDAYS", ""),
        config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai"),
    )
    closed = sales.close_due_sales(
        now=now(),
        calendar=calendar,
        release_working_days=config.get("DEPOSIT_RELEASE_WORKING_DAYS", 5),
    )
    click.echo(f"Closed {closed} listed sale(s).")
