"""Trading commands for cron: close listed sales and public notices whose period is over.

The shell registers them under their historic groups (`flask listings close-sales`,
`flask deals close-notices`), so existing crontabs keep working. Each run is one
unit of work; a closing that fails is undone alone (a savepoint) and retried next run.
"""

from __future__ import annotations

import click
from flask import current_app

from core.clock import now
from core.uow import unit_of_work
from core.workdays import market_calendar
from trading import closing, notices


@click.command("close-sales")
def close_sales() -> None:
    """Close every listed sale whose listing period is over (safe to run from several hosts)."""
    config = current_app.config
    with unit_of_work(writer=True):
        closed = closing.close_due_sales(
            now=now(),
            calendar=market_calendar(config),
            release_working_days=config.get("DEPOSIT_RELEASE_WORKING_DAYS", 5),
        )
    click.echo(f"Closed {closed} listed sale(s).")


@click.command("close-notices")
def close_notices() -> None:
    """Conclude every public notice whose period ended clean (safe to run from several hosts)."""
    with unit_of_work(writer=True):
        closed = notices.close_due_notices(now=now())
    click.echo(f"Closed {closed} public notice(s).")
