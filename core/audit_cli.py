"""`flask audit verify`: check the ownership decisions' hash chain."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from core.audit import verify_ownership_chain

audit_cli = AppGroup("audit", help="Audit trail commands.")


@audit_cli.command("verify")
def verify_command() -> None:
    """Verify the tamper-evident chain of ownership decisions; exit 1 on a break."""
    checked, broken = verify_ownership_chain()
    if broken:
        click.echo(f"BROKEN at entry {broken.seq}: {broken.problem} ({checked} entries)", err=True)
        raise SystemExit(1)
    click.echo(f"OK: {checked} ownership decisions, chain intact")
