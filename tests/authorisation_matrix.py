"""The machinery of the authorisation matrix: cases from the URL map, requests, the oracle.

The policy (who may do what) is in tests/authorisation_policies.py; the world in
tests/authorisation_world.py; the test in tests/integration/test_authorisation_matrix.py.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.routing import Rule
from werkzeug.routing.converters import AnyConverter

from core.audit_models import AuditEntry
from core.extensions import db
from tests import factories
from tests.authorisation_world import ROLES, World

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
SIGN_IN_PATH = "/signin"


@dataclass(frozen=True)
class Case:
    """One (rule, method, any() option) of the URL map."""

    rule: Rule
    method: str
    option: str | None  # the value of the rule's any() parameter, if it has one

    @property
    def key(self) -> str:
        """The policy table's key: `endpoint:METHOD`, or `endpoint:METHOD:option`."""
        base = f"{self.rule.endpoint}:{self.method}"
        return f"{base}:{self.option}" if self.option else base

    @property
    def is_api(self) -> bool:
        return self.rule.rule.startswith("/api/")


def cases(app: Flask) -> list[Case]:
    """Every route of the app but `static`, one per method and any() option."""
    found: list[Case] = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        options: list[str | None] = [None]
        for converter in rule._converters.values():
            if isinstance(converter, AnyConverter):
                options = sorted(converter.items)
        for method in sorted(set(rule.methods or ()) & set(METHODS)):
            found.extend(Case(rule, method, option) for option in options)
    return sorted(found, key=lambda c: (c.rule.endpoint, c.method, c.option or ""))


def url_of(case: Case, world: World) -> str:
    """The case's URL, its parameters filled from the world."""
    values: dict[str, object] = {}
    for name, converter in case.rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[name] = case.option
        else:
            values[name] = world.value(case.rule.endpoint, name)
    built = case.rule.build(values, append_unknown=False)
    assert built is not None, f"cannot build {case.rule.rule} from {values}"
    query = world.query.get(case.rule.endpoint)
    return f"{built[1]}?{urlencode(query)}" if query else built[1]


@dataclass(frozen=True)
class Outcome:
    """What one role got from one case."""

    status: int  # 0: the request raised
    location: str = ""  # the path a redirect goes to
    danger: bool = False  # the redirect flashed an error
    audited: int = 0  # audit rows the request wrote
    error: str = ""

    @property
    def refused_for_authorisation(self) -> bool:
        """Not let in: 401, 403, 404, or sent to sign in."""
        return self.status in (401, 403, 404) or (
            self.status in (301, 302, 303) and self.location == SIGN_IN_PATH
        )

    @property
    def refused(self) -> bool:
        """Turned away: refused for authorisation, or sent back with an error."""
        return self.refused_for_authorisation or (self.status in (302, 303) and self.danger)

    @property
    def got_through(self) -> bool:
        """Done: a 2xx, or a redirect without an error."""
        return 200 <= self.status < 300 or (300 <= self.status < 400 and not self.danger)

    def verdict(self, allowed: bool, *, form_refusals: bool) -> str | None:
        """Why this outcome is wrong for a role that is (not) allowed, or None.

        `form_refusals`: an allowed role got through with the same body, so a 400/422
        to another role is the form shown again with the service's refusal
        (core.forms.domain_errors), not a complaint about the body.
        """
        if self.status == 0 or self.status >= 500:
            return "server error"
        if allowed:
            return "refused" if self.refused_for_authorisation else None
        refused = self.refused or (form_refusals and self.status in (400, 422))
        if not refused:
            return "let through"
        if self.audited:
            return "refused but audited"
        return None

    def describe(self) -> str:
        text = str(self.status) if self.status else f"raised {self.error}"
        if self.location:
            text += f" -> {self.location}"
        if self.danger:
            text += " (danger)"
        if self.audited:
            text += f" +{self.audited} audit"
        return text


class Visitors:
    """A browser (session) client and an API token per role, signed in once."""

    def __init__(self, app: Flask, world: World, now: object) -> None:
        self.app = app
        self.world = world
        self.browsers: dict[str, FlaskClient] = {}
        self.tokens: dict[str, str | None] = {}
        self.api = app.test_client()
        for role in ROLES:
            self.browsers[role] = app.test_client()
            user = world.users[role]
            self.tokens[role] = (
                None if user is None else factories.api_token(user, "matrix", now=now)
            )  # type: ignore[arg-type]
            self._sign_in(role)

    def _sign_in(self, role: str) -> None:
        user = self.world.users[role]
        if user is None:
            return
        response = self.browsers[role].post(
            SIGN_IN_PATH, data={"email": user.email, "password": factories.PASSWORD}
        )
        assert response.status_code == 302, f"{role} could not sign in"

    def _still_signed_in(self, role: str) -> None:
        """Sign in again after a case that signed the role out (`accounts.sign_out`)."""
        if self.world.users[role] is None:
            return
        with self.browsers[role].session_transaction() as session:
            signed_in = "_user_id" in session
        if not signed_in:
            self._sign_in(role)

    def _danger_flashed(self, role: str) -> bool:
        """Whether the response flashed an error; the flashes are cleared for the next case."""
        with self.browsers[role].session_transaction() as session:
            flashes = session.pop("_flashes", [])
        return any(category == "danger" for category, _ in flashes)

    def visit(self, case: Case, role: str, url: str, body: dict[str, Any] | None) -> Outcome:
        """Issue the case's request as `role` inside a savepoint rolled back afterwards."""
        # On the test's own connection, under the session (whose commits are savepoints
        # inside this one): releasing the session's would otherwise release ours too.
        db.session.rollback()
        connection = db.session.get_bind()
        savepoint = connection.begin_nested()
        before = _last_audit_id()
        try:
            response = self._request(case, role, url, body)
        except Exception as error:  # a raised error is a 5xx: reported, not raised
            db.session.rollback()
            savepoint.rollback()
            db.session.expire_all()
            return Outcome(0, error=f"{type(error).__name__}: {error}"[:160])
        audited = _last_audit_id() - before
        db.session.rollback()
        if savepoint.is_active:
            savepoint.rollback()
        db.session.expire_all()
        status = response.status_code
        location = urlsplit(response.headers.get("Location", "")).path
        danger = not case.is_api and self._danger_flashed(role)
        if not case.is_api:
            self._still_signed_in(role)
        return Outcome(status, location if 300 <= status < 400 else "", danger, audited)

    def _request(self, case: Case, role: str, url: str, body: dict[str, Any] | None):  # type: ignore[no-untyped-def]
        # A fresh app context, as a real request has: flask-login keeps the user in `g`,
        # which otherwise lives on in the test's app context from one role to the next.
        with self.app.app_context():
            return self._open(case, role, url, body)

    def _open(self, case: Case, role: str, url: str, body: dict[str, Any] | None):  # type: ignore[no-untyped-def]
        if case.method == "GET":
            body = None
        else:
            body = self._filled(case, body or {})
        multipart = body is not None and any(isinstance(v, tuple) for v in body.values())
        if case.is_api:
            token = self.tokens[role]
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            if multipart:
                return self.api.open(url, method=case.method, headers=headers, data=body)
            return self.api.open(url, method=case.method, headers=headers, json=body)
        return self.browsers[role].open(url, method=case.method, data=body)

    def _filled(self, case: Case, body: dict[str, Any]) -> dict[str, Any]:
        """The body with "<name>" replaced from the world and files opened afresh."""

        def fill(value: Any) -> Any:
            if isinstance(value, str) and value.startswith("<") and value.endswith(">"):
                return self.world.value(case.rule.endpoint, value[1:-1])
            if isinstance(value, tuple):  # (anything, filename): an uploaded PDF
                return (io.BytesIO(factories.PDF_BYTES), value[1])
            if isinstance(value, dict):
                return {k: fill(v) for k, v in value.items()}
            return value

        return {name: fill(value) for name, value in body.items()}


def _last_audit_id() -> int:
    return db.session.scalar(select(func.coalesce(func.max(AuditEntry.id), 0))) or 0


def rows(mismatches: list[tuple[str, str, str, str, str]]) -> Iterator[str]:
    """A readable table of (case, role, expected, got, why)."""
    header = ("case", "role", "expected", "got", "why")
    widths = [max(len(str(r[i])) for r in [header, *mismatches]) for i in range(5)]
    for row in [header, *mismatches]:
        yield "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
