"""The market's Prometheus series, defined once (prometheus_client), counted by the domains.

The shell serves them at /metrics (`marketplace/observability.py`) with the backlogs,
which are computed at scrape time. Under gunicorn with several workers, set
PROMETHEUS_MULTIPROC_DIR to an empty folder before the workers start: each process then
writes its counts there and a scrape of any worker adds them all up.
"""

from __future__ import annotations

from prometheus_client import Counter, Histogram

REQUEST_SECONDS = Histogram(
    "market_request_seconds",
    "Time to answer a request, by route (endpoint) and method.",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
BIDS = Counter(
    "market_bids",
    "Bids submitted: accepted (committed) or refused by the rules.",
    ["outcome"],
)
JOBS = Counter(
    "market_jobs",
    "Jobs run by the job runner, by name and outcome (ok, failed).",
    ["job", "outcome"],
)
