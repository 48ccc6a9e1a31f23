"""Conditional requests: an ETag on every read, 304 on If-None-Match, 412 on a stale If-Match.

The ETag is a strong hash of the JSON answer, so it changes whenever anything the
caller sees changes (its `allowed_actions` too). A write to a resource URL (an
update, a delete, an action such as `/negotiations/7/accept`) that sends
`If-Match` is checked against the ETag of the resource as it is now: the write's
URL, or the nearest URL above it, read by its own GET endpoint within this request.
No write names its resource by hand, so a new endpoint is covered without code.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Response, current_app, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException, PreconditionFailed
from werkzeug.http import unquote_etag

from core.domain import N_

STALE = N_("The resource has changed since you read it: read it again, then retry.")
_READS = "market.conditional_reads"  # app.extensions: the endpoints that answer with ETags
_API_PREFIX_SEGMENTS = 3  # /api/v1/<collection>: never a single resource

IF_NONE_MATCH_DOC: dict[str, Any] = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The ETag you hold: a 304 without a body when it is still current.",
    "schema": {"type": "string"},
}
IF_MATCH_DOC: dict[str, Any] = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "description": (
        "The ETag of the resource as you read it (GET): the write is refused with a 412 "
        "(`precondition_failed`) if the resource has changed since."
    ),
    "schema": {"type": "string"},
}
ETAG_HEADER_DOC: dict[str, Any] = {
    "ETag": {
        "description": "A strong validator of this answer (send it as If-None-Match or If-Match).",
        "schema": {"type": "string"},
    }
}


STATE_ETAG = _STATE_ETAG = "market.state_etag"  # request.environ: the ETag a read computed itself
_TAG_READ = "market.state_tag_read"  # request.environ: `tagged_first` computed the tag


def state_read_now() -> str | None:
    """The ETag `tagged_first` computed in this request from the state as it is now, if it
    did (the caller sent If-None-Match) and the state had one."""
    if not request.environ.get(_TAG_READ):
        return None
    tag: str | None = request.environ.get(_STATE_ETAG)
    return tag


def unchanged_since(tag: str) -> Response | None:
    """A read that computes its ETag cheaply, before its answer: an empty answer when the
    caller holds `tag` (If-None-Match), which `tagged` turns into the 304; else None.
    Either way `tag` becomes the answer's ETag."""
    request.environ[_STATE_ETAG] = tag
    if request.method in ("GET", "HEAD") and request.if_none_match.contains(tag):
        return Response()  # flask-smorest sets a returned Response's status to the read's 200
    return None


def tagged_first(
    tag_of: Callable[..., str | None],
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap a read whose ETag `tag_of(**view_args)` computes cheaply (None: the answer's
    hash decides), outside its kept answers: a caller that holds it (If-None-Match) gets
    the 304 from it alone, before any cache or the view. Pair with `tagged_answer` inside
    the cache, which tags an answer made afresh."""

    def wrap(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if request.if_none_match:
                tag = tag_of(**kwargs)
                request.environ[_TAG_READ] = True
                if tag is not None and (unchanged := unchanged_since(tag)) is not None:
                    return unchanged
            return view(*args, **kwargs)

        return wrapper

    return wrap


def tagged_answer(
    tag_of: Callable[..., str | None],
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Wrap the view of a read `tagged_first` wraps, inside its kept answers: the answer's
    ETag is `tag_of(**view_args)`, read here unless `tagged_first` read it already."""

    def wrap(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not request.environ.get(_TAG_READ):
                tag = tag_of(**kwargs)
                if tag is not None:
                    request.environ[_STATE_ETAG] = tag
            return view(*args, **kwargs)

        return wrapper

    return wrap


def tagged(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a read (its answer already a Response): ETag, and 304 when If-None-Match holds.

    The ETag is a hash of the answer, or the one the read computed (`unchanged_since`).
    """

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        answer = view(*args, **kwargs)
        if isinstance(answer, Response) and answer.status_code == 200:
            if _STATE_ETAG in request.environ:
                answer.set_etag(request.environ.pop(_STATE_ETAG))
            answer.add_etag()
            answer.vary.update(("Authorization", "Cookie", "Accept-Language"))
            if request.method in ("GET", "HEAD"):
                answer.make_conditional(request)
        return answer

    wrapper._conditional_read = True  # type: ignore[attr-defined]
    return wrapper


def _resource_etag() -> str | None:
    """The current ETag of the resource this request writes to, if a read answers for it."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    path = request.path.rstrip("/")
    while path.count("/") > _API_PREFIX_SEGMENTS:
        try:
            endpoint, view_args = adapter.match(path, method="GET")
        except HTTPException:
            endpoint = None
        view = current_app.view_functions.get(endpoint or "")
        if view is not None and getattr(view, "_conditional_read", False):
            answer = view(**view_args)
            etag = answer.headers.get("ETag") if isinstance(answer, Response) else None
            return unquote_etag(etag)[0] if etag else None
        path = path.rsplit("/", 1)[0]
    return None


def checked(view: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a write to a resource URL: 412 when its If-Match names no current ETag."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if "If-Match" in request.headers and not request.if_match.star_tag:
            current = _resource_etag()
            if current is not None and not request.if_match.contains(current):
                refusal = PreconditionFailed(description=gettext(STALE))
                refusal.api_code = "precondition_failed"  # type: ignore[attr-defined]
                raise refusal
        return view(*args, **kwargs)

    return wrapper
