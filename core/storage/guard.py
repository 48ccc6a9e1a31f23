"""The bucket behind the "storage" breaker and a time budget (issue 21): a frozen or dead S3
server costs a request at most STORAGE_BUDGET_MS, then a clear 503, never a hang.

In a request the store uses a client whose every wait (connecting, an answer, sending
into a stalled connection) is bounded by the budget, with one attempt; jobs and
commands use the patient client (seconds of timeouts, retries). Each call counts
towards the breaker: a timeout, a cut connection or a 5xx is a failure; an answer (a
missing key, a refusal) is a success. While the breaker is open, calls fail at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import IO, TYPE_CHECKING, Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError
from flask import has_app_context, has_request_context

from core.breaker import Breaker, breaker, policy_of
from core.storage.backends import DocumentsUnavailable, ObjectInfo, unavailable

if TYPE_CHECKING:
    from core.storage.s3 import S3Store

log = logging.getLogger(__name__)
BREAKER = "storage"
T = TypeVar("T")


def is_outage(error: BaseException) -> bool:
    """Whether `error` means the server is not there (rather than that it answered)."""
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return int(status) >= 500
    return isinstance(error, (BotoCoreError, ConnectionError, TimeoutError))


class GuardedStore:
    """A bucket's store behind the breaker: `quick` in requests, `patient` elsewhere."""

    def __init__(self, quick: S3Store, patient: S3Store, config: Mapping[str, Any]) -> None:
        self.quick = quick
        self.patient = patient
        # for threads outside the app (the migration command's workers)
        self._own_gate = Breaker(BREAKER, policy_of(config, BREAKER))

    @property
    def inner(self) -> S3Store:
        return self.quick if has_request_context() else self.patient

    def _call(self, operation: Callable[[S3Store], T]) -> T:
        gate = breaker(BREAKER) if has_app_context() else self._own_gate
        if not gate.allow():
            raise unavailable()
        try:
            result = operation(self.inner)
        except FileNotFoundError:
            gate.success()
            raise
        except Exception as error:
            if not is_outage(error):
                gate.success()  # it answered, with a refusal
                raise
            gate.failure()
            log.warning("storage: the bucket did not answer (%s)", error)
            raise unavailable() from error
        gate.success()
        return result

    def put(self, key: str, body: IO[bytes], *, content_type: str, sha256: str) -> None:
        self._call(lambda store: store.put(key, body, content_type=content_type, sha256=sha256))

    def open(self, key: str) -> IO[bytes]:
        return self._call(lambda store: store.open(key))

    def info(self, key: str) -> ObjectInfo | None:
        return self._call(lambda store: store.info(key))

    def delete(self, key: str) -> None:
        self._call(lambda store: store.delete(key))

    def keys(self) -> Iterator[str]:
        return self.patient.keys()  # the migration command's listing, never a request's

    def download_url(self, key: str, *, content_type: str, disposition: str) -> str | None:
        # signed locally, no call to the server
        return self.inner.download_url(key, content_type=content_type, disposition=disposition)

    def reachable(self) -> bool:
        """Whether the bucket answers now (health checks; within the budget in a request)."""
        try:
            self._call(lambda store: store.check())
        except DocumentsUnavailable:
            return False
        except ClientError:  # refused (say, no s3:ListBucket): the server is there
            return True
        return True
