"""People signing up at the same moment: none of them gets a 500 for the others' writes.

On SQLite a use case that reads and then writes after another connection's commit fails
at once ("database is locked") unless it took the write lock first; a request that may
write does (core.uow), so concurrent sign-ups queue instead.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from accounts.models import User
from accounts.signup_checks import TERMS_VERSION
from core.extensions import db
from tests import factories
from tests.integration.auctions.test_concurrency import run_threads
from tests.integration.sales.conftest import committing_app  # noqa: F401 (the fixture)

PEOPLE = 8


def test_concurrent_sign_ups_all_succeed(committing_app: Flask) -> None:  # noqa: F811
    app = committing_app

    def sign_up(i: int) -> list[int]:
        client = app.test_client()
        statuses = []
        for n in range(3):
            response = client.post(
                "/signup",
                data={
                    "name": f"用户{i}-{n}",
                    "email": f"race-{i}-{n}@example.edu.cn",
                    "password": factories.PASSWORD,
                    "organisation_mode": "create",
                    "org_name": f"并发测试大学{i}-{n}",
                    "kind": "university",
                    "credit_code": factories.credit_code(700_000 + i * 10 + n),
                    "region": "武汉",
                    "consent": TERMS_VERSION,
                },
            )
            statuses.append(response.status_code)
            client.post("/signout")
        return statuses

    statuses = [s for batch in run_threads(app, PEOPLE, sign_up) for s in batch]
    assert statuses == [302] * PEOPLE * 3, statuses
    with app.app_context():
        made = db.session.scalar(
            select(func.count(User.id)).where(User.email.like("race-%@example.edu.cn"))
        )
        db.session.remove()
    assert made == PEOPLE * 3
