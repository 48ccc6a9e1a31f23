"""A few seconds' cache of the public pages as anonymous visitors read them (issue 19).

The front page, search, a listing, an auction room, the needs and the brokers are the
same for every visitor who is not signed in: per worker, the first visitor's page is kept
for `PAGE_CACHE_SECONDS` (config; 0 turns it off, as the tests do) and served again to
the next ones reading the same address in the same language and currency. What differs
per request is made per request: the script nonce and the CSRF token are placeholders
in the kept page, put in as each answer is sent; a visitor with a message to show
(a flash) and every signed-in person get the page made for them.

How stale a page may be: a commit that wrote anything in this worker empties its cache
at once, and a change made by another worker or the job worker is seen on the next
request: every change of state writes an audit entry, and a kept page is served only
while the newest entry's id is the one it was made under (one indexed `max(id)` per
request). What can still be behind, for at most `PAGE_CACHE_SECONDS`, is what changes
with no audit entry: the search index between a commit and its outbox drain, and a
transaction that committed after a later-numbered one. At most `PAGE_CACHE_ENTRIES` pages
are kept (the least recently read go first).

The API's catalogue reads (search, needs, auctions, brokers: `ApiBlueprint.read(...,
kept=True)`) are kept the same way for `API_READ_CACHE_SECONDS` (1 s: an auction room's
live stream looks at the database as often), per caller (the token's user and
organisation), address, language and Accept header; the ETag a read computed is kept
with its answer, and If-None-Match is still answered per request (conditional.tagged
wraps this cache).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Flask, Response, current_app, g, make_response, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.orm import Session

from core import conditional, security_headers
from core.audit_models import AuditEntry
from core.extensions import db

_NONCE_MARK = "\x00csp-nonce\x00"
_CSRF_MARK = "\x00csrf-token\x00"
_DIRTY = "page_cache.wrote"
_KEPT_HEADERS = {"content-type", "content-length"}

_NEWEST_AUDIT_ID = f"SELECT max(id) FROM {AuditEntry.__tablename__}"
Generation = tuple[int, int]  # (this worker's writes, the newest audit entry's id)
_NO_AUDIT_ID = -1  # of a generation checked by the answer's state ETag instead


@dataclass(frozen=True)
class _Page:
    made_at: float
    generation: Generation
    status: int
    content_type: str
    body: str


class _Store:
    """The kept pages of this worker, and the generation a write moves on."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pages: OrderedDict[tuple, Any] = OrderedDict()
        self.generation = 0
        self.builders: dict[tuple, threading.Lock] = {}

    def now(self) -> Generation:
        return self.generation, _newest_audit_id()

    def get(self, key: tuple, ttl: float, generation: Generation, tag: str | None = None) -> Any:
        """The page kept under `key` while current: made in `generation`, or (with `tag`, the
        state ETag of the answer read just now) since this worker's last write with that
        state ETag."""
        with self.lock:
            page = self.pages.get(key)
            if page is None:
                return None
            if tag is None:
                stale = page.generation != generation
            else:
                stale = page.generation[0] != generation[0] or page.state_etag != tag
            if stale or time.monotonic() - page.made_at >= ttl:
                del self.pages[key]
                return None
            self.pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: Any, limit: int) -> None:
        with self.lock:
            if page.generation[0] != self.generation:
                return  # a write committed here while it was made
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > limit:
                self.pages.popitem(last=False)

    def builder(self, key: tuple) -> threading.Lock:
        """The lock of one address being made: the worker's other threads that miss it
        wait for that page rather than all making it again when it expires."""
        with self.lock:
            if len(self.builders) > 1024:
                self.builders.clear()  # at worst a page is made twice
            return self.builders.setdefault(key, threading.Lock())

    def forget_all(self) -> None:
        with self.lock:
            self.generation += 1
            self.pages.clear()


store = _Store()
_caller: Callable[[], Any] = lambda: None  # noqa: E731  (accounts sets it: api_actor)


def set_caller(find_caller: Callable[[], Any]) -> None:
    """How an API read finds its caller (accounts.auth.api_actor: token, else session)."""
    global _caller
    _caller = find_caller


@dataclass(frozen=True)
class _Answer:
    made_at: float
    generation: Generation
    body: bytes
    headers: list[tuple[str, str]]
    state_etag: str | None


def for_callers(view: Callable[..., Any]) -> Callable[..., Any]:
    """Keep an API read's 200 answer per caller for API_READ_CACHE_SECONDS."""

    @wraps(view)
    def cached_read(*args: Any, **kwargs: Any) -> Any:
        ttl = float(current_app.config.get("API_READ_CACHE_SECONDS") or 0)
        if not ttl or request.method != "GET":
            return view(*args, **kwargs)
        return _served(_read_key(), ttl, _replay, lambda generation: _make_read(view, args, kwargs, generation), tag=conditional.state_read_now())  # fmt: skip

    return cached_read


def _served(key: tuple, ttl: float, replay: Callable[[Any], Response], make: Callable[[Generation], tuple[Any, Any]], tag: str | None = None) -> Any:  # fmt: skip
    """The kept answer under `key` while it is current, else one made (by one thread of
    this worker at a time: the others wait for it rather than all making it again).

    `tag`: the answer's state ETag, read just now (`conditional.state_read_now`): a kept
    answer of that state is current, and none is checked against the newest audit entry
    (one statement fewer for a poll that missed its 304; one made so is kept for such
    polls alone, its generation having no audit id)."""
    generation = store.now() if tag is None else (store.generation, _NO_AUDIT_ID)
    kept = store.get(key, ttl, generation, tag)
    if kept is not None:
        return replay(kept)
    with store.builder(key):
        kept = store.get(key, ttl, generation, tag)
        if kept is not None:
            return replay(kept)
        made, response = make(generation)
        if made is not None:
            store.put(key, made, int(current_app.config["PAGE_CACHE_ENTRIES"]))
        return response


def _make_read(view: Callable[..., Any], args: tuple, kwargs: dict, generation: Generation) -> tuple[_Answer | None, Any]:  # fmt: skip
    answer = view(*args, **kwargs)
    if not isinstance(answer, Response) or answer.status_code != 200 or answer.is_streamed:
        return None, answer
    headers = [(k, v) for k, v in answer.headers.items() if k.lower() != "set-cookie"]
    etag = request.environ.get(conditional.STATE_ETAG)
    return _Answer(time.monotonic(), generation, answer.get_data(), headers, etag), answer


def _read_key() -> tuple:
    from core.i18n import current_locale

    caller = _caller()
    who = None if caller is None else (caller.id, getattr(caller, "acting_org_id", None))
    accept = request.headers.get("Accept", "")
    app = id(current_app._get_current_object())  # type: ignore[attr-defined]
    return ("api", app, request.host_url, request.full_path, who, current_locale(), accept)


def _replay(kept: _Answer) -> Response:
    if kept.state_etag is not None:
        request.environ[conditional.STATE_ETAG] = kept.state_etag
    return Response(kept.body, status=200, headers=kept.headers)


def for_visitors(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve a public page from the cache to visitors who are not signed in."""

    @wraps(view)
    def cached_view(*args: Any, **kwargs: Any) -> Any:
        key = _key()
        if key is None:
            return view(*args, **kwargs)
        ttl = float(current_app.config["PAGE_CACHE_SECONDS"])
        return _served(key, ttl, _answer, lambda generation: _make(view, args, kwargs, generation))

    return cached_view


def _key() -> tuple | None:
    if not current_app.config.get("PAGE_CACHE_SECONDS") or request.method != "GET":
        return None
    if "_flashes" in session or current_user.is_authenticated:
        return None
    from core.i18n import current_locale, reader_currency

    app = id(current_app._get_current_object())  # type: ignore[attr-defined]  # tests build several
    return (app, request.host_url, request.full_path, current_locale(), reader_currency())


def _make(view: Callable[..., Any], args: tuple, kwargs: dict, generation: Generation) -> tuple[_Page | None, Response]:  # fmt: skip
    """This request's response, and the page to keep (None when it is this request's own:
    not a 200 HTML page, a header of its own, or a nonce or token made before)."""
    if "csrf_token" in g or security_headers.NONCE_KEY in request.environ:
        return None, make_response(view(*args, **kwargs))
    request.environ[security_headers.NONCE_KEY] = _NONCE_MARK
    g.csrf_token = _CSRF_MARK
    try:
        response = make_response(view(*args, **kwargs))
    finally:
        del request.environ[security_headers.NONCE_KEY]
        token = g.pop("csrf_token", None)
    if response.direct_passthrough or response.is_streamed:
        return None, response
    body = response.get_data(as_text=True)
    if _NONCE_MARK in body or _CSRF_MARK in body:
        response.set_data(_filled(body))
    keepable = (
        response.status_code == 200
        and token == _CSRF_MARK
        and response.mimetype == "text/html"
        and all(name.lower() in _KEPT_HEADERS for name, _ in response.headers.items())
    )
    if not keepable:
        return None, response
    content_type = response.headers["Content-Type"]
    return _Page(time.monotonic(), generation, 200, content_type, body), response


def _filled(body: str) -> str:
    """The page with this request's nonce and CSRF token in place of the placeholders."""
    if _NONCE_MARK in body:
        body = body.replace(_NONCE_MARK, security_headers.csp_nonce())
    if _CSRF_MARK in body:
        body = body.replace(_CSRF_MARK, generate_csrf())
    return body


def _answer(page: _Page) -> Response:
    return Response(_filled(page.body), status=page.status, content_type=page.content_type)


def _newest_audit_id() -> int:
    # Plain SQL: this read runs on every kept answer, and the ORM's statement handling
    # would cost it more than the rest of the answer.
    connection = db.session.connection()
    return connection.exec_driver_sql(_NEWEST_AUDIT_ID).scalar() or 0


def _note_write(db_session: Session, *_: object) -> None:
    db_session.info[_DIRTY] = True


def _after_commit(db_session: Session) -> None:
    if db_session.info.pop(_DIRTY, False):
        store.forget_all()


def _after_rollback(db_session: Session, *_: object) -> None:
    db_session.info.pop(_DIRTY, None)


def _on_execute(state: Any) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        state.session.info[_DIRTY] = True


def init_app(app: Flask) -> None:
    """Listen to every session's commits: one that wrote empties this worker's cache."""
    app.config.setdefault("PAGE_CACHE_SECONDS", 0.0)
    app.config.setdefault("PAGE_CACHE_ENTRIES", 512)
    app.config.setdefault("API_READ_CACHE_SECONDS", 0.0)
    if not event.contains(Session, "after_flush", _note_write):
        event.listen(Session, "after_flush", _note_write)
        event.listen(Session, "do_orm_execute", _on_execute)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)
