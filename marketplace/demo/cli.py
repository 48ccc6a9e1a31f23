"""`flask demo load`: fill an empty market with the demo data, once."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from core.clock import now
from core.storage import area_folder
from core.uow import unit_of_work
from marketplace.demo import presence
from marketplace.demo.catalogue import CATALOGUE

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
@click.option(
    "--listings",
    "listing_count",
    type=click.IntRange(1, len(CATALOGUE)),
    default=None,
    help=f"Load only the first N of the {len(CATALOGUE)} demo results (default: all).",
)
def load_command(listing_count: int | None) -> None:
    """Load the demo market unless the database already has listings; print the sign-ins."""
    if presence.already_loaded():
        click.echo("Demo data already loaded; nothing to do.")
        return
    if presence.has_accounts():
        raise click.ClickException(
            "The database has accounts but no listings: the demo loads only into an empty market."
        )
    from marketplace.demo import loader  # its pictures import Pillow: only when loading
    from search.indexer import drain_all

    started = time.monotonic()
    folder = area_folder("evidence")
    with unit_of_work(writer=True):  # the whole market or nothing
        summary = loader.load(now=now(), evidence_folder=folder, listing_count=listing_count)
    drain_all(limit=1000)  # index everything now, not on the first searches
    click.echo(
        f"Loaded {summary.organisations} organisations, {summary.users} users and "
        f"{summary.listings} listings {summary.by_status}, trading {summary.trading} "
        f"in {time.monotonic() - started:.1f}s."
    )
    click.echo("Sign in with (email / password):")
    for email, password in loader.PASSWORDS.items():
        click.echo(f"  {email:29} {password}")
    members = loader.member_emails()
    click.echo(
        f"  {members[0].split('@')[0]}..{members[-1]} {loader.MEMBER_PASSWORD}"
        "  (one per other organisation)"
    )
