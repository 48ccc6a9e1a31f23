"""Idempotency keys: a client that retries a creating POST after a timeout never creates twice.

A POST that creates (`ApiBlueprint.write` with status 201) may carry an
`Idempotency-Key` header. The first request with a key runs and its answer
(status, body, Location/ETag/Content-Type) is kept for the caller for 24 hours; the
same key with the same request is answered from that record with
`Idempotent-Replayed: true`, without running again. The same key with another
request (method, path or body) is a 422. Only successful answers are kept: a
refused request may be retried as it is.

The record is written in the endpoint's own transaction: one unit of work holds
the claim of the key, the use case's effects and the answer, and commits them
together. So there is no "in flight" state a dead node could leave behind: a
node killed before the commit leaves neither the effect nor the key (the retry
runs), one killed after it leaves both (the retry is replayed). A duplicate sent
while the first still runs waits for it: SQLite queues writers, PostgreSQL makes
the second insert of the key wait for the first transaction, then it is replayed
(or runs, if the first failed). An endpoint that commits in two steps (a card
payment: the pending payment, then Stripe's Checkout) runs both in this one
transaction when a key is sent: if the second step fails, the first is not kept
either, and the retry under the key does both again (a payout account Stripe made
is found again by Stripe's idempotency key, for its 24 hours; a Checkout session
whose payment was rolled back is never shown to the payer and expires). A record
without an answer can only be one
written by an earlier version (claimed and committed before the endpoint ran):
it is a 409 until it expires. Records older than 24 hours are ignored, replaced
on reuse and removed by the `core.idempotency_keys.purge` job.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import Response, request
from flask_babel import gettext
from sqlalchemy import Integer, String, Text, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.exceptions import Conflict, UnprocessableEntity

from core.api_actions import current_caller
from core.clock import now
from core.db_types import UTCDateTime
from core.domain import N_
from core.extensions import Model, db
from core.jobs import crontab, job
from core.uow import unit_of_work

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
LIFETIME = timedelta(hours=24)
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_.:\-]{1,128}$")
KEPT_HEADERS = ("Content-Type", "Location", "ETag")

BAD_KEY = N_("Idempotency-Key: 1 to 128 letters, digits or - _ . :")
KEY_REUSED = N_("This Idempotency-Key was used for another request.")
IN_FLIGHT = N_("A request with this Idempotency-Key is still being processed.")

# How an API endpoint's OpenAPI document describes the header.
HEADER_DOC: dict[str, Any] = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "description": (
        "A key of your choosing (1-128 characters: letters, digits, - _ . :). Retrying "
        "with the same key and body within 24 hours returns the first answer "
        f"(with `{REPLAYED}: true`) instead of creating again; the same key with "
        "another body is a 422 (`idempotency_key_reused`). A retry sent while the first "
        "request runs waits for it and gets its answer. The key is kept with the "
        "request's effects, in one transaction: if the server fails before that "
        "commits, neither is kept and the retry runs."
    ),
    "schema": {"type": "string", "pattern": KEY_PATTERN.pattern, "maxLength": 128},
}


class IdempotencyKey(Model):
    """A caller's creating request, by the key it sent, and the answer it got (24 h)."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    key: Mapped[str] = mapped_column(String(128))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: in flight
    body: Mapped[str | None] = mapped_column(Text, nullable=True)
    headers: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


def _error(error: type[Conflict | UnprocessableEntity], message: str, code: str) -> Exception:
    refusal = error(description=gettext(message))
    setattr(refusal, "api_code", code)  # noqa: B010  (read by core.errors)
    return refusal


def _fingerprint() -> str:
    raw = request.method.encode() + b" " + request.full_path.encode() + b"\n"
    return hashlib.sha256(raw + request.get_data(cache=True)).hexdigest()


class _ClaimedMeanwhile(Exception):
    """Another request inserted the key between our read and our insert (and committed)."""


def _claim(user_id: int, key: str, fingerprint: str, moment: datetime) -> IdempotencyKey:
    """The record of the key: a finished one to replay, or this request's claim (no status).

    Runs inside the endpoint's unit of work: the claim commits with the use case.
    """
    found = db.session.scalar(
        select(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    )
    if found is not None and found.created_at <= moment - LIFETIME:
        db.session.delete(found)
        db.session.flush()
        found = None
    if found is None:
        claim = IdempotencyKey(user_id=user_id, key=key, fingerprint=fingerprint, created_at=moment)
        try:
            with db.session.begin_nested():
                db.session.add(claim)
        except IntegrityError:  # PostgreSQL: waited for the other's commit
            raise _ClaimedMeanwhile from None
        return claim
    if found.fingerprint != fingerprint:
        raise _error(UnprocessableEntity, KEY_REUSED, "idempotency_key_reused")
    if found.status is None:  # claimed by an earlier version, never answered
        raise _error(Conflict, IN_FLIGHT, "idempotency_request_in_flight")
    return found


def _replay(record: IdempotencyKey) -> Response:
    headers = json.loads(record.headers or "{}")
    answer = Response(record.body or "", status=record.status or 200, headers=headers)
    answer.headers[REPLAYED] = "true"
    return answer


def _keep(claim: IdempotencyKey, answer: Any) -> None:
    """Put a successful answer on the claim, for replay; drop the claim otherwise."""
    if not isinstance(answer, Response) or not 200 <= answer.status_code < 300:
        db.session.delete(claim)
        return
    claim.status = answer.status_code
    claim.body = answer.get_data(as_text=True)
    kept = {name: answer.headers[name] for name in KEPT_HEADERS if name in answer.headers}
    claim.headers = json.dumps(kept)
    db.session.flush()


def _run_once(view: Callable[..., Any], args: Any, kwargs: Any, user_id: int, key: str) -> Any:
    """One unit of work: claim the key, run the endpoint, keep its answer; or replay."""
    with unit_of_work(writer=True):
        record = _claim(user_id, key, _fingerprint(), now())
        if record.status is not None:
            return _replay(record)
        answer = view(*args, **kwargs)  # its own unit of work joins this one
        _keep(record, answer)
        return answer


def idempotent(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a creating endpoint (its answer already a Response) with `Idempotency-Key`."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(HEADER)
        caller = current_caller() if key is not None else None
        if key is None or caller is None:
            return view(*args, **kwargs)
        if not KEY_PATTERN.match(key):
            refusal = _error(UnprocessableEntity, BAD_KEY, "invalid_idempotency_key")
            refusal.data = {"messages": {HEADER: [refusal.description]}}  # type: ignore[attr-defined]
            raise refusal
        try:
            return _run_once(view, args, kwargs, caller.id, key)
        except _ClaimedMeanwhile:  # the first committed while we waited: answer as it did
            try:
                return _run_once(view, args, kwargs, caller.id, key)
            except _ClaimedMeanwhile:
                raise _error(Conflict, IN_FLIGHT, "idempotency_request_in_flight") from None

    return wrapper


def purge(moment: datetime) -> int:
    """Remove the records older than 24 hours at `moment`; how many went."""
    result = db.session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.created_at <= moment - LIFETIME)
    )
    return int(getattr(result, "rowcount", 0) or 0)


@job("core.idempotency_keys.purge", every=crontab(minute="17"))
def purge_expired_keys() -> None:
    """The job: forget idempotency records older than 24 hours."""
    with unit_of_work():
        purge(now())
