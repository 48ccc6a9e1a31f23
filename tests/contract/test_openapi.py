"""The API keeps the promises of its OpenAPI document (schemathesis, a few examples each).

Every operation is called with generated input by a university's seller and by an
enterprise buyer, on a demo market of its own: no response is a 5xx, and every
response's status and body are the ones the document gives. The operations only the
market's staff may perform (tests/authorisation_policies.py), which those two only see
refusing, are called again by a reviewer (those a reviewer may perform) and by an
administrator (those only an administrator may perform), so their answers are checked too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask_migrate import upgrade
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from sqlalchemy import select

from accounts.models import User
from core.clock import now
from core.extensions import db
from marketplace import create_app
from tests import factories
from tests.authorisation_policies import POLICY

MEMBERS = ("seller@demo.market", "buyer@demo.market")
# The staff of the demo market, the role of tests/authorisation_policies.py each plays, and
# the roles whose runs already call (beyond a refusal) what that role may perform.
STAFF = {
    "reviewer@demo.market": ("reviewer", {"seller", "buyer"}),
    "admin@demo.market": ("admin", {"seller", "buyer", "reviewer"}),
}
# What the issue asks: no 5xx; a documented status, content type and body. (Whether
# schema-valid data is accepted is not asked: some rules span fields, e.g. a title in
# either language, which the document states in words, not in JSON Schema.)
PROMISES = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
EXAMPLES = settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on a database of its own holding the demo market (writes stay there)."""
    work = tmp_path_factory.mktemp("contract")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(work) / 'contract.db'}",
            "SEARCH_INDEX_PATH": str(work / "search.db"),
            "UPLOAD_FOLDER": str(work / "uploads"),
        }
    )
    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["demo", "load", "--listings", "40"])
        assert result.exit_code == 0, result.output
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def tokens(demo_app: Flask) -> dict[str, str]:
    """A bearer token for each role."""
    with demo_app.app_context():
        emails = (*MEMBERS, *STAFF)
        users = db.session.scalars(select(User).where(User.email.in_(emails))).all()
        issued = {u.email: factories.api_token(u, "contract", now=now()) for u in users}
        db.session.remove()
    return issued


def roles_of_operations(app: Flask) -> dict[tuple[str, str], frozenset[str]]:
    """{(METHOD, OpenAPI path): the roles its policy lets through} of every API route."""
    found: dict[tuple[str, str], frozenset[str]] = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<(?:[^<>]*:)?([^<>:]+)>", r"{\1}", rule.rule)  # <int:id> → {id}
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}:
            key = f"{rule.endpoint}:{method}"
            entries = [roles for name, roles in POLICY.items() if name == key or name.startswith(f"{key}:")]  # fmt: skip
            found[(method, path)] = frozenset().union(*entries)
    return found


def staff_only(app: Flask, role: str, covered: set[str]) -> set[tuple[str, str]]:
    """The operations `role` may perform and none of the `covered` roles may."""
    return {
        operation
        for operation, roles in roles_of_operations(app).items()
        if role in roles and not roles & covered
    }


def _checker(operation: Any, token: str, statuses: list[int]) -> Callable[[], None]:
    """A hypothesis test calling `operation` with generated input as `token`'s holder,
    noting each answer's status in `statuses`."""

    @given(case=operation.as_strategy())
    @EXAMPLES
    def check(case: schemathesis.Case) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        statuses.append(case.call_and_validate(headers=headers, checks=PROMISES).status_code)

    return check  # type: ignore[no-any-return]


def broken_promises(
    app: Flask, token: str, only: set[tuple[str, str]] | None = None
) -> tuple[list[str], dict[str, list[int]]]:
    """Each operation's first failure (a 5xx, or a status or body the document does not
    give), and the statuses each operation called answered (those of `only`, else all)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    answers: dict[str, list[int]] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if only is not None and (operation.method.upper(), operation.path) not in only:
            continue
        check = _checker(operation, token, answers.setdefault(operation.label, []))
        try:
            with app.app_context():
                check()
        except (Exception, BaseExceptionGroup) as error:
            failures.append(f"{operation.label}: {str(error).strip()[:1500]}")
    return failures, answers


@pytest.mark.parametrize("email", MEMBERS)
def test_every_operation_keeps_the_documents_promises(
    email: str, tokens: dict[str, str], demo_app: Flask
) -> None:
    failures, _answers = broken_promises(demo_app, tokens[email])
    assert not failures, f"{len(failures)} operations:\n\n" + "\n\n".join(failures)


@pytest.mark.parametrize("email", STAFF)
def test_staff_operations_keep_the_documents_promises(
    email: str, tokens: dict[str, str], demo_app: Flask
) -> None:
    wanted = staff_only(demo_app, *STAFF[email])
    failures, answers = broken_promises(demo_app, tokens[email], only=wanted)
    assert len(answers) == len(wanted) > 0, "an operation of the policy is not in the document"
    assert not failures, f"{len(failures)} operations:\n\n" + "\n\n".join(failures)
    # The point of this run: the staff get past the refusal the members meet.
    refused = sorted(label for label, statuses in answers.items() if set(statuses) == {403})
    assert not refused, f"only refused to {email}: {refused}"
