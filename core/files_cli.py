"""`flask files migrate`: copy the documents under UPLOAD_FOLDER into the S3 bucket."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from core.storage import LocalStore, build_store
from core.storage.migrate import migrate

files_cli = AppGroup("files", help="Uploaded documents.")


@files_cli.command("migrate")
def migrate_command() -> None:
    """Copy UPLOAD_FOLDER into the S3 bucket (S3_BUCKET, S3_PREFIX); safe to run again.

    Objects already there with the same SHA-256 are skipped; every copy is read back and
    its checksum compared. Exit 1 if any document failed.
    """
    config = current_app.config
    if not config.get("S3_BUCKET"):
        raise click.UsageError("Set S3_BUCKET (and S3_ENDPOINT_URL, S3_REGION as needed) first.")
    source = LocalStore(Path(config["UPLOAD_FOLDER"]))
    target = build_store({**config, "STORAGE_BACKEND": "s3"})
    keys = sorted(source.keys())
    click.echo(
        f"{len(keys)} documents in {source.root} -> s3://{config['S3_BUCKET']}/{config.get('S3_PREFIX', '')}"
    )
    with click.progressbar(length=len(keys), label="Copying") as bar:
        summary = migrate(source, target, keys, lambda key, outcome: bar.update(1))
    click.echo(
        f"copied {summary.copied}, already there {summary.skipped}, "
        f"verified {summary.verified} of {len(keys)}, failed {len(summary.failed)}"
    )
    for key in summary.failed[:20]:
        click.echo(f"FAILED {key}", err=True)
    if summary.failed:
        raise SystemExit(1)
