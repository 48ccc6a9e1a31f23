"""Listing commands (the shell adds `close-sales` from trading, for cron)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from core.clock import now
from core.domain import DomainError
from core.storage import area_folder
from core.uow import unit_of_work
from listings import image_metadata, portfolio
from listings.need_rules import market_today
from listings.portfolio_rules import MAX_FILE_BYTES, RowError

listings_cli = AppGroup("listings", help="Listing commands (close-sales for cron).")


@listings_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--org", "org_id", type=int, required=True, help="The organisation's id.")
@click.option("--as", "email", help="The member to act as (default: its first administrator).")
def import_portfolio(path: Path, org_id: int, email: str | None) -> None:
    """Import a patent portfolio (CSV or XLSX) as draft listings of organisation ORG."""
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    moment = now()
    try:
        with unit_of_work(writer=True):
            actor = portfolio.importer_of(org_id, email)
            item = portfolio.start_import(
                actor, path.name, data, now=moment, today=market_today(moment), queue=False
            )
            import_id, total, errors = item.id, item.total, list(item.errors)
    except DomainError as refusal:
        raise click.ClickException(refusal.text()) from None
    for error in errors:
        row_error = RowError(error["row"], error["column"], error["message"], error["params"])
        click.echo(f"row {row_error.row} [{row_error.column or '-'}]: {row_error.text()}", err=True)
    with click.progressbar(length=total, label="Importing") as bar:
        done = total == 0
        while not done:
            with unit_of_work(writer=True):
                done = portfolio.import_batch(import_id, now=now())
                bar.update(min(portfolio.BATCH_SIZE, total - bar.pos))
    with unit_of_work():
        state = portfolio.progress(portfolio.import_by_id(import_id))
    click.echo(
        f"import {import_id}: {state.created} created, {state.updated} updated, "
        f"{state.skipped} skipped, {state.errors} errors"
    )


@listings_cli.command("strip-picture-metadata")
def strip_picture_metadata() -> None:
    """Rewrite the pictures stored with their metadata (EXIF, GPS, XMP) without it; once
    each, audited; a picture already clean is left alone, so it may be run again."""
    folder = area_folder("images")
    with unit_of_work():
        ids = image_metadata.picture_ids()
    cleaned, failed = 0, []
    with click.progressbar(ids, label="Pictures") as bar:
        for image_id in bar:
            try:
                with unit_of_work(writer=True):  # one picture per transaction: short locks
                    cleaned += image_metadata.strip_metadata(image_id, folder=folder, now=now())
            except Exception:  # one unreadable file must not stop the others
                current_app.logger.exception("picture %s: metadata not stripped", image_id)
                failed.append(image_id)
    click.echo(
        f"{len(ids)} pictures: {cleaned} rewritten without metadata, "
        f"{len(ids) - cleaned - len(failed)} clean already, {len(failed)} failed"
        + (f" ({', '.join(map(str, failed))})" if failed else "")
    )
    if failed:
        raise SystemExit(1)
