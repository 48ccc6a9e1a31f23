"""`flask jobs ...`: run the worker, run a job now, show the queue."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from core.jobs import runner

jobs_cli = AppGroup("jobs", help="The job runner: worker, run, status.")


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32))
def worker(workers: int) -> None:
    """Run queued jobs and the periodic sweeps until stopped (Ctrl-C finishes running jobs)."""
    jobs = runner()
    click.echo(f"jobs: {workers} worker(s) on {type(jobs.huey.storage).__name__}")
    jobs.consumer(workers=workers).run()


@jobs_cli.command("run")
@click.argument("name")
def run_now(name: str) -> None:
    """Run job NAME now, in this process (e.g. `flask jobs run search.drain`)."""
    jobs = runner()
    if name not in jobs.tasks:
        raise click.BadParameter(f"no job {name!r}; known: {', '.join(sorted(jobs.tasks))}")
    jobs.tasks[name].call_local()
    click.echo(f"{name}: done")


@jobs_cli.command("status")
def status() -> None:
    """The jobs the runner knows and how many wait in the queue."""
    jobs = runner()
    click.echo(f"queue: {type(jobs.huey.storage).__name__}, {jobs.pending_count()} pending")
    for name in sorted(jobs.tasks):
        click.echo(f"  {name}")
