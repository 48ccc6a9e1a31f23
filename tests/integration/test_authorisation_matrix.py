"""Every route × every role gets what tests/authorisation_policies.py says it should.

One world (tests/authorisation_world.py) is built once; each request then runs in a
savepoint rolled back afterwards, so a successful POST changes nothing for the next.
A role that is not allowed must be refused (401, 403, 404, sent to sign in, or sent
back with an error; or a 400/422 form when an allowed role got through with the same
body) and write no audit row; an allowed role must not be refused for authorisation
(a 400/409/422 or an error about the body or the state is fine); no role ever gets a
server error.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask

from accounts import services as accounts
from tests.authorisation_bodies import BODIES
from tests.authorisation_matrix import Case, Visitors, cases, rows, url_of
from tests.authorisation_policies import KNOWN_DEFECTS, POLICY
from tests.authorisation_world import ROLES, build
from tests.authorisation_world_api import extend


@pytest.fixture
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id at its cheapest: a dozen people sign up and sign in, none is attacked."""
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


def _policy_key(case: Case) -> str | None:
    """The entry of the case: its own (with the any() option) or its route's."""
    generic = f"{case.rule.endpoint}:{case.method}"
    return next((key for key in (case.key, generic) if key in POLICY), None)


def test_every_route_has_an_entry_in_the_policy_table(app: Flask) -> None:
    all_cases = cases(app)
    missing = [case.key for case in all_cases if _policy_key(case) is None]
    used = {_policy_key(case) for case in all_cases}
    stale = sorted(set(POLICY) - used)
    unknown_defects = sorted(
        key for key in KNOWN_DEFECTS if key.split("@")[0] not in {c.key for c in all_cases}
    )
    assert not missing, (
        "Routes without an entry in tests/authorisation_policies.py POLICY "
        "(add it to the table: who may use it?):\n  " + "\n  ".join(missing)
    )
    assert not stale, "POLICY entries without a route (remove them):\n  " + "\n  ".join(stale)
    assert not unknown_defects, "KNOWN_DEFECTS without a route:\n  " + "\n  ".join(unknown_defects)


def test_every_role_gets_what_the_policy_table_says(
    app: Flask,
    db_session: object,
    clock,
    upload_folder: Path,
    quick_passwords: None,
    queued_jobs: object,  # the jobs a request queues are not the matrix's business
) -> None:
    world = extend(build(clock(), upload_folder), clock(), upload_folder)
    visitors = Visitors(app, world, clock())
    failures: list[tuple[str, str, str, str, str]] = []
    fixed: list[str] = []
    for case in cases(app):
        key = _policy_key(case)
        if key is None:
            continue  # reported by the test above
        try:
            url = url_of(case, world)
        except LookupError as error:  # a new parameter name: the world has no value for it
            failures.append((case.key, "-", "-", "-", str(error)))
            continue
        body = BODIES.get(case.key, BODIES.get(f"{case.rule.endpoint}:{case.method}"))
        outcomes = {role: visitors.visit(case, role, url, body) for role in ROLES}
        through = any(outcomes[role].got_through for role in POLICY[key])
        for role, outcome in outcomes.items():
            allowed = role in POLICY[key]
            why = outcome.verdict(allowed, form_refusals=through)
            defect = KNOWN_DEFECTS.get(f"{case.key}@{role}") or KNOWN_DEFECTS.get(case.key)
            if why is not None and defect is None:
                expected = "allowed" if allowed else "refused"
                failures.append((case.key, role, expected, outcome.describe(), why))
            elif why is None and f"{case.key}@{role}" in KNOWN_DEFECTS:
                fixed.append(f"{case.key}@{role}")
    assert not failures, (
        f"{len(failures)} authorisation mismatches (tests/authorisation_policies.py says "
        "who may):\n" + "\n".join(rows(failures))
    )
    assert not fixed, "Known defects that are fixed (remove them from KNOWN_DEFECTS):\n  " + (
        "\n  ".join(fixed)
    )
