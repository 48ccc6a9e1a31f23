"""`flask search ...`: rebuild the indices, apply pending index events, show their state."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from search.backend import SearchBackend, SearchUnavailable
from search.indexer import (
    drain_all,
    is_versioned,
    last_failure,
    published_count,
    reindex,
)
from search.need_indexer import (
    drain_all_needs,
    has_pending_needs,
    open_need_count,
    reindex_needs,
)

search_cli = AppGroup("search", help="Search index maintenance.")


@search_cli.command("reindex")
@click.option("--batch-size", default=500, show_default=True, help="Listings per bulk request.")
@click.option(
    "--if-empty", is_flag=True, help="Only when the primary index holds no document (make run)."
)
def reindex_command(batch_size: int, if_empty: bool) -> None:
    """Rebuild the search index from the database (published listings only).

    Elasticsearch: a new versioned index is filled, then the alias moves to it
    atomically and the old index is removed, so search never goes dark. The
    embedded fallback (when Elasticsearch is the primary) is rebuilt as well.
    """
    from search import get_backend, get_fallback

    primary, fallback = get_backend(), get_fallback()
    if if_empty:
        try:
            count = primary.count()
        except Exception as exc:
            raise click.ClickException(f"{primary.name} cannot be reached: {exc}") from exc
        if count:
            click.echo(f"The {primary.name} index holds {count} listings; not rebuilding it.")
            if not primary.needs.count() and open_need_count():
                _rebuild_needs(primary, fallback, batch_size)  # e.g. an index from before needs
            return
    expected = published_count()
    if fallback is not None and fallback is not primary:
        # First the local fallback (it does not mark events processed: the primary decides).
        _rebuild(fallback, expected, batch_size, "Embedded fallback", mark_processed=False)
    label = "Elasticsearch (new index)" if is_versioned(primary) else primary.name.capitalize()
    _rebuild(primary, expected, batch_size, label, mark_processed=True)
    _rebuild_needs(primary, fallback, batch_size)


def _rebuild_needs(primary: SearchBackend, fallback: SearchBackend | None, batch_size: int) -> None:
    """Rebuild the technology needs of each index (after the listings)."""
    backends = [fallback] if fallback is not None and fallback is not primary else []
    for backend in [*backends, primary]:
        start = time.perf_counter()
        try:
            total = reindex_needs(backend, batch_size=batch_size, mark_processed=backend is primary)
        except SearchUnavailable as exc:
            raise click.ClickException(
                f"{backend.name} cannot be reached, its needs index is unchanged: {exc}"
            ) from exc
        elapsed = time.perf_counter() - start
        click.echo(f"{backend.name}: indexed {total} technology needs in {elapsed:.1f} s.")


def _rebuild(
    backend: SearchBackend, expected: int, batch_size: int, label: str, *, mark_processed: bool
) -> None:
    start = time.perf_counter()
    try:
        with click.progressbar(length=expected, label=f"{label:<26}", show_pos=True) as bar:
            total = reindex(
                backend, batch_size=batch_size, progress=bar.update, mark_processed=mark_processed
            )
    except SearchUnavailable as exc:
        raise click.ClickException(
            f"{backend.name} cannot be reached, the index in use is unchanged: {exc}"
        ) from exc
    elapsed = time.perf_counter() - start
    rate = total / elapsed if elapsed else 0.0
    click.echo(
        f"{backend.name}: indexed {total} listings in {elapsed:.1f} s ({rate:.0f} listings/s)."
    )


@search_cli.command("drain")
@click.option("--limit", default=500, show_default=True, help="Events per batch.")
def drain_command(limit: int) -> None:
    """Apply pending search index events, batch after batch, until none is left.

    Stops early when the primary cannot be reached (the events stay pending).
    """
    from search import get_backend

    report = drain_all(limit=limit)
    click.echo(
        f"Processed {report.events} events: {report.indexed} indexed, {report.deleted} removed, "
        f"{report.failed} failed, {report.deferred} waiting."
    )
    needs = drain_all_needs(limit=limit)
    click.echo(
        f"Technology needs: {needs.events} events, {needs.indexed} indexed, "
        f"{needs.deleted} removed, {needs.failed} failed, {needs.deferred} waiting."
    )
    if report.failed or report.deferred or needs.failed or needs.deferred:
        error = last_failure(get_backend())
        if error:
            click.echo(f"The search backend is failing: {error}", err=True)
        raise SystemExit(1)


@search_cli.command("status")
def status_command() -> None:
    """The backends, whether they answer, how many listings they hold, pending events."""
    from search import all_backends
    from search.indexer import has_pending

    for backend in all_backends():
        healthy = backend.healthy()
        count = "?"
        if healthy:
            try:
                count = str(backend.count())
            except Exception as exc:
                count = f"? ({exc})"
        needs = "?"
        if healthy:
            try:
                needs = str(backend.needs.count())
            except Exception as exc:
                needs = f"? ({exc})"
        click.echo(
            f"{backend.name}: {'up' if healthy else 'DOWN'}, {count} listings, {needs} needs"
        )
    click.echo(f"published listings: {published_count()}")
    click.echo(f"open technology needs: {open_need_count()}")
    pending_events = has_pending() or has_pending_needs()
    click.echo(f"pending index events: {'yes' if pending_events else 'none'}")
