"""`flask search ...`: rebuild the indices, apply pending index events, show their state."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from core.uow import unit_of_work
from search.backend import SearchBackend, SearchUnavailable
from search.circuit import last_failure
from search.document_registry import KINDS
from search.documents import DocumentKind
from search.indexer import drain_all, has_pending, searchable_count
from search.rebuild import is_versioned, reindex

search_cli = AppGroup("search", help="Search index maintenance.")


@search_cli.command("reindex")
@click.option("--batch-size", default=500, show_default=True, help="Documents per bulk request.")
@click.option(
    "--if-empty", is_flag=True, help="Only when the primary index holds no document (make run)."
)
def reindex_command(batch_size: int, if_empty: bool) -> None:
    """Rebuild the search indices from the database (published listings, open needs, ...).

    Elasticsearch: a new versioned index is filled, then the alias moves to it
    atomically and the old index is removed, so search never goes dark. The
    embedded fallback (when Elasticsearch is the primary) is rebuilt as well.
    With --if-empty only the kinds whose primary index is empty are rebuilt,
    and nothing when the first kind (listings) has documents and the rest too.
    """
    from search import get_backend, get_fallback

    primary, fallback = get_backend(), get_fallback()
    kinds = KINDS
    if if_empty:
        main = KINDS[0]
        try:
            count = main.index_of(primary).count()
        except Exception as exc:
            raise click.ClickException(f"{primary.name} cannot be reached: {exc}") from exc
        if count:
            click.echo(f"The {primary.name} index holds {count} {main.label}; not rebuilding it.")
            # e.g. an index from before a later kind of document existed
            kinds = tuple(
                kind
                for kind in KINDS[1:]
                if not kind.index_of(primary).count() and searchable_count(kind)
            )
    for kind in kinds:
        _rebuild_kind(kind, primary, fallback, batch_size)


def _rebuild_kind(
    kind: DocumentKind, primary: SearchBackend, fallback: SearchBackend | None, batch_size: int
) -> None:
    """Rebuild one kind on the fallback (if any), then on the primary."""
    expected = searchable_count(kind)
    if fallback is not None and fallback is not primary:
        # First the local fallback (it does not mark events processed: the primary decides).
        _rebuild(kind, fallback, expected, batch_size, "Embedded fallback", mark_processed=False)
    versioned = is_versioned(kind.index_of(primary))
    label = "Elasticsearch (new index)" if versioned else primary.name.capitalize()
    _rebuild(kind, primary, expected, batch_size, label, mark_processed=True)


def _rebuild(
    kind: DocumentKind,
    backend: SearchBackend,
    expected: int,
    batch_size: int,
    label: str,
    *,
    mark_processed: bool,
) -> None:
    start = time.perf_counter()
    try:
        with click.progressbar(length=expected, label=f"{label:<26}", show_pos=True) as bar:
            with unit_of_work():
                total = reindex(
                    backend,
                    batch_size=batch_size,
                    progress=bar.update,
                    mark_processed=mark_processed,
                    kind=kind,
                )
    except SearchUnavailable as exc:
        raise click.ClickException(
            f"{backend.name} cannot be reached, its {kind.label} index is unchanged: {exc}"
        ) from exc
    elapsed = time.perf_counter() - start
    rate = total / elapsed if elapsed else 0.0
    click.echo(
        f"{backend.name}: indexed {total} {kind.label} in {elapsed:.1f} s "
        f"({rate:.0f} {kind.label}/s)."
    )


@search_cli.command("drain")
@click.option("--limit", default=500, show_default=True, help="Events per batch.")
def drain_command(limit: int) -> None:
    """Apply pending search index events, batch after batch, until none is left.

    Stops early when the primary cannot be reached (the events stay pending).
    """
    from search import get_backend

    stuck = False
    for kind in KINDS:
        report = drain_all(limit=limit, kind=kind)
        click.echo(
            f"{kind.label.capitalize()}: processed {report.events} events: "
            f"{report.indexed} indexed, {report.deleted} removed, "
            f"{report.failed} failed, {report.deferred} waiting."
        )
        stuck = stuck or bool(report.failed or report.deferred)
    if stuck:
        error = last_failure(get_backend())
        if error:
            click.echo(f"The search backend is failing: {error}", err=True)
        raise SystemExit(1)


@search_cli.command("status")
def status_command() -> None:
    """The backends, whether they answer, how many documents they hold, pending events."""
    from search import all_backends

    for backend in all_backends():
        healthy = backend.healthy()
        counts = []
        for kind in KINDS:
            count = "?"
            if healthy:
                try:
                    count = str(kind.index_of(backend).count())
                except Exception as exc:
                    count = f"? ({exc})"
            counts.append(f"{count} {kind.name}")
        click.echo(f"{backend.name}: {'up' if healthy else 'DOWN'}, {', '.join(counts)}")
    for kind in KINDS:
        click.echo(f"{kind.searchable_label}: {searchable_count(kind)}")
    pending_events = any(has_pending(kind) for kind in KINDS)
    click.echo(f"pending index events: {'yes' if pending_events else 'none'}")
