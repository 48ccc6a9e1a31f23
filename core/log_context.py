"""The log context: the request id every log record carries, and the JSON log format.

A request takes its id from X-Request-ID (or makes one) and binds it here
(`marketplace/observability.py`); a job queued during the request carries it
(`core.jobs`) and binds it while it runs, so a bid's request and the jobs it caused
share one id in the logs. `install()` makes every record carry `request_id`;
`JsonFormatter` writes one JSON object per line (LOG_FORMAT=json).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

_REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
_installed: list[Callable[..., logging.LogRecord]] = []


def request_id() -> str | None:
    """The id of the request (or of the request that queued the job) being served."""
    return _REQUEST_ID.get()


@contextmanager
def bound(*, request_id: str | None) -> Iterator[None]:
    """Log under `request_id` while the block runs (nothing changes for None)."""
    if request_id is None:
        yield
        return
    token = _REQUEST_ID.set(request_id)
    try:
        yield
    finally:
        _REQUEST_ID.reset(token)


def bind(value: str | None) -> object:
    """Bind for the rest of a request; `unbind(token)` at its teardown."""
    return _REQUEST_ID.set(value)


def unbind(token: object) -> None:
    try:
        _REQUEST_ID.reset(token)  # type: ignore[arg-type]
    except ValueError:  # made in another context (a streamed response's generator)
        _REQUEST_ID.set(None)


def install() -> None:
    """Every log record gets `request_id` (None outside a request or job); once per process."""
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.request_id = _REQUEST_ID.get()
        return record

    _installed.append(previous)
    logging.setLogRecordFactory(factory)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(log_format: str, level: str) -> None:
    """LOG_FORMAT=json: the root logger writes JSON lines to standard error."""
    install()
    if log_format != "json":
        return
    root = logging.getLogger()
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root.handlers = [handler]
    root.setLevel(level)
