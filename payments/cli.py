"""`flask payments ...`: check the ledger, make queued Stripe calls, reconcile with Stripe."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from core.clock import now
from core.extensions import db
from core.uow import unit_of_work
from deals.models import Deal
from payments import accruals, ledger, reconciliation, stripe_channel, stripe_queue

payments_cli = AppGroup(
    "payments", help="Deal ledger and Stripe: check-ledger, retry, reconcile, accrue-missing."
)


@payments_cli.command("check-ledger")
def check_ledger() -> None:
    """Check that every deal's ledger balances and is complete; exit 1 and list those that are not."""
    problems = ledger.check_all()
    deals = db.session.query(Deal).count()
    if not problems:
        click.echo(f"All {deals} deal ledger(s) balance.")
        return
    for found in problems:
        for problem in found.problems:
            click.echo(f"{found.scope} {found.object_id}: {problem}")
    click.echo(f"{len(problems)} ledger(s) out of order.", err=True)
    sys.exit(1)


@payments_cli.command("retry")
@click.option("--limit", default=100, show_default=True, help="Calls to make in this pass.")
def retry(limit: int) -> None:
    """Make the Stripe calls still queued (cron: every minute). Safe to repeat: idempotency keys."""
    if not stripe_channel.enabled():
        click.echo("Stripe is off (no keys): nothing to do.")
        return
    report = stripe_queue.run_pending(now=now(), limit=limit)
    click.echo(
        f"done {len(report.done)}, failed {len(report.failed)}, "
        f"left for later {len(report.retry_later)}"
    )
    for key in report.failed:
        click.echo(f"failed: {key}", err=True)


@payments_cli.command("reconcile")
def reconcile() -> None:
    """Compare our payments and payouts with Stripe's objects; exit 1 when they differ."""
    if not stripe_channel.enabled():
        click.echo("Stripe is off (no keys): nothing to reconcile.")
        return
    found = reconciliation.differences()
    if not found:
        click.echo("Our records agree with Stripe.")
        return
    for difference in found:
        click.echo(f"{difference.object}: ours {difference.ours} | Stripe {difference.stripes}")
    click.echo(f"{len(found)} difference(s).", err=True)
    sys.exit(1)


@payments_cli.command("accrue-missing")
def accrue_missing() -> None:
    """Post the accrual of deals made before the ledger existed (idempotent)."""
    moment = now()
    count = 0
    with unit_of_work():
        for deal in db.session.scalars(select(Deal).order_by(Deal.id)):
            if ledger.find(f"deal-{deal.id}-accrual") is None:
                accruals.accrue(deal, now=moment)
                if deal.status.value == "cancelled":
                    accruals.reverse(deal, now=moment)
                count += 1
    click.echo(f"Posted the accrual of {count} deal(s).")
