"""Observability: /metrics (its series, its guard), request ids in responses, logs and jobs."""

from __future__ import annotations

import contextvars
import json
import logging
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

from auctions import bidding
from core import jobs, outbox
from core.domain import DomainError
from core.log_context import JsonFormatter
from core.uow import unit_of_work
from tests.integration.auctions.conftest import START, make_market

OUTSIDER = {"REMOTE_ADDR": "203.0.113.9"}
ECHO_JOB = "tests.echo_request_id"


def scrape(client: FlaskClient, **kwargs: object) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.status_code
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def test_metrics_count_requests_bids_and_backlogs(
    client: FlaskClient, db_session, clock, upload_folder: Path
) -> None:
    market = make_market(clock(), upload_folder)
    bidder = market.bidder()
    client.get("/")
    before = scrape(client)
    with unit_of_work():
        bidding.place_bid(bidder, market.auction.id, START, now=clock())
    with pytest.raises(DomainError), unit_of_work():
        bidding.place_bid(bidder, market.auction.id, START, now=clock())  # not above itself
    with unit_of_work():
        outbox.emit("tests.pending", 1, now=clock())  # pending: nothing consumes this topic
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert delta("market_bids_total", outcome="accepted") == 1
    assert delta("market_bids_total", outcome="refused") == 1
    assert delta("market_outbox_backlog") == 1
    assert ("market_notification_backlog", ()) in after and ("market_webhook_backlog", ()) in after
    home = ("market_request_seconds_count", (("endpoint", "main.home"), ("method", "GET")))
    assert after[home] >= 1


def test_metrics_refuse_outsiders_unless_they_bear_the_token(
    app: Flask, client: FlaskClient
) -> None:
    assert client.get("/metrics", environ_base=OUTSIDER).status_code == 403
    app.config["METRICS_BEARER_TOKEN"] = "s3cret-scrape"
    try:
        wrong = {"Authorization": "Bearer guess"}
        assert client.get("/metrics", environ_base=OUTSIDER, headers=wrong).status_code == 403
        right = {"Authorization": "Bearer s3cret-scrape"}
        assert "market_jobs" in client.get(
            "/metrics", environ_base=OUTSIDER, headers=right
        ).get_data(as_text=True)
    finally:
        app.config["METRICS_BEARER_TOKEN"] = None
    app.config["METRICS_ALLOWED_NETWORKS"] = "203.0.113.0/24"
    try:
        assert client.get("/metrics", environ_base=OUTSIDER).status_code == 200
        assert client.get("/metrics").status_code == 403  # localhost is no longer listed
    finally:
        app.config["METRICS_ALLOWED_NETWORKS"] = "127.0.0.0/8,::1/128"


def test_the_request_id_is_echoed_or_made(client: FlaskClient) -> None:
    given = client.get("/", headers={"X-Request-ID": "lb-7f3a.42"})
    assert given.headers["X-Request-ID"] == "lb-7f3a.42"
    made = client.get("/").headers["X-Request-ID"]
    insane = client.get("/", headers={"X-Request-ID": "x" * 300}).headers["X-Request-ID"]
    assert len(made) == 32 and len(insane) == 32 and made != insane


def test_a_job_queued_by_a_request_logs_under_its_id(
    app: Flask, db_session, queued_jobs, caplog: pytest.LogCaptureFixture
) -> None:
    log = logging.getLogger("tests.observability")
    log.disabled = False  # the migrations' logging.fileConfig disables the loggers it finds
    runner = jobs.runner()
    if ECHO_JOB not in runner.tasks:
        runner._register(jobs.JobSpec(ECHO_JOB, lambda: log.warning("the job ran")))
    caplog.set_level(logging.INFO)
    with app.test_request_context("/", headers={"X-Request-ID": "req-job-1"}):
        app.preprocess_request()
        log.warning("the request queues a job")
        runner.enqueue(ECHO_JOB)
    task = queued_jobs.dequeue()
    contextvars.Context().run(queued_jobs.execute, task)  # as a worker: no request around it
    [asked] = [r for r in caplog.records if r.getMessage() == "the request queues a job"]
    [ran] = [r for r in caplog.records if r.getMessage() == "the job ran"]
    assert asked.request_id == "req-job-1" and ran.request_id == "req-job-1"
    line = json.loads(JsonFormatter().format(ran))
    assert line["request_id"] == "req-job-1" and line["message"] == "the job ran"
    assert line["level"] == "WARNING" and line["logger"] == "tests.observability"
