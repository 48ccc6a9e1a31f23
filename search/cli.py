"""`flask search ...`: rebuild the index, apply pending index events."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from search.indexer import drain, published_count, reindex

search_cli = AppGroup("search", help="Search index maintenance.")


@search_cli.command("reindex")
@click.option("--batch-size", default=500, show_default=True, help="Listings per batch.")
def reindex_command(batch_size: int) -> None:
    """Rebuild the search index from the database (published listings only)."""
    start = time.perf_counter()
    with click.progressbar(length=published_count(), label="Indexing listings") as bar:
        total = reindex(batch_size=batch_size, progress=bar.update)
    elapsed = time.perf_counter() - start
    rate = total / elapsed if elapsed else 0.0
    click.echo(f"Indexed {total} listings in {elapsed:.1f} s ({rate:.0f} listings/s).")


@search_cli.command("drain")
@click.option("--limit", default=500, show_default=True, help="Events per batch.")
def drain_command(limit: int) -> None:
    """Apply pending search index events until none is left (or only failing ones)."""
    events = indexed = deleted = failed = 0
    while True:
        report = drain(limit=limit)
        events += report.events
        indexed += report.indexed
        deleted += report.deleted
        failed += report.failed
        if report.events < limit or report.failed:
            break
    click.echo(f"Processed {events} events: {indexed} indexed, {deleted} removed, {failed} failed.")
    if failed:
        raise SystemExit(1)
