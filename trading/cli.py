"""Trading commands for cron: close listed sales and public notices whose period is over.

The shell registers them under their historic groups (`flask listings close-sales`,
`flask deals close-notices`), so existing crontabs keep working; the job runner
runs the same sweeps every minute (`trading.jobs`).
"""

from __future__ import annotations

import click

from trading import jobs


@click.command("close-sales")
def close_sales() -> None:
    """Close every listed sale whose listing period is over (safe to run from several hosts)."""
    click.echo(f"Closed {jobs.close_sales()} listed sale(s).")


@click.command("close-notices")
def close_notices() -> None:
    """Conclude every public notice whose period ended clean (safe to run from several hosts)."""
    click.echo(f"Closed {jobs.close_notices()} public notice(s).")
