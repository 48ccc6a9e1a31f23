"""A hot path's job queued soon: one queued run a second, not one queue write per commit."""

from __future__ import annotations

import pytest
from flask import Flask

from auctions.telling import TELL_BIDS_JOB
from core import jobs
from core.huey_loader import MemoryHuey
from core.jobs import COALESCE_MARGIN_SECONDS, JobRunner


def test_commits_within_a_second_share_one_run_and_a_later_one_queues_the_next(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = JobRunner(app, MemoryHuey("soon", immediate=False, results=False, utc=True))
    clock = [1000.0]
    monkeypatch.setattr(jobs.time, "time", lambda: clock[0])
    for _ in range(3):  # three bids' commits within the second
        runner.enqueue_soon(TELL_BIDS_JOB, 1.0)
        clock[0] += 0.2
    assert runner.huey.pending_count() == 1  # due at 1001.0, after all three commits
    clock[0] = 1001.0 - COALESCE_MARGIN_SECONDS / 2  # that run may be starting: not relied on
    runner.enqueue_soon(TELL_BIDS_JOB, 1.0)
    assert runner.huey.pending_count() == 2
