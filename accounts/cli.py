"""`flask accounts create-admin`: the first administrator of the market."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from accounts.models import User
from accounts.services import create_platform_user, register_operator
from core.clock import now
from core.domain import DomainError
from core.extensions import db
from core.uow import unit_of_work

accounts_cli = AppGroup("accounts", help="User accounts.")


@accounts_cli.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True, default="Administrator")
@click.password_option()
def create_admin_command(email: str, name: str, password: str) -> None:
    """Create a platform administrator (also a reviewer)."""
    try:
        with unit_of_work():
            user = create_platform_user(email, name, password, now=now(), admin=True)
    except DomainError as error:
        raise click.ClickException(error.text()) from error
    click.echo(f"Administrator {user.email} created (id {user.id}).")


@accounts_cli.command("create-operator")
@click.option("--admin-email", required=True, help="An existing administrator who registers it.")
@click.option("--name", prompt=True, help="The operator's registered name.")
@click.option("--credit-code", prompt=True, help="Its unified social credit code.")
@click.option("--region", prompt=True)
def create_operator_command(admin_email: str, name: str, credit_code: str, region: str) -> None:
    """Register the market operator's organisation (offline deals of off-platform sellers)."""
    admin = db.session.scalar(select(User).where(User.email == admin_email.strip().lower()))
    if admin is None:
        raise click.ClickException(f"No user {admin_email}.")
    try:
        with unit_of_work():
            org = register_operator(
                admin, name=name, credit_code=credit_code, region=region, now=now()
            )
    except DomainError as error:
        raise click.ClickException(error.text()) from error
    click.echo(f"Operator organisation {org.name} registered (id {org.id}).")
