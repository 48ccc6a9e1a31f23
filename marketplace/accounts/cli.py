"""`flask accounts create-admin`: the first administrator of the market."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from marketplace.accounts.services import create_platform_user
from marketplace.clock import now
from marketplace.domain import DomainError

accounts_cli = AppGroup("accounts", help="User accounts.")


@accounts_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True, default="Administrator")
@click.password_option()
def create_admin_command(email: str, name: str, password: str) -> None:
    """Create a platform administrator (also a reviewer)."""
    try:
        user = create_platform_user(email, name, password, now=now(), admin=True)
    except DomainError as error:
        raise click.ClickException(error.text()) from error
    click.echo(f"Administrator {user.email} created (id {user.id}).")
