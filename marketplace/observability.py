"""Observability: request ids, JSON logs, request latency, and Prometheus metrics at /metrics.

- Every request has an id: X-Request-ID when the client (or the load balancer) sent a
  sane one, else a new one; it is echoed in the response's X-Request-ID, carried by
  every log record (`core.log_context`) and by the jobs the request queues.
- LOG_FORMAT=json writes one JSON object per log line.
- /metrics (Prometheus text): request latency by route, bids, jobs (`core.metrics`) and
  the backlogs of the outbox, the notification emails and the webhook deliveries,
  counted at scrape time with one indexed query each. Only METRICS_ALLOWED_NETWORKS
  (default: this machine) or a request bearing METRICS_BEARER_TOKEN may read it.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import re
import time
import uuid
from collections.abc import Iterator

from flask import Blueprint, Flask, abort, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from core import log_context, metrics
from core.extensions import csrf, db
from core.outbox import OutboxEvent
from notifications.models import Notification
from notifications.rules import EmailState
from webhooks.models import DeliveryState, WebhookDelivery

bp = Blueprint("metrics", __name__)
REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def init_app(app: Flask) -> None:
    log_context.configure(app.config.get("LOG_FORMAT", "text"), app.config.get("LOG_LEVEL", "INFO"))
    app.before_request(_begin)
    app.after_request(_finish)
    app.teardown_request(_teardown)
    csrf.exempt(bp)
    app.register_blueprint(bp)


def _begin() -> None:
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
    g.request_id_token = log_context.bind(g.request_id)
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id:
        response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("request_started")
    if started is not None:
        metrics.REQUEST_SECONDS.labels(
            endpoint=request.endpoint or "none", method=request.method
        ).observe(time.perf_counter() - started)
    return response


def _teardown(_error: BaseException | None) -> None:
    token = g.pop("request_id_token", None)
    if token is not None:
        log_context.unbind(token)


class Backlogs(Collector):
    """Work waiting in the database, counted when Prometheus scrapes (one query each)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        counts = (
            (
                "market_outbox_backlog",
                "Outbox events not processed yet.",
                select(func.count()).where(OutboxEvent.processed_at.is_(None)),
            ),
            (
                "market_notification_backlog",
                "Notification emails waiting to be sent now (not digests).",
                select(func.count())
                .select_from(Notification)
                .where(Notification.email_state == EmailState.PENDING),
            ),
            (
                "market_webhook_backlog",
                "Webhook deliveries pending (due or waiting for a retry).",
                select(func.count())
                .select_from(WebhookDelivery)
                .where(WebhookDelivery.state == DeliveryState.PENDING),
            ),
        )
        for name, documentation, query in counts:
            yield GaugeMetricFamily(name, documentation, value=db.session.scalar(query) or 0)


def _allowed() -> bool:
    token = current_app.config.get("METRICS_BEARER_TOKEN")
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    networks = current_app.config.get("METRICS_ALLOWED_NETWORKS", "")
    return any(
        address in ipaddress.ip_network(net.strip(), strict=False)
        for net in networks.split(",")
        if net.strip()
    )


@bp.route("/metrics")
def metrics_page() -> Response:
    """Prometheus' scrape: this process's series (every worker's in multi-process mode)."""
    if not _allowed():
        abort(403)
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    backlogs = CollectorRegistry(auto_describe=False)
    backlogs.register(Backlogs())
    body = generate_latest(registry) + generate_latest(backlogs)
    return Response(
        body, mimetype=CONTENT_TYPE_LATEST.split(";")[0], headers={"Cache-Control": "no-store"}
    )
